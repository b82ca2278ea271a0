"""What the kiosk prints: the thermal receipt (``receipt``: layout, ESC/POS bytes, the print journal that
never prints a receipt twice)."""
