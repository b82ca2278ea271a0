"""The outbox's sender: one stored application to the platform, its answer turned into an outbox outcome.

Kept apart from ``kiosk.runtime`` so a process that only delivers (tests' crash runs, tools) need not load
the journey, devices and OpenCV.
"""
from __future__ import annotations

from typing import Callable

from ..outbox import DeliveryResult, Package, Record
from .client import PlatformClient
from .schema import Manifest
from .transport import PlatformError


def platform_sender(client: PlatformClient) -> Callable[[Record, Package], DeliveryResult]:
    def send(record: Record, package: Package) -> DeliveryResult:
        manifest = Manifest.model_validate(dict(package.manifest, local_number=record.local_number))
        try:
            resp = client.submit(manifest, package.files, attempts=1)  # the outbox owns the retry schedule
        except PlatformError as exc:
            return DeliveryResult("retry" if exc.retryable else "rejected", detail=str(exc),
                                  status=str(exc.status or ""), kind=exc.kind)
        return DeliveryResult("delivered", reference=resp.reference, status=resp.status,
                              result=resp.model_dump(mode="json"))
    return send
