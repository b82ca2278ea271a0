"""Drivers and simulators for the kiosk peripherals. Imports neither kiosk/ nor ui/ nor Qt."""
