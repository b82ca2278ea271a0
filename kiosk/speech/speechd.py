"""Is speech-dispatcher there, and does it answer? A probe of its socket (SSIP) with a time limit.

A speech-dispatcher that accepts connections but never answers (seen here: a daemon stuck while unloading
its espeak-ng module on exit, still holding its socket; and, every time, a daemon with no audio server to play
to: after "Opening audio failed: Couldn't open pulse plugin" its first sentence leaves its main thread waiting
for good) makes Qt's speechd engine block the GUI thread in its constructor, for good. The kiosk asks this
probe first and stays silent instead of hanging; ``kiosk doctor`` reports the same finding with the remedy, and
names the audio failure when the daemon's log has one (``audio_cause``).
"""
from __future__ import annotations

import os
import signal
import socket
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Mapping

PROBE_TIMEOUT_S = 2.0  # a healthy daemon answers in milliseconds
STOP_WAIT_S = 3.0  # a hung daemon's time to go after SIGTERM before SIGKILL
DAEMON_COMM = "speech-dispatch"  # /proc/PID/comm of speech-dispatcher (the kernel keeps 15 characters)


class SpeechdState(StrEnum):
    ABSENT = "absent"  # no daemon: the first client autospawns one (normal)
    ANSWERS = "answers"
    HUNG = "hung"  # the socket accepts but nothing answers: the kiosk must not connect


@dataclass(frozen=True)
class SpeechdProbe:
    state: SpeechdState
    socket: Path
    modules: tuple[str, ...] = ()
    detail: str = ""


def socket_path(env: Mapping[str, str] | None = None) -> Path:
    """Where libspeechd connects (and autospawns): SPEECHD_ADDRESS, else $XDG_RUNTIME_DIR/speech-dispatcher,
    else ~/.cache/speech-dispatcher (a process without a runtime dir, e.g. under a bare ssh or a test)."""
    env = os.environ if env is None else env
    addr = env.get("SPEECHD_ADDRESS", "")
    if addr.startswith("unix_socket:") and len(addr) > len("unix_socket:"):
        return Path(addr.split(":", 1)[1])
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "speech-dispatcher" / "speechd.sock"
    return Path(env.get("HOME", "~")).expanduser() / ".cache" / "speech-dispatcher" / "speechd.sock"


def _ask(sock: socket.socket, command: str) -> list[str]:
    sock.sendall(command.encode() + b"\r\n")
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("speech-dispatcher closed the connection")
        data += chunk
        lines = data.decode("utf-8", "replace").splitlines()
        if data.endswith(b"\n") and lines and len(lines[-1]) > 3 and lines[-1][3] == " ":
            return lines


def probe(env: Mapping[str, str] | None = None, timeout_s: float = PROBE_TIMEOUT_S) -> SpeechdProbe:
    path = socket_path(env)
    if not path.exists():
        return SpeechdProbe(SpeechdState.ABSENT, path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout_s)
    try:
        sock.connect(str(path))
        _ask(sock, "SET SELF CLIENT_NAME kiosk:probe:main")
        lines = _ask(sock, "LIST OUTPUT_MODULES")
        modules = tuple(ln[4:] for ln in lines if ln.startswith("250-"))
    except ConnectionRefusedError:
        return SpeechdProbe(SpeechdState.ABSENT, path, detail="a stale socket (no daemon)")
    except TimeoutError:
        return SpeechdProbe(SpeechdState.HUNG, path, detail=f"no answer within {timeout_s:g} s")
    except OSError as exc:
        return SpeechdProbe(SpeechdState.HUNG, path, detail=str(exc))
    finally:
        sock.close()
    return SpeechdProbe(SpeechdState.ANSWERS, path, modules)


LOG_TAIL_BYTES = 65536  # how much of the end of the daemon's log is read for its last audio failure


def _log_files(sock: Path, env: Mapping[str, str] | None = None) -> list[Path]:
    """Where the daemon of ``sock`` logs: beside its socket, or $XDG_CACHE_HOME (~/.cache)/speech-dispatcher/log."""
    env = os.environ if env is None else env
    cache = Path(env.get("XDG_CACHE_HOME") or Path(env.get("HOME", "~")).expanduser() / ".cache")
    return [d / "speech-dispatcher.log" for d in (sock.parent / "log", cache / "speech-dispatcher" / "log")]


def audio_failure(sock: Path, env: Mapping[str, str] | None = None) -> str:
    """Why the daemon could not play, from the end of its log: the reason of its last "Opening audio failed"
    since it last started ('' when none, or no log)."""
    for path in _log_files(sock, env):
        try:
            with path.open("rb") as f:
                f.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
                tail = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        reason = ""
        for line in tail.splitlines():
            if "Speech Dispatcher" in line and " starting" in line:
                reason = ""
            elif "Opening audio failed:" in line:
                reason = line.split("Opening audio failed:", 1)[1].strip() or "no reason given"
        return reason
    return ""


def audio_cause(sock: Path, env: Mapping[str, str] | None = None) -> str:
    """The audio failure said for a technician ('' when the log names none)."""
    reason = audio_failure(sock, env)
    return (f"speech-dispatcher could not open its audio output ({reason}): no audio server (PulseAudio or "
            "PipeWire) for this user?") if reason else ""


def _daemon_pid(path: Path) -> int | None:
    """The pid in the daemon's pid file beside its socket, if that process is a speech-dispatcher of this user."""
    try:
        pid = int((path.parent / "pid" / "speech-dispatcher.pid").read_text().strip())
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        uid = os.stat(f"/proc/{pid}").st_uid
    except (OSError, ValueError):
        return None
    return pid if comm == DAEMON_COMM and uid == os.getuid() else None


def _gone(pid: int, wait_s: float) -> bool:
    end = time.monotonic() + wait_s
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # our own child (a test's) is reaped here; another's parent reaps it
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        if time.monotonic() >= end:
            return False
        time.sleep(0.05)


def stop_hung(found: SpeechdProbe, timeout_s: float = PROBE_TIMEOUT_S) -> str:
    """A daemon found hung is asked again; still hung, and a speech-dispatcher of this user (its pid file beside
    the socket), it is stopped (SIGTERM, then SIGKILL) so that the next connection spawns a fresh one. A wedged
    daemon otherwise kept a 24-hour kiosk silent until a technician came (seen here: its main thread deadlocked,
    51 connections waiting on a backlog of 50). Returns what was done, for the log ('' = nothing)."""
    if found.state != SpeechdState.HUNG:
        return ""
    again = probe({"SPEECHD_ADDRESS": f"unix_socket:{found.socket}"}, timeout_s)
    if again.state != SpeechdState.HUNG:
        return ""
    pid = _daemon_pid(found.socket)
    if pid is None:
        return "not stopped: no speech-dispatcher of this user in its pid file"
    try:
        os.kill(pid, signal.SIGTERM)
        if not _gone(pid, STOP_WAIT_S):
            os.kill(pid, signal.SIGKILL)
            _gone(pid, STOP_WAIT_S)
    except ProcessLookupError:
        pass
    except PermissionError as exc:
        return f"not stopped: {exc}"
    cause = audio_cause(found.socket)
    return f"stopped the hung speech-dispatcher (pid {pid}); a fresh one starts on the next try" + \
        (f" ({cause})" if cause else "")
