"""One module per `kiosk sim` kind."""
