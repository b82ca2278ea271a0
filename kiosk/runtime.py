"""Wiring of the core from settings: devices, outbox with the platform client, catalog, journey,
the journey-facing platform services (``kiosk.platform.services``) and telemetry (heartbeat, audit shipping).

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
from devices.barcode.still import StillGate
from devices.base import Capability
from devices.manager import DeviceManager, DeviceSpec

from .audit.behind import WriteBehind
from .audit.trail import AuditTrail
from .audit.upload import AUDIT_REFUSED, AuditUploader
from .catalog import Catalog
from .help import HelpDesk
from .ops.housekeeping import sweep_tmp
from .journey import Journey, JourneyEvent, JourneyEventKind
from .platform.sender import platform_sender  # noqa: F401 - also imported from here by callers
from .ops.monitor import Monitor
from .orders import settle_open
from .outbox import Outbox, open_outbox
from .payloads import PayloadClassifier, ScanRouter
from .platform.catalog_schema import CatalogError
from .platform.client import PlatformClient, PlatformError, RetryPolicy
from .platform.reachability import LinkWatch, Reachability
from .platform.services import LinkServices
from .settings import Settings
from .journey.plan import Step
from .ops.telemetry import PlatformAuditSink, Telemetry

log = logging.getLogger(__name__)

DEVICE_KINDS = ("idcard", "printer", "camera", "scanner", "barcode", "a4", "face_camera")
A4_SIM_DIR = "a4-printed"   # under data_dir: where sim://a4 renders the pages it "prints"


def device_options(settings: Settings, name: str, url: str, options: dict[str, Any]) -> dict[str, Any]:
    """A device's driver options, with what only the wiring knows: the simulated A4 printer's output
    directory in the data directory."""
    out = dict(options)
    if name == "a4" and url.strip().lower().startswith("sim://"):
        out.setdefault("sim_output_dir", str(settings.path(A4_SIM_DIR)))
    return out


def device_specs(settings: Settings) -> list[DeviceSpec]:
    specs = []
    for name in DEVICE_KINDS:
        ds = getattr(settings.devices, name)
        if ds.enabled and ds.url:
            specs.append(DeviceSpec(name=name, kind=name, url=ds.url, options=device_options(settings, name, ds.url,
                                                                                           ds.options)))
    return specs


def load_catalog(settings: Settings, client: PlatformClient | None) -> Catalog:
    """Synced from the platform when it answers (ETag: unchanged costs a 304), else the last good copy,
    else the local directory. One try only: a kiosk must not wait at start for a platform that is down.
    ``client`` None: no sync (the embedded demo platform, built after the first frame, serves the same
    directory)."""
    saved_path = settings.path("catalog") / "catalog.json"
    saved: Catalog | None = None
    if saved_path.exists():
        try:
            saved = Catalog.load_saved(saved_path)
        except (CatalogError, ValueError, KeyError) as exc:
            log.warning("saved catalog unusable (%s)", exc)
    if client is not None:
        try:
            resp = client.catalog_if_changed(f'"{saved.version}"' if saved else None, attempts=1)
            if resp is None and saved is not None:
                log.info("catalog %s is current", saved.version[:12])
                return saved
            if resp is not None:
                catalog = Catalog.from_payload(resp.version, resp.items, client.base_url)
                catalog.save(saved_path)
                log.info("catalog %s synced from the platform (%d items)", catalog.version[:12], len(catalog))
                return catalog
        except (PlatformError, CatalogError) as exc:
            log.warning("catalog sync failed, using the last good copy: %s", exc)
    if saved is not None:
        return saved
    return Catalog.from_dir(settings.catalog_dir)


def read_secret(settings: Settings) -> str | None:
    """The kiosk's signing secret: ``platform.secret``, else the file ``platform.secret_file``."""
    ps = settings.platform
    if ps.secret:
        return ps.secret
    if ps.secret_file:
        path = Path(ps.secret_file).expanduser()
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            log.error("platform secret file %s cannot be read (%s): requests will be refused until the kiosk "
                      "is enrolled (kiosk platform enrol)", path, exc.strerror)
            return None
        if path.stat().st_mode & 0o077:
            log.warning("platform secret file %s is readable by others; chmod 600 it", path)
        return secret or None
    log.error("no platform secret configured (platform.secret / platform.secret_file)")
    return None


