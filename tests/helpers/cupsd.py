"""A private cupsd for tests: its own config, spool, logs and sockets in a temporary directory, one cups-pdf
queue whose PDFs land in ``out``; the system's cupsd and its configuration are never touched.

cupsd must run as root (it starts the backend cups-pdf as root and the filters as lp), so ``skip_reason()``
says why the tests cannot run elsewhere. The one file written outside the temporary directory is cups-pdf's
per-queue configuration ``/etc/cups/cups-pdf-QUEUE.conf`` (cups-pdf reads its configuration only from
/etc/cups; the queue name carries the process id, and the file is removed on stop).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from devices.a4.client import HttpEndpoint, IppClient
from devices.errors import DeviceError

from .fakes import wait_until

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF_DIR = Path("/etc/cups")


def skip_reason() -> str | None:
    """Why a private cupsd cannot run here (None: it can)."""
    if os.geteuid() != 0:
        return "cupsd needs root (it runs the cups-pdf backend as root and filters as lp); run the tests as root"
    missing = [str(p) for p in (Path(CUPSD), CUPS_PDF, PDF_PPD) if not p.exists()]
    if missing:
        return f"not installed: {', '.join(missing)} (tools/system-deps.sh installs cups and printer-driver-cups-pdf)"
    if shutil.which("cupsdisable") is None:
        return "cupsdisable missing (Debian package cups-client)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCupsd:
    def __init__(self, queue: str | None = None) -> None:
        self.queue = queue or f"kiosktest{os.getpid()}"
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-cupsd-"))
        self.port = _free_port()
        self.socket = self.dir / "cups.sock"
        self.out = self.dir / "out"
        self.pdf_conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{self.queue}.conf"
        self.proc: subprocess.Popen | None = None

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"server": str(self.socket), **params}.items())
        return f"cups://{self.queue}?{query}"

    def start(self) -> "PrivateCupsd":
        # What cupsd's children (filters as lp, ghostscript as nobody) must read is written world-readable,
        # whatever umask this process has (ui.cli.main sets the kiosk's 077 when a test calls it).
        old = os.umask(0o022)
        try:
            self._write_config()
        finally:
            os.umask(old)
        with (self.dir / "log/stderr").open("wb") as stderr:   # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen([CUPSD, "-f", "-c", str(self.dir / "root/cupsd.conf"), "-s",
                                          str(self.dir / "root/cups-files.conf")], stdout=subprocess.DEVNULL,
                                         stderr=stderr, umask=0o022)
        try:
            wait_until(self._ready, timeout_s=20)
        except BaseException:
            self.stop()
            raise
        return self

    def _write_config(self) -> None:
        d = self.dir
        root = d / "root"
        for sub in ("root/ppd", "spool", "cache", "state", "log", "out", "tmp", "pdf-spool"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        # Filters run as lp and ghostscript (inside cups-pdf) as nobody: they must reach these directories.
        for path, mode in ((d, 0o755), (root, 0o755), (d / "tmp", 0o1777), (self.out, 0o1777)):
            path.chmod(mode)
        (root / "cups-files.conf").write_text(
            f"ServerRoot {root}\nRequestRoot {d / 'spool'}\nTempDir {d / 'tmp'}\nCacheDir {d / 'cache'}\n"
            f"StateDir {d / 'state'}\nAccessLog {d / 'log/access_log'}\nErrorLog {d / 'log/error_log'}\n"
            f"PageLog {d / 'log/page_log'}\nPrintcap {d / 'printcap'}\nServerBin /usr/lib/cups\n"
            "DataDir /usr/share/cups\nUser lp\nGroup lp\nSystemGroup root\nSandboxing relaxed\n")
        (root / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nListen {self.socket}\nLogLevel info\nBrowsing Off\n"
            "DefaultAuthType None\nWebInterface No\nDefaultPolicy open\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy open>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        shutil.copy(PDF_PPD, root / "ppd" / f"{self.queue}.ppd")
        (root / "printers.conf").write_text(
            f"<Printer {self.queue}>\nInfo Kiosk test A4\nDeviceURI cups-pdf:/{self.queue}\nState Idle\n"
            "Accepting Yes\nShared No\n</Printer>\n")
        self.pdf_conf.write_text(f"Out {self.out}\nAnonDirName {self.out}\nSpool {d / 'pdf-spool'}\n"
                                 f"Log {d / 'log'}\nLogType 3\n")

    def _ready(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, self.log()
        try:
            return any(q.name == self.queue for q in IppClient(HttpEndpoint(str(self.socket)), timeout_s=2).queues())
        except DeviceError:
            return False

    def lp_admin(self, program: str) -> None:
        """cupsdisable / cupsenable / cupsreject / cupsaccept on the test queue, as a technician would."""
        subprocess.run([program, "-h", self.server, self.queue], check=True, capture_output=True, timeout=20)

    def pdfs(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"))

    def log(self) -> str:
        try:
            return (self.dir / "log/error_log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(self.dir, ignore_errors=True)
