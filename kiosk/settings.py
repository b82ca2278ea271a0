"""Typed settings loaded from TOML files (config/default.toml, config/demo.toml, local overrides).

The files are merged by kiosk/settings_boot.py (one merge, also read before `kiosk run`'s first frame).

Every field has a default, a unit in its name where it has one (``_s`` seconds, ``_mm``, ``_px``) and a
description. Files are merged in order; a wrong value gives a ``SettingsError`` whose message names the
file, the key, the value found and what was expected (the CLI turns it into exit code 2).

All state lives under one data directory: ``data_dir`` in the files, overridden by the environment
variable ``KIOSK_DATA_DIR``, overridden by ``--data-dir``.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from . import settings_boot as boot
from .private import private_dir
from .settings_base import _M
from .settings_boot import (  # noqa: F401 - re-exported: the merge, its files and errors are the boot module's
    CONFIG_DIR,
    LOCAL_SETTINGS,
    SettingsError,
    default_files,
    describe_errors,
    merge_sources,
    resolve_dir,
)
from .settings_face import FaceEngineSettings, FaceSettings, LivenessSettings

log = logging.getLogger(__name__)


class DeviceSettings(_M):
    url: str = Field("", description="Device URL: serial://, socket://, file://, camera://, sane://, cups://, sim://; "
                                     "empty = none")
    enabled: bool = Field(True, description="False: the kiosk runs without this device")
    options: dict[str, Any] = Field(default_factory=dict, description="Driver options (e.g. printer profile)")


class DevicesSettings(_M):
    idcard: DeviceSettings = DeviceSettings(url="serial:///dev/ttyUSB0?baudrate=115200")
    printer: DeviceSettings = DeviceSettings(url="serial:///dev/ttyS1?baudrate=115200",
                                             options={"profile": "80mm"})
    camera: DeviceSettings = DeviceSettings(url="camera://0?width=2592&height=1944&fourcc=MJPG")
    scanner: DeviceSettings = Field(
        DeviceSettings(url="", enabled=False),
        description="Flatbed or sheet-fed document scanner, sane://DEVICE?resolution=300&mode=Color (SANE); "
                    "the materials step uses it instead of the camera when configured")
    barcode: DeviceSettings = DeviceSettings(url="serial:///dev/ttyACM0?suffix=cr")
    face_camera: DeviceSettings = Field(
        DeviceSettings(url="camera://1?width=640&height=480", enabled=False),
        description="Face camera for the face step (人证核验): camera://INDEX?width=640&height=480 (a second UVC "
                    "camera; INDEX as `v4l2-ctl --list-devices` lists it), sim://face in demo mode "
                    "(devices.camera.face; frames are taken only while the face step shows)")
    a4: DeviceSettings = Field(
        DeviceSettings(url="", enabled=False),
        description="A4 printer for certificates and proofs (证照打印): cups://QUEUE?server=HOST:PORT&job_timeout_s=180 "
                    "through the system's CUPS (devices.a4; server defaults to CUPS_SERVER, else the local "
                    "cupsd); job_timeout_s in seconds from submission to completed. Demo: sim://a4, whose pages "
                    "are rendered to PNG under DATA_DIR/a4-printed. Options: check_interval_s (seconds between "
                    "queue state reads, default 5)")


class IdleSettings(_M):
    timeout_s: float = Field(90.0, gt=0, description=(
        "No touch for this long ends the session (normal mode); on the catalogue and a guide, where nothing "
        "personal shows, the same countdown then returns to the attract loop"))
    warning_s: float = Field(20.0, gt=0, description="The countdown warning shows this long before the end")
    elder_timeout_s: float = Field(300.0, gt=0, description="Idle timeout in elder mode: no time pressure")
    attract_after_s: float = Field(30.0, gt=0, description="Home screen idle time before the attract loop")
    card_read_wait_s: float = Field(8.0, gt=0, description=(
        "Seconds the identify screen shows 正在读取 after the reader found a card when neither the card's data "
        "nor a read error comes (a reader that failed mid-read); then the screen is free again"))
    # Fewer taps (issue 17): the screens below move on by themselves after a visible countdown.
    material_done_s: float = Field(3.0, ge=0, description=(
        "A material with all its expected pages moves on to the next one after this countdown; a tap cancels "
        "it (the citizen adds a page)"))
    print_after_s: float = Field(3.0, ge=0, description=(
        "The result screen prints the receipt by itself after this (打印回执 prints at once)"))
    receipt_done_s: float = Field(5.0, ge=0, description=(
        "Once the receipt has printed, its screen moves on to the goodbye after this (完成 at once)"))
    end_s: float = Field(8.0, gt=0, description=(
        "The goodbye screen (and its optional rating) returns to the attract loop after this; the session is "
        "wiped then"))


class PlatformSettings(_M):
    url: str = Field("https://zwfw.example.gov.cn", description="Base URL of the central platform")
    embedded: bool = Field(False, description="Start the reference platform in-process (demo mode)")
    timeout_s: float = Field(10.0, gt=0, description="Per-request read timeout (waiting for the answer)")
    connect_timeout_s: float = Field(3.0, gt=0, description="Per-request time to open the connection")
    retry_attempts: int = Field(3, ge=1, le=10,
                                description="Tries of a request that is safe to repeat (reads, deduplicated writes)")
    verify_tls: bool = Field(True, description="Verify the platform's TLS certificate (only a lab turns it off)")
    ca_file: str = Field("", description="CA bundle (PEM) for a platform with a private CA; empty = system CAs")
    secret: str = Field("", description="Kiosk secret for request signing; empty = read secret_file")
    secret_file: str = Field("", description="File holding the kiosk secret (mode 0600)")
    submit_wait_s: float = Field(8.0, ge=0, description="How long the citizen waits for the platform's answer")
    tracking_url: str = Field("https://zwfw.example.gov.cn/t/",
                              description="Prefix of the receipt's tracking QR; the reference follows it")
    sharing_timeout_s: float = Field(3.0, gt=0, description="Data-sharing lookup budget; past it the form is "
                                                            "filled from the card only (offline fallback)")
    payment_poll_interval_s: float = Field(2.0, gt=0, description="How often a payment order's status is asked")
    result_wait_s: float = Field(10.0, ge=0, description=(
        "Seconds: how long the kiosk keeps asking for an approved application's signed result document "
        "while the platform answers 'not issued yet' (4172), before it says so and points to 我的办件"))
    result_poll_s: float = Field(1.0, gt=0, description="Seconds between those asks for the result document")
    payment_wait_s: float = Field(300.0, gt=0, description="How long the payment screen waits for the citizen")
    heartbeat_interval_s: float = Field(60.0, gt=0, description="Heartbeat (device health) and audit shipping period")
    offline_hold_s: float = Field(120.0, gt=0, description=(
        "How long one failed request (no connection, timeout, 502/503/504) keeps the platform counted as "
        "unreachable when nothing newer is heard; then the kiosk is back to 'unknown' and refuses nothing "
        "(kiosk.platform.reachability)"))
    offline_probe_s: float = Field(15.0, gt=0, description=(
        "Heartbeat period while the platform is unreachable, so its return is noticed within this time; keep "
        "it below offline_hold_s"))
    inline_upload_max_kib: int = Field(2048, ge=0, description="Files up to this size go inside the submission; "
                                                               "larger ones by resumable upload")

    @field_validator("url")
    @classmethod
    def _https_off_loopback(cls, value: str) -> str:
        from .platform.urls import insecure_url_problem  # noqa: PLC0415

        why = insecure_url_problem(value)
        if why:
            raise ValueError(why)
        return value


class OutboxSettings(_M):
    backoff_min_s: float = Field(2.0, gt=0, description="First pause after a failed delivery (doubles each time)")
    backoff_max_s: float = Field(300.0, gt=0, description="Longest pause between delivery attempts")
    min_free_mb: float = Field(100.0, ge=0, description="Refuse a new application when less disk than this would "
                                                        "remain under data_dir (stored ones are never at risk)")
    delivered_retention_days: float = Field(30.0, gt=0, description=(
        "A delivered application (the citizen's data, scans, signature) is deleted from the outbox this many "
        "days after the platform accepted it"))


class SecuritySettings(_M):
    """Where the keys live: outside data_dir, so a copied or stolen data directory opens nothing."""
    key_dir: Path = Field(Path("/etc/kiosk"), description=(
        "Directory (root-only, 0700) of the kiosk's keys, outside data_dir; KIOSK_KEY_DIR overrides it"))
    outbox_key_seal: Literal["auto", "tpm2", "host", "file"] = Field("auto", description=(
        "How a new outbox key is sealed: systemd-creds with the TPM2 (tpm2), the host secret (host), the TPM2 "
        "when present else the host secret (auto; a plain root-only file when systemd-creds cannot seal), "
        "or a plain root-only file (file). See docs/security.md"))


class UiSettings(_M):
    # The fields the attract screen's first frame reads take their defaults from kiosk/settings_boot.py.
    lang: boot.Lang = Field(boot.UI_LANG, description="Start language")
    orientation: boot.Orientation = Field(boot.UI_ORIENTATION, description="Screen orientation")
    elder_mode: bool = Field(boot.UI_ELDER_MODE, description="Start in elder mode (长辈模式)")
    fullscreen: bool = Field(boot.UI_FULLSCREEN, description="Full screen (a kiosk); False = a window (development)")
    voice: bool = Field(True, description="Speak prompts where a speech engine exists")
    voice_engine: Literal["speechd", "mock"] = Field("speechd", description="Qt TextToSpeech engine")
    simulator_panel: bool = Field(boot.UI_SIMULATOR_PANEL, description="Show the simulator panel (demo mode)")
    fit_window: bool = Field(boot.UI_FIT_WINDOW, description=(
        "A windowed kiosk opens at its screen's available geometry (the scene letterboxed inside) and "
        "remembers its size and place in $XDG_STATE_HOME/kiosk/demo-window.json; `kiosk run` sets it"))
    demo_platform_slow_s: float = Field(3.0, ge=0, description=(
        "Seconds each request to the embedded platform waits when the demo panel sets the platform 'slow' (s)"))
    demo_payment_expires_s: float = Field(30.0, gt=0, le=900, description=(
        "Seconds a payment order lives once the demo panel's scenario 'payment expires' is on, so its QR code "
        "expires while the tester watches (s)"))


class ScreenSettings(_M):
    """The screen's physical size, so the theme's millimetres are millimetres (kiosk/screen.py). Defaults and
    bounds: kiosk/settings_boot.py (the attract screen reads them before these models are built)."""

    diagonal_in: float = Field(boot.SCREEN_DIAGONAL_IN, ge=boot.SCREEN_DIAGONAL_IN_RANGE[0],
                               le=boot.SCREEN_DIAGONAL_IN_RANGE[1], description=(
        "Diagonal of the kiosk's display in inches (a 16:9 panel); used when the display reports no size "
        "(EDID) or source is \"setting\". Profiles tested: 15.6, 21.5, 32"))
    px_per_mm: float = Field(boot.SCREEN_PX_PER_MM, ge=boot.SCREEN_PX_PER_MM_RANGE[0],
                             le=boot.SCREEN_PX_PER_MM_RANGE[1], description=(
        "Logical scene pixels per millimetre, measured on the glass (e.g. a 100 mm line drawn by the "
        "console); 0 = computed from the EDID or diagonal_in. Overrides both"))
    source: boot.ScreenSource = Field(boot.SCREEN_SOURCE, description=(
        "auto: the physical size the connected display reports (EDID, /sys/class/drm), else diagonal_in; "
        "setting: diagonal_in only (a demo window on a laptop is not the kiosk's screen)"))


# Synthetic GS1 Global Location Numbers (China's GS1 prefix 690-699, check digit valid) for the utilities'
# bill barcodes in the demo and tests; a deployment sets the real GLNs of its invoicing companies.
DEMO_BILL_ISSUERS = {"6901234000016": "960000001000", "6901234000023": "960000002000",
                     "6901234000030": "960000003000"}
CAMERA_FORMATS = ["QRCode", "Code128", "DataMatrix", "PDF417"]


class BarcodeSettings(_M):
    """Code reading: camera scanning and what the kiosk makes of a scanned payload (kiosk/payloads.py)."""

    camera_scan: bool = Field(True, description="Also read codes from the document camera's preview frames")
    camera_dedupe_s: float = Field(3.0, ge=0, le=600, description=(
        "A code seen again within this time of its last sighting is not reported again (0 = report every read)"))
    camera_decode_budget_ms: float = Field(50.0, gt=0, le=1000, description=(
        "Time per frame for the live decoder's passes after the first one (ms, wall clock; more code regions, "
        "harder reads, small and inverted codes). 50 reads what no budget reads on the camera bench (115 and "
        "113 of 120 frames against 112-113 and 111 at 30); a frame with no code stops when its passes run out: "
        "~37 ms of CPU at 1080p (29 at 30 ms), ~27 at 1280x720 (28): the live scanner on an empty desk at 10 fps "
        "stays under 40 % of one core (docs/devices-barcode.md, round 14)"))
    camera_max_rate_hz: float = Field(0.0, ge=0, le=60, description=(
        "Frames decoded per second at most; 0 = every new preview frame, as fast as the CPU allows"))
    camera_idle_rate_hz: float = Field(2.0, ge=0, le=60, description=(
        "Frames decoded per second at most on the attract screen, where nobody is at the kiosk yet (Hz; 0 = as "
        "camera_max_rate_hz): a code held up is still read within 1/rate s, and the idle kiosk leaves the CPU "
        "alone (issue 22: idle loop <= 5 % of one core)"))
    camera_idle_budget_ms: float = Field(8.0, gt=0, le=1000, description=(
        "Time per frame for decoding on the attract screen (ms; the other screens: camera_decode_budget_ms). "
        "A frame with no code spends the whole budget (9 ms of CPU per empty desk at 8 ms, 21 at 30 ms: the "
        "idle loop's share stays where it was before the region reader); at 8 ms the region reader still reads "
        "38 of 60 camera-like frames, where the decoder before it read about 25 with the full 30 ms"))
    camera_idle_still_grey: float = Field(6.0, ge=0, le=255, description=(
        "On the attract screen a frame is not decoded when it shows what the last decoded frame showed: no cell "
        "of a 64x48 grey thumbnail differs by more than this (grey levels, after the frame-wide median change; "
        "0 = decode every frame). Sensor noise differs by ~1 level there, a code laid on the desk by tens "
        "(devices/barcode/still.py; issue 22: an empty desk costs a thumbnail, not a decode)"))
    camera_idle_still_max_skips: int = Field(5, ge=0, le=1000, description=(
        "Unchanged frames passed over in a row at most before one is decoded anyway (frames): a read that "
        "failed on one frame of a still scene is tried again, at camera_idle_rate_hz / (this + 1)"))
    camera_still_full_decode: bool = Field(True, description=(
        "A frame the live reader (camera_decode_budget_ms) reads nothing from, held still (it shows what the "
        "frame before it showed: camera_idle_still_grey's thumbnail test), is read once by the still "
        "decoder: label quadrilaterals, deconvolution, whole-frame zbar (~120 ms of CPU median at 1080p on such "
        "frames, up to ~0.8 s), once per "
        "still scene, not again until it changes (devices/barcode/camera_scan.py; false = the live reader only)"))
    camera_formats: list[str] = Field(default_factory=lambda: list(CAMERA_FORMATS), min_length=1, description=(
        "Symbologies read by the camera (names of devices.barcode.decode.SYMBOLOGIES); weak 1-D codes (Code39, "
        "ITF, Codabar) stay off: printed text under the camera can pass for them"))
    payload_max_chars: int = Field(512, ge=32, le=4096, description=(
        "A scanned payload longer than this is cut (after control characters are removed) and shown as text"))
    receipt_reference_pattern: str = Field(r"SZ[0-9]{14}", min_length=1, description=(
        "Regular expression of the platform's acceptance numbers, as they follow platform.tracking_url"))
    bill_issuers: dict[str, str] = Field(default_factory=lambda: dict(DEMO_BILL_ISSUERS), description=(
        "GS1 GLN of a utility's invoicing party (AI 415 on its bill barcode) -> catalogue item code it pays"))

    @field_validator("camera_formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        if value == CAMERA_FORMATS:
            return value  # the default is known good; checking it would load OpenCV with the settings
        from devices.barcode.decode import SYMBOLOGIES  # noqa: PLC0415

        unknown = sorted(set(value) - set(SYMBOLOGIES))
        if unknown:
            raise ValueError(f"unknown symbologies {unknown}; known: {', '.join(SYMBOLOGIES)}")
        return value

    @field_validator("receipt_reference_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @field_validator("bill_issuers")
    @classmethod
    def _glns(cls, value: dict[str, str]) -> dict[str, str]:
        if value == DEMO_BILL_ISSUERS:
            return value  # the default is known good; checking it would import the barcode package at start-up
        from devices.barcode.gs1 import check_digit_ok  # noqa: PLC0415

        bad = sorted(g for g in value if len(g) != 13 or not check_digit_ok(g))
        if bad:
            raise ValueError(f"not 13-digit GLNs with a valid check digit: {bad}")
        return value


class MaintenanceSettings(_M):
    max_attempts: int = Field(5, ge=1, description="Wrong PINs before the console locks (a right PIN resets "
                                                   "the count; scanned codes that are not badges never count)")
    lockout_s: float = Field(900.0, gt=0, description="How long the console stays locked after max_attempts; "
                                                      "each further wrong PIN doubles it")
    max_lockout_s: float = Field(86400.0, gt=0, description="The doubling lock never exceeds this")
    idle_timeout_s: float = Field(600.0, gt=0, description="An unattended console returns to service after this")
    gesture_taps: int = Field(5, ge=3, description="Taps in the home screen's top-right corner that open the PIN pad")
    gesture_window_s: float = Field(3.0, gt=0, description="The taps must fall within this time")
    demo_pin: str = Field("2468", pattern=r"^[0-9]{4,12}$",
                          description="PIN accepted in demo mode while no PIN has been set (never in production)")
    device_test_timeout_s: float = Field(15.0, gt=0, description="A device test gives up after this")


class HelpSettings(_M):
    """呼叫帮助 (issue 15): the call goes to the platform and to the kiosk's own alarm output."""

    phone: str = Field("12345", max_length=32, description="The location's phone number shown with every call for "
                                                           "help (staff on duty, or the hall's desk)")
    command: list[str] = Field(default_factory=list, description=(
        "Local alarm hook run at each call, e.g. [\"/usr/local/bin/hall-bell\"] or a relay/GPIO script; it gets "
        "the environment KIOSK_HELP_ID, KIOSK_ID, KIOSK_LOCATION, KIOSK_STEP. Empty: none"))
    command_timeout_s: float = Field(10.0, gt=0, description="The hook is stopped past this")
    poll_s: float = Field(5.0, gt=0, description="How often an open call is asked whether staff acknowledged it")


