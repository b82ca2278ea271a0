"""The technicians' side of the kiosk, without Qt: the PIN/badge-gated console (``console``, ``auth``),
device rows, tests and discovery (``devices``), the settings it writes (``local_settings``), ``kiosk
doctor``'s checks (``doctor``) and the numbered-error table for technicians (``troubleshooting``)."""
