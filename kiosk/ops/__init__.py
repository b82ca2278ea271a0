"""Running around the clock: the kiosk's own health (``monitor``: device faults to the audit trail, alerts,
the local status file ``kiosk doctor`` reads), the platform heartbeat (``telemetry``; the one heartbeat the
platform sees), systemd's readiness and watchdog (``sdnotify``) and the temp-dir sweep (``housekeeping``)."""