def build_client(settings: Settings, platform_url: str | None = None, link: LinkWatch | None = None) -> PlatformClient:
    """The platform client; every request's outcome feeds ``link`` (the platform's reachability)."""
    ps = settings.platform
    verify: bool | str = ps.verify_tls
    if ps.verify_tls and ps.ca_file:
        verify = ps.ca_file
    if not ps.verify_tls:
        log.warning("TLS verification of the platform is OFF (platform.verify_tls = false): lab use only")
    return PlatformClient(platform_url or ps.url, kiosk_id=settings.kiosk_id, secret=read_secret(settings),
                          timeout_s=ps.timeout_s, connect_timeout_s=ps.connect_timeout_s, verify_tls=verify,
                          retry=RetryPolicy(attempts=ps.retry_attempts),
                          inline_max_bytes=ps.inline_upload_max_kib * 1024,
                          observer=link.report if link is not None else None)


# Screens that take a scanned code: the camera decodes only there (never while it photographs materials).
SCAN_STEPS = frozenset({Step.ATTRACT, Step.HOME, Step.CATALOG, Step.STATUS, Step.FORM})


def pace_scanner(scanner: Any, camera: Any, b: Any, step: Step) -> None:
    """The camera decodes codes only on the screens that take one, and on the attract screen (nobody there
    yet) at ``camera_idle_rate_hz``, its preview read no faster than that, and a frame that shows nothing new
    not decoded at all (``camera_idle_still_grey``): the idle kiosk's CPU goes to nobody's code (issue 22). Every other screen: the camera's own preview rate and ``camera_max_rate_hz``."""
    idle = step == Step.ATTRACT and b.camera_idle_rate_hz > 0
    scanner.max_rate_hz = b.camera_idle_rate_hz if idle else b.camera_max_rate_hz
    scanner.budget_ms = b.camera_idle_budget_ms if idle else b.camera_decode_budget_ms
    scanner.skip_still = idle and b.camera_idle_still_grey > 0  # an unchanged desk is not decoded again
    own = type(camera).poll_interval_s
    if idle:
        camera.poll_interval_s = max(own, 1.0 / b.camera_idle_rate_hz)  # read by the device loop each round
    elif "poll_interval_s" in vars(camera):
        del camera.poll_interval_s  # back to the driver's own preview rate
    scanner.set_active(step in SCAN_STEPS)


@dataclass
class Runtime:
    settings: Settings
    devices: DeviceManager
    outbox: Outbox
    catalog: Catalog
    journey: Journey
    client: PlatformClient
    services: LinkServices
    telemetry: Telemetry
    camera_scanner: Any = None
    link: LinkWatch | None = None  # is the platform reachable now (fed by every request)
    audit: AuditTrail | None = None  # None when the caller passed its own audit callback
    monitor: Monitor | None = None
    uploader: AuditUploader | None = None  # ships the trail to the platform (全流程电子监察)
    audit_writer: WriteBehind | None = None  # the journey's records written off the tapping thread

    def start(self) -> None:
        sweep_tmp(self.settings.path("tmp"))
        self.devices.start()
        if self.camera_scanner is not None:
            self.camera_scanner.start()
        self.outbox.start()
        # Orders left open by a crash or power loss (paid, application never stored): submitted or refunded.
        self.journey.executor.submit(settle_open, self.outbox.orders, self.outbox.get, self.services.payments,
                                     self.journey.audit)
        self.journey.start()
        self.telemetry.start()
        if self.monitor is not None:
            self.monitor.start()
        if self.uploader is not None:
            self.uploader.start()

    def stop(self) -> None:
        self.journey.end_session()
        self.journey.close()
        self.telemetry.stop()
        if self.uploader is not None:
            self.uploader.stop()
        if self.monitor is not None:
            self.monitor.stop()
        self.outbox.stop()
        if self.camera_scanner is not None:
            self.camera_scanner.stop()
        self.devices.stop()
        self.journey.executor.shutdown(wait=True)
        self.outbox.close()
        self.client.close()
        if self.audit_writer is not None:
            self.audit_writer.close()  # what the journey recorded last is written before the trail closes
        if self.audit is not None:
            self.audit.close()


def open_face(settings: Settings) -> Any:
    """THE face seam (issue 19): the analyzer, matcher and liveness of ``kiosk.face.wiring``, opened on the first
    face step; a missing engine raises ``FaceEngineMissing`` there and the citizen is sent to a counter (2197)."""
    from .face.wiring import open_face_kit  # noqa: PLC0415 - a model loads only when a face step runs

    return open_face_kit(settings)


