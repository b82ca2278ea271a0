"""A throwaway PostgreSQL cluster for the test run: started once per session, on a unix socket in /tmp.

initdb and postgres refuse to run as root, so as root the cluster belongs to the ``postgres`` user (Debian's
package creates it) or else ``nobody`` and runs through ``setpriv`` (util-linux, like runuser, but it execs,
so the signal that stops the server reaches it). No TCP port is opened (``listen_addresses=''``): the socket
directory is private to the run. fsync is off (unless ``durable``): a test cluster is thrown away, its
durability is not under test. ``PgCluster.database()`` makes a fresh empty database per caller.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg


def pg_bin() -> Path | None:
    """The newest PostgreSQL server's bin directory (Debian: /usr/lib/postgresql/N/bin), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


class PgCluster:
    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        """``durable``: fsync and synchronous commit on, as a deployment runs (the fleet benchmark); off for
        the tests, whose cluster is thrown away."""
        self.bin = bin_dir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.user = "kiosk_test"
        self._as: list[str] = []
        if os.geteuid() == 0:
            owner = "postgres" if _has_user("postgres") else "nobody"
            pw = pwd.getpwnam(owner)
            os.chmod(self.root, 0o755)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            # setpriv execs (runuser forks and keeps the child): the signal that stops the server reaches it
            self._as = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups", "--"]
        self._started = False

    def _run(self, *argv: str) -> None:
        subprocess.run([*self._as, *argv], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=self.root, timeout=120)

    def start(self) -> None:
        self._run("mkdir", "-m", "0700", str(self.sock))
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        log = self.root / "postgres.log"
        opts = ["-k", str(self.sock), "-c", "listen_addresses=", "-c", "max_connections=200",
                "-c", "shared_buffers=32MB",
                *([] if self.durable else ["-c", "fsync=off", "-c", "synchronous_commit=off",
                                           "-c", "full_page_writes=off"])]
        # pg_ctl -w returns once the server accepts connections (PostgreSQL's own readiness wait): no polling
        # loop here. The log is written by the server itself, so it must be writable by the cluster's owner.
        proc = subprocess.run([*self._as, str(self.bin / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.data),
                               "-l", str(log), "-o", " ".join(opts)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root, timeout=90)
        if proc.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"test PostgreSQL did not start: {proc.stderr.decode(errors='replace')} {tail}")
        self._started = True

    @property
    def pid(self) -> int | None:
        """The server's process (the postmaster; its backends are its children)."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.sock}"

    def database(self) -> str:
        """A new empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self._started:
            try:  # fast shutdown: clients are cut off; -w waits until the server is gone
                subprocess.run([*self._as, str(self.bin / "pg_ctl"), "stop", "-w", "-t", "20", "-m", "fast", "-D",
                                str(self.data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=self.root, timeout=30)
            except subprocess.TimeoutExpired:
                pid = self.pid
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
