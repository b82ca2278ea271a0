"""全流程电子监察 on the kiosk: the append-only, hash-chained audit trail (``trail``) and its shipping to
the platform in batches (``upload``)."""
