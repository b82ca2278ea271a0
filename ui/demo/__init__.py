"""Demo tooling: the simulator panel a tester uses to drive the simulated hardware (devices.sim).

Not a view-model of the kiosk: it reaches the simulators directly, which ``ui.models`` may not
(import-linter contract "View-models do not import devices").
"""