class MonitoringSettings(_M):
    heartbeat_interval_s: float = Field(60.0, gt=0, description=(
        "How often the local heartbeat file (read by kiosk doctor) is written; the platform's heartbeat "
        "follows platform.heartbeat_interval_s"))
    min_free_disk_mb: int = Field(500, ge=0, description="Less free space under data_dir is an alert")
    backlog_alert: int = Field(20, ge=1, description="An outbox backlog this large is an alert")
    backlog_age_alert_s: float = Field(3600.0, gt=0, description="An application waiting longer is an alert")
    cert_warn_days: int = Field(30, ge=0, description="The doctor warns when the platform's TLS certificate "
                                                       "expires within this many days")
    max_clock_skew_s: float = Field(300.0, gt=0, description="Allowed difference to the platform's clock")


class AuditSettings(_M):
    file_max_bytes: int = Field(8_000_000, ge=4096, description="An audit file is closed and a new one started "
                                                               "past this size")
    fsync: bool = Field(True, description="fsync every record (survives power loss; off only on slow media)")
    upload_batch: int = Field(200, ge=1, description="Records per upload to the platform")
    upload_interval_s: float = Field(30.0, gt=0, description="How often pending records are uploaded")
    key_file: str = Field("/etc/kiosk/audit.key", description=(
        "The audit key (32 bytes; MACs the trail), kept OUTSIDE data_dir: root-owned, mode 0600. Under systemd the "
        "credential kiosk-audit-key (LoadCredential=/LoadCredentialEncrypted=) is used instead; a file ending in "
        ".cred is a sealed credential (systemd-creds). A relative path is taken from data_dir's parent "
        "directory. A key file inside data_dir is refused"))


