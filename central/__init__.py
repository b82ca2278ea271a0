"""Reference central platform: the HTTP API the kiosk speaks."""
