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

from devices.manager import DeviceManager, DeviceSpec

from .audit import AuditTrail, AuditUploader
from .catalog import Catalog
from .housekeeping import sweep_tmp
from .journey import Journey, JourneyEvent, JourneyEventKind
from .monitoring import Monitor
from .outbox import DeliveryResult, Outbox, Package, Record
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


@dataclass
class Runtime:
    settings: Settings
    devices: DeviceManager
    outbox: Outbox
    catalog: Catalog
    journey: Journey
    client: PlatformClient
    audit: AuditTrail | None = None  # None when the caller passed its own audit callback
    monitor: Monitor | None = None
    uploader: AuditUploader | None = None  # sends the trail once someone sets its ``sink``

    def start(self) -> None:
        sweep_tmp(self.settings.path("tmp"))
        self.devices.start()
        self.outbox.start()
        if self.monitor is not None:
            self.monitor.start()
        if self.uploader is not None:
            self.uploader.start()

    def stop(self) -> None:
        self.journey.end_session()
        if self.uploader is not None:
            self.uploader.stop()
        if self.monitor is not None:
            self.monitor.stop()
        self.outbox.stop()
        self.devices.stop()
        self.journey.executor.shutdown(wait=True)
        self.outbox.close()
        if self.audit is not None:
            self.audit.close()


def build_runtime(settings: Settings, platform_url: str | None = None,
                  audit: Callable[[str, dict[str, Any]], None] | None = None) -> Runtime:
    client = PlatformClient(platform_url or settings.platform.url, kiosk_id=settings.kiosk_id,
                            timeout_s=settings.platform.timeout_s, verify_tls=settings.platform.verify_tls)
    devices = DeviceManager(device_specs(settings))
    outbox = Outbox(Path(settings.path("outbox")), settings.kiosk_id, sender=platform_sender(client))
    catalog = load_catalog(settings, client)
    trail = AuditTrail.for_settings(settings) if audit is None else None
    record = audit or trail
    assert record is not None
    journey = Journey(settings, catalog, devices, outbox, audit=record)
    uploader = AuditUploader(trail, batch=settings.audit.upload_batch,
                             interval_s=settings.audit.upload_interval_s) if trail is not None else None
    position = (lambda: {"last_seq": trail.last_seq, "last_hash": trail.last_hash,
                         "upload_pending": uploader.pending() if uploader else 0}) if trail else dict
    monitor = Monitor(settings, devices, outbox, audit=record, catalog_version=lambda: catalog.version,
                      audit_position=position)
    tmp = settings.path("tmp")

    def sweep_after_session(event: JourneyEvent) -> None:
        if event.kind == JourneyEventKind.STEP and event.data in (Step.ATTRACT, Step.HOME):
            sweep_tmp(tmp)
    journey.subscribe(sweep_after_session)
    return Runtime(settings, devices, outbox, catalog, journey, client, trail, monitor, uploader)