class Settings(_M):
    kiosk_id: str = Field("SZ-KIOSK-0001", min_length=1, description="This kiosk's id at the platform")
    kiosk_location: str = Field("深圳市南山区政务服务中心", description="Where the kiosk stands (on receipts)")
    region_code: str = Field("440305", pattern=r"^[0-9]{6}$", description="GB/T 2260 area code of the hall")
    data_dir: Path = Field(boot.DATA_DIR, description="All state: outbox, audit, logs, temp scans")
    demo: bool = Field(False, description="Demo mode: simulated devices, embedded platform")
    catalog_dir: Path = Field(CONFIG_DIR / "catalog", description="Local catalog (used offline and by the demo)")
    devices: DevicesSettings = DevicesSettings()
    idle: IdleSettings = IdleSettings()
    platform: PlatformSettings = PlatformSettings()
    outbox: OutboxSettings = OutboxSettings()
    security: SecuritySettings = SecuritySettings()
    ui: UiSettings = UiSettings()
    screen: ScreenSettings = ScreenSettings()
    barcode: BarcodeSettings = BarcodeSettings()
    maintenance: MaintenanceSettings = MaintenanceSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    help: HelpSettings = HelpSettings()
    audit: AuditSettings = AuditSettings()
    face: FaceSettings = FaceSettings()
    liveness: LivenessSettings = LivenessSettings()
    face_engine: FaceEngineSettings = FaceEngineSettings()
    log_level: boot.LogLevel = boot.LOG_LEVEL

    def path(self, *parts: str) -> Path:
        """A path under the data directory, created on first use (mode 0700, as are missing parents)."""
        return private_dir(self.data_dir.joinpath(*parts))


