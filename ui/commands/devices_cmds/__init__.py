"""One module per `kiosk devices` action."""
