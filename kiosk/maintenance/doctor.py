"""``kiosk doctor``: what a technician checks on a kiosk that misbehaves, each failure with what to do.

Fonts with Chinese, the zbar library, each configured device (opened briefly, or read from the running
kiosk's heartbeat so the doctor never fights the kiosk for a serial port), serial port permissions, the
camera's real resolution, disk space, the clock, the platform and its TLS certificate, the kiosk secret,
the outbox backlog and the audit trail. The Qt checks (platform plugins, the virtual keyboard) need to
know where Qt lives and are added by ui/commands/doctor.py through ``library_check``.

Every probe is injectable (font lister, command runner, clock), so tests can break one thing at a time.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import grp
import json
import os
import pwd
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from devices.base import DeviceState, Health, Supply
from devices.errors import DeviceErrorCode, error_info
from devices.manager import DeviceManager, DeviceSpec
from devices.transport import parse_url

from ..audit.key import audit_key
from ..audit.verify import verify
from ..audit.key import AuditKeyError
from ..ops.monitor import free_disk_mb
from ..settings import Settings

APP_FONT = "Noto Sans CJK SC"
BUILD_YEAR = 2026  # a clock before this year is certainly wrong
HEARTBEAT_FRESH_S = 180.0
DEVICE_NAMES = ("idcard", "printer", "camera", "scanner", "barcode", "a4")
A4_SUPPLY_REMEDY = {"paper": "Load A4 paper into the printer's tray.",
                    "toner": "Have a toner cartridge ready: the printer reports toner low."}


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    remedy: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


Runner = Callable[[list[str]], tuple[int, str]]


def run_command(argv: list[str]) -> tuple[int, str]:
    """(exit status, stdout+stderr); 127 when the program does not exist."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return 127, f"{argv[0]}: not installed"
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]}: no answer within 30 s"
    return proc.returncode, proc.stdout + proc.stderr


def fc_list_chinese(runner: Runner = run_command) -> list[str] | None:
    """Font families that cover Chinese, per fontconfig; None when fc-list is missing."""
    code, out = runner(["fc-list", ":lang=zh", "family"])
    if code == 127:
        return None
    families: list[str] = []
    for line in out.splitlines():
        families.extend(f.strip() for f in line.split(",") if f.strip())
    return sorted(set(families))


# Debian packages that provide the libraries Qt's plugins need (qt-kiosk-notes.md).
LIB_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libpulse.so.0": "libpulse0", "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1", "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-cursor.so.0": "libwayland-cursor0", "libwayland-client.so.0": "libwayland-client0",
    "libwayland-egl.so.1": "libwayland-egl1", "libzbar.so.0": "libzbar0",
}


def library_check(name: str, libraries: list[Path], runner: Runner = run_command) -> Check:
    """Do these shared objects find every library they link (``ldd``)? Names the Debian packages to add."""
    missing: set[str] = set()
    present = [p for p in libraries if p.exists()]
    if not present:
        return Check(name, Status.FAIL, "not found: " + ", ".join(str(p) for p in libraries),
                     "Reinstall the kiosk's Python environment (pip install -e .).")
    for lib in present:
        code, out = runner(["ldd", str(lib)])
        if code == 127:
            return Check(name, Status.SKIP, "ldd is not installed")
        missing.update(line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line)
    if not missing:
        return Check(name, Status.OK, f"{len(present)} plugin(s) load their libraries")
    packages = sorted({LIB_PACKAGES.get(m, f"(the package with {m})") for m in missing})
    return Check(name, Status.FAIL, "missing libraries: " + ", ".join(sorted(missing)),
                 "sudo apt-get install --no-install-recommends " + " ".join(packages))