def build_runtime(settings: Settings, platform_url: str | None = None,
                  audit: Callable[[str, dict[str, Any]], None] | None = None, *, sync_catalog: bool = True,
                  audit_write_behind: bool = False) -> Runtime:
    """``sync_catalog`` False: the catalog from the last good copy or the local directory, without asking the
    platform (an embedded platform that is not serving yet would hold the start-up).
    ``audit_write_behind``: the journey's audit records are written (and fsynced) by their own thread, in
    order, so a tap never waits for the disk (``kiosk.audit.behind``; the touch UI turns it on)."""
    link = LinkWatch(settings.platform.offline_hold_s)
    client = build_client(settings, platform_url, link)
    devices = DeviceManager(device_specs(settings))
    outbox = open_outbox(settings, sender=platform_sender(client))
    catalog = load_catalog(settings, client if sync_catalog else None)
    trail = AuditTrail.for_settings(settings) if audit is None else None
    record = audit or trail
    assert record is not None
    writer = WriteBehind(record) if audit_write_behind else None
    services = LinkServices.build(client, settings)
    journey = Journey(settings, catalog, devices, outbox, services=services, audit=writer or record,
                      help_desk=HelpDesk(settings, client), link=link, face=lambda: open_face(settings))
    # Back online: what waits in the outbox goes now, not after its back-off.
    link.subscribe(lambda state: outbox.resume() if state == Reachability.ONLINE else None)
    router = ScanRouter(PayloadClassifier.from_settings(settings, catalog), journey.on_payload,
                        context_item=lambda: journey.session.item.code if journey.session.item else None)
    devices.subscribe(router)
    scanner = None
    b = settings.barcode
    camera = devices.get("camera")
    # Codes are read from a camera's live preview; a scanner standing in for the camera has none.
    if b.camera_scan and camera is not None and camera.supports(Capability.LIVE_PREVIEW):
        scanner = CameraScanner.attach(devices, "camera", dedupe_s=b.camera_dedupe_s,
                                       budget_ms=b.camera_decode_budget_ms, max_rate_hz=b.camera_max_rate_hz,
                                       formats=b.camera_formats,
                                       full_read_still=b.camera_still_full_decode,
                                       still_gate=StillGate(b.camera_idle_still_grey or 1.0,
                                                            b.camera_idle_still_max_skips))
        scanner.subscribe(router)
        journey.subscribe(lambda e: pace_scanner(scanner, camera, b, e.step)
                          if e.kind == JourneyEventKind.STEP else None)
        pace_scanner(scanner, camera, b, journey.step)
    telemetry = Telemetry(client, outbox=outbox, devices=devices,
                          interval_s=settings.platform.heartbeat_interval_s,
                          catalog_version=lambda: catalog.version, data_dir=settings.data_dir,
                          link=link, offline_probe_s=settings.platform.offline_probe_s)
    uploader = AuditUploader(trail, PlatformAuditSink(client), batch=settings.audit.upload_batch,
                             interval_s=settings.audit.upload_interval_s) if trail is not None else None
    position = (lambda: {"last_seq": trail.last_seq, "last_hash": trail.last_hash,
                         "upload_pending": uploader.pending() if uploader else 0,
                         "upload_refused": uploader.refused if uploader else ""}) if trail else dict
    monitor = Monitor(settings, devices, outbox, audit=record, catalog_version=lambda: catalog.version,
                      audit_position=position)
    if uploader is not None:
        uploader.on_refused = lambda why: (
            monitor.alerts.raise_("audit.refused", "critical", "审计记录被平台拒收，请联系管理员",
                                  f"the platform refused the audit trail: {why}", code=AUDIT_REFUSED)
            if why else monitor.alerts.clear("audit.refused"))
    tmp = settings.path("tmp")

    def sweep_after_session(event: JourneyEvent) -> None:
        if event.kind == JourneyEventKind.STEP and event.data in (Step.ATTRACT, Step.HOME):
            sweep_tmp(tmp)
    journey.subscribe(sweep_after_session)
    return Runtime(settings, devices, outbox, catalog, journey, client, services, telemetry, scanner, link,
                   trail, monitor, uploader, writer)