def load_settings(files: list[Path], *, data_dir: str | Path | None = None,
                  overrides: dict[str, Any] | None = None) -> Settings:
    """Merge ``files`` in order, then the data dir's local overrides, then ``overrides``
    (kiosk.settings_boot.merge_sources: the same merge ``kiosk run``'s first frame reads)."""
    merged, sources = merge_sources(files, data_dir=data_dir, overrides=overrides)
    _move_scanner_out_of_camera_slot(merged, sources)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc.errors(), sources)) from None
    settings = settings.model_copy(update={
        "data_dir": resolve_dir(settings.data_dir),
        "security": settings.security.model_copy(update={"key_dir": resolve_dir(settings.security.key_dir)})})
    if settings.security.key_dir.is_relative_to(settings.data_dir):
        raise SettingsError(f"{sources.get('security.key_dir', 'defaults')}: security.key_dir: found "
                            f"{str(settings.security.key_dir)!r}: the keys must live outside data_dir "
                            f"({settings.data_dir}), or whoever copies the data copies the keys too")
    return settings


def _move_scanner_out_of_camera_slot(merged: dict[str, Any], sources: dict[str, str]) -> None:
    """A ``sane://`` URL under ``[devices.camera]`` (the camera slot held the scanner before the scanner was
    a device kind of its own; deployed kiosks' settings.local.toml still say so) becomes ``[devices.scanner]``
    with the camera's options, and the camera is disabled: the kiosk had a scanner and no camera."""
    devices = merged.get("devices")
    camera = devices.get("camera") if isinstance(devices, dict) else None
    url = camera.get("url") if isinstance(camera, dict) else None
    if not (isinstance(url, str) and url.strip().lower().startswith("sane://")):
        return
    origin = sources.get("devices.camera.url", "settings")
    log.warning("%s: devices.camera.url is a document scanner (%s): moved to [devices.scanner]; "
                "configure it there (the maintenance console does)", origin, url)
    scanner = {k: v for k, v in camera.items() if k in ("url", "enabled", "options")}
    scanner.setdefault("enabled", True)
    devices["scanner"] = {**(devices.get("scanner") or {}), **scanner}
    devices["camera"] = {"url": "", "enabled": False}
    for key in [k for k in sources if k.startswith("devices.camera.")]:
        sources["devices.scanner." + key.removeprefix("devices.camera.")] = sources.pop(key)