class Doctor:
    def __init__(self, settings: Settings, *, platform_url: str | None = None,
                 font_lister: Callable[[], list[str] | None] | None = None, runner: Runner = run_command,
                 clock: Callable[[], float] = time.time, device_timeout_s: float = 6.0,
                 use_heartbeat: bool = True) -> None:
        self.settings = settings
        self.platform_url = (platform_url or settings.platform.url).rstrip("/")
        self.font_lister = font_lister or (lambda: fc_list_chinese(runner))
        self.runner = runner
        self.clock = clock
        self.device_timeout_s = device_timeout_s
        self.use_heartbeat = use_heartbeat
        self._platform_date: float | None = None

    def run(self, extra: list[Callable[[], Check]] | None = None) -> list[Check]:
        checks: list[Callable[[], Check | list[Check]]] = [
            self.fonts, self.zbar, *(extra or []), self.devices, self.serial_permissions, self.disk,
            self.platform, self.clock_check, self.tls, self.secret, self.outbox, self.audit_trail]
        out: list[Check] = []
        for check in checks:
            try:
                result = check()
            except Exception as exc:  # a broken probe is itself a finding, never a crash of the doctor
                result = Check(getattr(check, "__name__", "check"), Status.FAIL, f"{type(exc).__name__}: {exc}",
                               "This is a bug in the doctor; report it with the output.")
            out.extend(result if isinstance(result, list) else [result])
        return out

    # ----- what the screen needs -----------------------------------------------------------------
    def fonts(self) -> Check:
        families = self.font_lister()
        if families is None:
            return Check("fonts", Status.FAIL, "fontconfig (fc-list) is not installed",
                         "sudo apt-get install fontconfig fonts-noto-cjk")
        if APP_FONT in families:
            return Check("fonts", Status.OK, f"{APP_FONT} present ({len(families)} Chinese families)")
        if families:
            return Check("fonts", Status.WARN, f"{APP_FONT} missing; Chinese falls back to {families[0]}",
                         "sudo apt-get install fonts-noto-cjk (the screens are designed for Noto Sans CJK SC)")
        return Check("fonts", Status.FAIL, "no font with Chinese characters: the screens would show boxes",
                     "sudo apt-get install fonts-noto-cjk, then restart the kiosk")

    def zbar(self) -> Check:
        from devices.barcode.decode import engines_available  # noqa: PLC0415 - loads the decoders

        engines = engines_available()
        if engines["zbar"] and engines["zbar_qr"]:
            return Check("zbar", Status.OK, "zbar and zxing-cpp decode codes")
        if engines["zbar"]:
            return Check("zbar", Status.WARN, str(engines["message"]), "Upgrade libzbar0 to 0.23 or newer.")
        return Check("zbar", Status.FAIL, str(engines["message"]).split(".")[0],
                     "sudo apt-get install libzbar0 (zxing-cpp alone misses some damaged codes)")

    # ----- devices -------------------------------------------------------------------------------
    def _configured(self) -> list[DeviceSpec]:
        specs = []
        for name in DEVICE_NAMES:
            ds = getattr(self.settings.devices, name)
            if ds.enabled and ds.url:
                specs.append(DeviceSpec(name, name, ds.url, dict(ds.options)))
        return specs

    def _running_kiosk_health(self) -> dict[str, Any] | None:
        """The devices as the running kiosk last reported them (its heartbeat), if it is fresh."""
        path = self.settings.data_dir / "monitoring" / "heartbeat.json"
        try:
            if self.clock() - path.stat().st_mtime > max(HEARTBEAT_FRESH_S,
                                                        2.5 * self.settings.monitoring.heartbeat_interval_s):
                return None
            return json.loads(path.read_text(encoding="utf-8")).get("devices")
        except (OSError, ValueError):
            return None

    def devices(self) -> list[Check]:
        specs = self._configured()
        if not specs:
            return [Check("devices", Status.WARN, "no device is configured", "Set the device URLs in the console.")]
        live = self._running_kiosk_health() if self.use_heartbeat else None
        if live is not None:
            return [self._judge_reported(s, live.get(s.name)) for s in specs]
        return self._open_briefly(specs)

    def _open_briefly(self, specs: list[DeviceSpec]) -> list[Check]:
        """Open every device at once (the slowest sets the pace), let each poll once, close them."""
        results: dict[str, Check] = {}
        good: list[DeviceSpec] = []
        for spec in specs:
            try:
                parse_url(spec.url)
                DeviceManager([spec])  # builds the driver: a bad URL or option fails here
                good.append(spec)
            except Exception as exc:
                results[spec.name] = Check(f"device {spec.name}", Status.FAIL, f"{spec.url}: {exc}",
                                           error_info(DeviceErrorCode.UNSUPPORTED_URL).remedy)
        manager = DeviceManager(good)
        changed = threading.Event()
        manager.subscribe(lambda e: changed.set())
        manager.start()
        devices = [manager.get(s.name) for s in good]
        deadline = time.monotonic() + self.device_timeout_s
        try:
            while time.monotonic() < deadline and any(
                    d.state in (DeviceState.CLOSED, DeviceState.STARTING) for d in devices if d is not None):
                changed.wait(0.1)
                changed.clear()
            # Give the devices that came up one poll to report supplies and faults.
            online = [d for d in devices if d is not None and d.state in (DeviceState.IDLE, DeviceState.BUSY)]
            if online:
                threading.Event().wait(min(max(d.poll_interval_s for d in online) + 0.3, 2.5))
            for spec, device in zip(good, devices):
                assert device is not None
                results[spec.name] = self._judge(spec, device.health())
        finally:
            manager.stop()
        return [results[s.name] for s in specs]

    def _judge(self, spec: DeviceSpec, h: Health) -> Check:
        name = f"device {spec.name}"
        if h.state in (DeviceState.CLOSED, DeviceState.STARTING):
            return Check(name, Status.FAIL, f"{spec.url}: no answer within {self.device_timeout_s:.0f} s",
                         error_info(DeviceErrorCode.TIMEOUT).remedy)
        if not h.ok:
            info = error_info(h.error_code or DeviceErrorCode.TRANSPORT_OPEN_FAILED)
            detail = h.error_detail.removeprefix(f"{spec.url}: ")
            return Check(name, Status.FAIL, f"[{info.code}] {info.en} — {spec.url}" + (f" ({detail})" if detail else ""),
                         info.remedy)
        if spec.kind == "a4":
            return self._a4_queue(spec, h)
        low = [k for k, v in h.supplies.items() if v in (Supply.LOW, Supply.OUT)]
        if low:
            return Check(name, Status.WARN, f"answers, but {', '.join(low)} is running out", "Load a new paper roll.")
        if spec.name == "camera":
            return self._camera_resolution(spec, h)
        extra = f", SAM {h.info['sam_id']}" if "sam_id" in h.info else ""
        return Check(name, Status.OK, f"answers at {spec.url}{extra}")

    def _a4_queue(self, spec: DeviceSpec, h: Health) -> Check:
        """An A4 printer that prints: its queue's state reasons may still warn of paper or toner running low."""
        where = f"queue {h.info.get('queue', '?')} at {h.info.get('server', '?')}"
        reasons = h.info.get("reasons", "none")
        low = [k for k, v in h.supplies.items() if v in (Supply.LOW, Supply.OUT)]
        if low:
            remedy = " ".join(A4_SUPPLY_REMEDY.get(k, f"Replace the {k}.") for k in low)
            return Check("device a4", Status.WARN, f"{where}: {', '.join(low)} running low (reasons {reasons})", remedy)
        return Check("device a4", Status.OK, f"{where}: ready (reasons {reasons})")

    def _judge_reported(self, spec: DeviceSpec, reported: dict[str, Any] | None) -> Check:
        name = f"device {spec.name}"
        if reported is None:
            return Check(name, Status.FAIL, "the running kiosk does not report this device",
                         "Restart the kiosk (systemctl restart kiosk) so it picks up its settings.")
        state = str(reported.get("state"))
        code = reported.get("error_code")
        if state not in ("idle", "busy"):
            info = error_info(code or DeviceErrorCode.TRANSPORT_OPEN_FAILED)
            return Check(name, Status.FAIL, f"[{info.code}] {info.en} (reported by the running kiosk)", info.remedy)
        low = [k for k, v in (reported.get("supplies") or {}).items() if v in ("low", "out")]
        if low:
            remedy = (" ".join(A4_SUPPLY_REMEDY.get(k, f"Replace the {k}.") for k in low) if spec.kind == "a4"
                      else "Load a new paper roll.")
            return Check(name, Status.WARN, f"{', '.join(low)} running out (reported by the running kiosk)", remedy)
        return Check(name, Status.OK, f"{state} (reported by the running kiosk's heartbeat)")

    def _camera_resolution(self, spec: DeviceSpec, h: Health) -> Check:
        u = parse_url(spec.url)
        want = (u.int_param("width", 2592), u.int_param("height", 1944))
        got = h.info.get("resolution", "")
        try:
            gw, gh = (int(x) for x in got.split("x"))
        except ValueError:
            return Check("device camera", Status.OK, f"answers at {spec.url} (resolution not reported)")
        if gw * gh < want[0] * want[1]:
            info = error_info(DeviceErrorCode.CAMERA_RESOLUTION)
            return Check("device camera", Status.WARN, f"gives {gw}x{gh}, configured {want[0]}x{want[1]}", info.remedy)
        return Check("device camera", Status.OK, f"answers at {spec.url}, {gw}x{gh}")

    def serial_permissions(self) -> list[Check]:
        out = []
        user = pwd.getpwuid(os.geteuid()).pw_name
        for spec in self._configured():
            try:
                u = parse_url(spec.url)
            except Exception:
                continue
            if u.scheme != "serial":
                continue
            path = u.path or u.host
            name = f"serial {spec.name}"
            if not os.path.exists(path):
                out.append(Check(name, Status.FAIL, f"{path} does not exist",
                                 "Plug the device in; `ls -l /dev/serial/by-id/` lists what is connected; "
                                 "choose the port in the maintenance console."))
                continue
            if os.access(path, os.R_OK | os.W_OK):
                out.append(Check(name, Status.OK, f"{path} readable and writable by {user}"))
                continue
            group = grp.getgrgid(os.stat(path).st_gid).gr_name
            out.append(Check(name, Status.FAIL, f"{user} may not open {path} (group {group})",
                             f"sudo usermod -aG {group} {user}, then log in again / restart the kiosk service"))
        return out

    # ----- the machine ---------------------------------------------------------------------------
    def disk(self) -> Check:
        d = self.settings.data_dir
        try:
            d.mkdir(parents=True, exist_ok=True)
            probe = d / ".doctor-probe"
            probe.write_bytes(b"x")
            probe.unlink()
        except OSError as exc:
            return Check("disk", Status.FAIL, f"{d} is not writable: {exc.strerror}",
                         f"sudo chown -R kiosk:kiosk {d}")
        free = free_disk_mb(d)
        need = self.settings.monitoring.min_free_disk_mb
        if free < need:
            return Check("disk", Status.FAIL, f"{free} MB free under {d} (need {need} MB)",
                         "Free space: old logs under logs/, `journalctl --vacuum-size=200M`; check the outbox backlog.")
        return Check("disk", Status.OK, f"{free} MB free under {d}")

    def clock_check(self) -> Check:
        now = self.clock()
        year = dt.datetime.fromtimestamp(now).year
        if year < BUILD_YEAR:
            return Check("clock", Status.FAIL, f"the clock says {year}",
                         "Set the time: `sudo timedatectl set-ntp true` (needs network) or `sudo date -s ...`; "
                         "receipts and the audit trail carry this time.")
        if self._platform_date is not None:
            skew = now - self._platform_date
            if abs(skew) > self.settings.monitoring.max_clock_skew_s:
                return Check("clock", Status.FAIL, f"{skew:+.0f} s off the platform's clock",
                             "Enable time sync: `sudo timedatectl set-ntp true`; check that NTP (UDP 123) may pass.")
            return Check("clock", Status.OK, f"{skew:+.1f} s from the platform's clock")
        code, out = self.runner(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
        if code == 0 and out.strip() == "no":
            return Check("clock", Status.WARN, "not synchronised with a time server", "sudo timedatectl set-ntp true")
        return Check("clock", Status.OK, dt.datetime.fromtimestamp(now).isoformat(timespec="seconds"))

    # ----- the platform --------------------------------------------------------------------------
    def platform(self) -> Check:
        import requests  # noqa: PLC0415

        url = f"{self.platform_url}/api/v1/health"
        started = time.monotonic()
        try:
            resp = requests.get(url, timeout=self.settings.platform.timeout_s, verify=self.settings.platform.verify_tls)
        except requests.RequestException as exc:
            return Check("platform", Status.FAIL, f"{self.platform_url}: {type(exc).__name__}",
                         "Check the network cable / Wi-Fi, DNS, the firewall, and platform.url in settings.")
        ms = (time.monotonic() - started) * 1000
        date = resp.headers.get("Date")
        if date:
            try:
                self._platform_date = email.utils.parsedate_to_datetime(date).timestamp()
            except (TypeError, ValueError):
                pass
        if resp.status_code != 200:
            return Check("platform", Status.FAIL, f"{url}: HTTP {resp.status_code}",
                         "The platform answers but not as expected: check platform.url (path and version).")
        return Check("platform", Status.OK, f"{self.platform_url} answers in {ms:.0f} ms")

    def tls(self) -> Check:
        parts = urlsplit(self.platform_url)
        if parts.scheme != "https":
            if parts.hostname in ("127.0.0.1", "localhost", "::1"):
                return Check("tls", Status.SKIP, "local platform over plain HTTP (demo)")
            return Check("tls", Status.FAIL, f"{self.platform_url} is not https: applications would travel unencrypted",
                         "Use the platform's https:// address in platform.url.")
        host, port = parts.hostname or "", parts.port or 443
        ctx = ssl.create_default_context()
        try:
            with socket.create_connection((host, port), timeout=self.settings.platform.timeout_s) as raw, \
                    ctx.wrap_socket(raw, server_hostname=host) as tls:
                cert = tls.getpeercert() or {}
        except ssl.SSLCertVerificationError as exc:
            return Check("tls", Status.FAIL, f"{host}: certificate not trusted ({exc.verify_message})",
                         "Install the platform's CA certificate under /usr/local/share/ca-certificates/ and run "
                         "`sudo update-ca-certificates`; check the clock.")
        except OSError as exc:
            return Check("tls", Status.FAIL, f"{host}:{port}: {exc}", "Check the network and the firewall (TCP 443).")
        expires = ssl.cert_time_to_seconds(cert["notAfter"]) if "notAfter" in cert else None
        if expires is None:
            return Check("tls", Status.OK, f"{host}: certificate trusted")
        days = (expires - self.clock()) / 86400
        if days < self.settings.monitoring.cert_warn_days:
            return Check("tls", Status.WARN, f"{host}: certificate expires in {days:.0f} days",
                         "Tell the platform operator; kiosks stop submitting when it expires.")
        return Check("tls", Status.OK, f"{host}: certificate trusted, {days:.0f} days left")

    def secret(self) -> Check:
        p = self.settings.platform
        if p.secret:
            return Check("secret", Status.OK if self.settings.demo else Status.WARN,
                         "the kiosk secret is written in the settings" + ("" if self.settings.demo else
                                                                         " (readable by anyone who reads them)"),
                         "" if self.settings.demo else "Move it to platform.secret_file (mode 0600).")
        if not p.secret_file:
            return Check("secret", Status.FAIL, "no kiosk secret configured",
                         "Put the secret from the platform operator in /etc/kiosk/secret (docs/deployment.md, 4).")
        path = Path(p.secret_file)
        try:
            mode = path.stat().st_mode & 0o777
            path.read_bytes()
        except OSError as exc:
            return Check("secret", Status.FAIL, f"{path}: {exc.strerror}",
                         f"Create it: sudo install -m 0640 -o root -g kiosk /dev/stdin {path} (docs/deployment.md, 4)")
        if mode & 0o007:
            return Check("secret", Status.FAIL, f"{path} is readable by everyone (mode {mode:o})",
                         f"sudo chmod 640 {path} (owner root, group kiosk) or chmod 600 (owner kiosk)")
        return Check("secret", Status.OK, f"{path} (mode {mode:o})")

    # ----- what waits ----------------------------------------------------------------------------
    def outbox(self) -> Check:
        db = self.settings.data_dir / "outbox" / "outbox.sqlite"
        if not db.exists():
            return Check("outbox", Status.OK, "empty (no application stored yet)")
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                pending, oldest = con.execute("SELECT COUNT(*), MIN(created_at) FROM applications WHERE state IN "
                                              "('pending','sending')").fetchone()
                (rejected,) = con.execute("SELECT COUNT(*) FROM applications WHERE state='rejected'").fetchone()
            finally:
                con.close()
        except sqlite3.Error as exc:
            return Check("outbox", Status.FAIL, f"{db}: {exc}", "Restore the outbox from backup; see the log.")
        m = self.settings.monitoring
        age = self.clock() - oldest if oldest else 0.0
        detail = f"{pending} waiting" + (f", oldest {age / 60:.0f} min" if pending else "") + f", {rejected} refused"
        if pending >= m.backlog_alert or age >= m.backlog_age_alert_s:
            return Check("outbox", Status.WARN, detail, "The platform is not taking applications: see the platform "
                                                        "check above and the console's outbox page.")
        if rejected:
            return Check("outbox", Status.WARN, detail, "Refused applications need a person: see the console's outbox.")
        return Check("outbox", Status.OK, detail)

    def audit_trail(self) -> Check:
        d = self.settings.data_dir / "audit"
        if not d.is_dir():
            return Check("audit", Status.OK, "no trail yet")
        try:
            key, problem = audit_key(self.settings, create=False), ""
        except (AuditKeyError, OSError) as exc:
            key, problem = None, str(exc)
        report = verify(d, key, key_problem=problem)
        if report.ok:
            return Check("audit", Status.OK, f"{report.records} records intact (last seq {report.last_seq})")
        return Check("audit", Status.FAIL, str(report.findings[0]) + (f" (+{len(report.findings) - 1} more)"
                                                                      if len(report.findings) > 1 else ""),
                     "Keep the files as they are (evidence) and tell the supervisor; `kiosk audit verify` lists all.")


def worst(checks: list[Check]) -> Status:
    for status in (Status.FAIL, Status.WARN):
        if any(c.status == status for c in checks):
            return status
    return Status.OK
