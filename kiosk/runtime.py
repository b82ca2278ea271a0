"""Wiring of the core from settings: devices, outbox with the platform client, catalog, journey.

The UI (ui/app.py, ui/cli.py) is the composition root; this module is the part of the wiring that needs
no Qt, so tests and the command line can run a whole kiosk headless. The embedded reference platform is
started above this floor (central/ may not be imported here) and handed in as a URL.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from devices.barcode.camera_scan import CameraScanner
from devices.manager import DeviceManager, DeviceSpec

from .catalog import Catalog
from .journey import Journey, JourneyEventKind
from .outbox import DeliveryResult, Outbox, Package, Record
from .payloads import PayloadClassifier, ScanRouter
from .platform.catalog_schema import CatalogError
from .platform.client import PlatformClient, PlatformError
from .platform.schema import Manifest
from .settings import Settings
from .steps import Step

log = logging.getLogger(__name__)

DEVICE_KINDS = ("idcard", "printer", "camera", "barcode")


def device_specs(settings: Settings) -> list[DeviceSpec]:
    specs = []
    for name in DEVICE_KINDS:
        ds = getattr(settings.devices, name)
        if ds.enabled and ds.url:
            specs.append(DeviceSpec(name=name, kind=name, url=ds.url, options=dict(ds.options)))
    return specs


def platform_sender(client: PlatformClient) -> Callable[[Record, Package], DeliveryResult]:
    def send(record: Record, package: Package) -> DeliveryResult:
        manifest = Manifest.model_validate(dict(package.manifest, local_number=record.local_number))
        try:
            resp = client.submit(manifest, package.files)
        except PlatformError as exc:
            return DeliveryResult("retry" if exc.retryable else "rejected", detail=str(exc),
                                  status=str(exc.status or ""))
        return DeliveryResult("delivered", reference=resp.reference, status=resp.status,
                              result=resp.model_dump(mode="json"))
    return send


def load_catalog(settings: Settings, client: PlatformClient | None) -> Catalog:
    """Synced from the platform when it answers; else the last good copy; else the local directory."""
    saved = settings.path("catalog") / "catalog.json"
    if client is not None:
        try:
            resp = client.catalog()
            catalog = Catalog.from_payload(resp.version, resp.items, client.base_url)
            catalog.save(saved)
            log.info("catalog %s synced from the platform (%d items)", catalog.version[:12], len(catalog))
            return catalog
        except (PlatformError, CatalogError) as exc:
            log.warning("catalog sync failed, using the last good copy: %s", exc)
    if saved.exists():
        try:
            return Catalog.load_saved(saved)
        except (CatalogError, ValueError, KeyError) as exc:
            log.warning("saved catalog unusable (%s); using %s", exc, settings.catalog_dir)
    return Catalog.from_dir(settings.catalog_dir)


# Screens that take a scanned code: the camera decodes only there (never while it photographs materials).
SCAN_STEPS = frozenset({Step.ATTRACT, Step.HOME, Step.CATALOG, Step.STATUS, Step.FORM})


@dataclass
class Runtime:
    settings: Settings
    devices: DeviceManager
    outbox: Outbox
    catalog: Catalog
    journey: Journey
    client: PlatformClient
    camera_scanner: Any = None

    def start(self) -> None:
        self.devices.start()
        if self.camera_scanner is not None:
            self.camera_scanner.start()
        self.outbox.start()

    def stop(self) -> None:
        self.journey.end_session()
        self.outbox.stop()
        if self.camera_scanner is not None:
            self.camera_scanner.stop()
        self.devices.stop()
        self.journey.executor.shutdown(wait=True)
        self.outbox.close()


def build_runtime(settings: Settings, platform_url: str | None = None,
                  audit: Callable[[str, dict[str, Any]], None] | None = None) -> Runtime:
    client = PlatformClient(platform_url or settings.platform.url, kiosk_id=settings.kiosk_id,
                            timeout_s=settings.platform.timeout_s, verify_tls=settings.platform.verify_tls)
    devices = DeviceManager(device_specs(settings))
    outbox = Outbox(Path(settings.path("outbox")), settings.kiosk_id, sender=platform_sender(client))
    catalog = load_catalog(settings, client)
    journey = Journey(settings, catalog, devices, outbox, audit=audit, platform=client)
    router = ScanRouter(PayloadClassifier.from_settings(settings, catalog), journey.on_payload,
                        context_item=lambda: journey.session.item.code if journey.session.item else None)
    devices.subscribe(router)
    scanner = None
    b = settings.barcode
    if b.camera_scan and devices.get("camera") is not None:
        scanner = CameraScanner.attach(devices, "camera", dedupe_s=b.camera_dedupe_s,
                                       budget_ms=b.camera_decode_budget_ms, max_rate_hz=b.camera_max_rate_hz,
                                       formats=b.camera_formats)
        scanner.subscribe(router)
        journey.subscribe(lambda e: scanner.set_active(e.step in SCAN_STEPS)
                          if e.kind == JourneyEventKind.STEP else None)
    return Runtime(settings, devices, outbox, catalog, journey, client, scanner)
