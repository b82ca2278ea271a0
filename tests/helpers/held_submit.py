"""A real kiosk process held at SUBMIT, for tests that kill it there (issue 15, item 10): test-only, never
imported by the product.

``python -m tests.helpers.held_submit POINT kiosk-args...`` runs ``kiosk kiosk-args...`` (ui.cli.main) with
one seam replaced so that the journey stops at SUBMIT after the payment was taken, and prints
``HELD POINT <application id>`` on stdout when it got there; the test then kills the process (SIGKILL):

- ``store``: before the application is stored in the outbox (the paid order is only in the order ledger);
- ``send``: the application is stored, but the platform's answer never comes (the sender waits forever).
"""
from __future__ import annotations

import sys
import threading

FOREVER = threading.Event()  # never set: the held thread waits until the process is killed


def _held(point: str, app_id: str) -> None:
    print(f"HELD {point} {app_id}", flush=True)
    FOREVER.wait()


def hold(point: str) -> None:
    if point == "store":
        from kiosk.journey.steps.submit import SubmitStep  # noqa: PLC0415

        SubmitStep._store = lambda self, ctx, session: _held(point, session.application_id)  # type: ignore[method-assign]
    elif point == "send":
        import kiosk.runtime  # noqa: PLC0415

        kiosk.runtime.platform_sender = lambda client: (  # type: ignore[assignment]
            lambda record, package: _held(point, record.id))
    else:
        raise SystemExit(f"held_submit: unknown point {point!r} (store | send)")


if __name__ == "__main__":
    hold(sys.argv[1])
    from ui.cli import main  # noqa: PLC0415

    sys.exit(main(sys.argv[2:]))
