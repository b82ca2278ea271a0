"""Is speech-dispatcher there, and does it answer? A probe of its socket (SSIP) with a time limit.

A speech-dispatcher that accepts connections but never answers (seen here: a daemon stuck while unloading
its espeak-ng module on exit, still holding its socket) makes Qt's speechd engine block the GUI thread in
its constructor, for good. The kiosk asks this probe first and stays silent instead of hanging; ``kiosk
doctor`` reports the same finding with the remedy.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Mapping

PROBE_TIMEOUT_S = 2.0  # a healthy daemon answers in milliseconds


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
