"""A wedged speech-dispatcher (its socket takes connections, nothing answers) is stopped so that the kiosk's
voice comes back by itself: seen on this machine, a daemon whose main thread deadlocked with 51 connections
waiting kept every kiosk started after it silent. Only a speech-dispatcher of this user, named in the pid file
beside the socket, is ever stopped; a daemon that answers late but answers is left alone."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.speech import speechd

# A stand-in daemon: named as the kernel names speech-dispatcher, it listens on the socket, writes its pid file
# and never accepts (as the deadlocked one), or answers SSIP like a healthy one.
_FAKE = textwrap.dedent('''
    import ctypes, os, signal, socket, sys
    sock_path, mode = sys.argv[1], sys.argv[2]
    ctypes.CDLL(None).prctl(15, sys.argv[3].encode(), 0, 0, 0)  # PR_SET_NAME: /proc/PID/comm
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(sock_path)
    srv.listen(1)
    pid_dir = os.path.join(os.path.dirname(sock_path), "pid")
    os.makedirs(pid_dir, exist_ok=True)
    with open(os.path.join(pid_dir, "speech-dispatcher.pid"), "w") as f:
        f.write(str(os.getpid()) + "\\n")
    print("ready", flush=True)
    while mode == "hung":  # never accepts: blocked until a signal, as the deadlocked daemon's main thread
        signal.pause()
    while True:
        conn, _ = srv.accept()
        while True:
            data = conn.recv(4096)
            if not data:
                break
            if b"LIST OUTPUT_MODULES" in data:
                conn.sendall(b"250-espeak-ng\\r\\n250 OK MODULE LIST SENT\\r\\n")
            else:
                conn.sendall(b"208 OK CLIENT NAME SET\\r\\n")
''')


def _daemon(tmp_path: Path, mode: str, name: str = speechd.DAEMON_COMM) -> tuple[subprocess.Popen, Path]:
    sock = tmp_path / "speechd.sock"
    proc = subprocess.Popen([sys.executable, "-c", _FAKE, str(sock), mode, name], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc, sock


def _env(sock: Path) -> dict[str, str]:
    return {"SPEECHD_ADDRESS": f"unix_socket:{sock}"}


@pytest.fixture
def cleanup():
    procs: list[subprocess.Popen] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stdout.close()


def test_a_hung_daemon_of_this_user_is_stopped_and_the_socket_no_longer_hangs(tmp_path, cleanup):
    proc, sock = _daemon(tmp_path, "hung")
    cleanup.append(proc)
    found = speechd.probe(_env(sock), timeout_s=0.5)
    assert found.state == speechd.SpeechdState.HUNG
    done = speechd.stop_hung(found, timeout_s=0.5)
    assert done.startswith("stopped") and str(proc.pid) in done, done
    assert proc.poll() is not None  # gone: the next connection spawns a fresh daemon
    assert speechd.probe(_env(sock), timeout_s=0.5).state == speechd.SpeechdState.ABSENT


def test_a_process_that_is_not_speech_dispatcher_is_never_stopped(tmp_path, cleanup):
    proc, sock = _daemon(tmp_path, "hung", name="not-the-daemon")  # e.g. a pid file left pointing at a reused pid
    cleanup.append(proc)
    found = speechd.probe(_env(sock), timeout_s=0.5)
    done = speechd.stop_hung(found, timeout_s=0.5)
    assert done.startswith("not stopped") and proc.poll() is None, done


def test_a_daemon_that_answers_is_left_alone(tmp_path, cleanup):
    proc, sock = _daemon(tmp_path, "answers")
    cleanup.append(proc)
    found = speechd.probe(_env(sock), timeout_s=2.0)
    assert found.state == speechd.SpeechdState.ANSWERS and found.modules == ("espeak-ng",)
    assert speechd.stop_hung(found) == "" and proc.poll() is None
    hung_once = speechd.SpeechdProbe(speechd.SpeechdState.HUNG, sock, detail="slow once")  # late, then answers
    assert speechd.stop_hung(hung_once, timeout_s=2.0) == "" and proc.poll() is None


def test_a_daemon_hung_for_want_of_an_audio_server_is_stopped_with_the_cause_said(tmp_path, cleanup):
    """Traced here: with no PulseAudio/PipeWire server a fresh speech-dispatcher hangs at its first sentence
    (its log: "Opening audio failed: Couldn't open pulse plugin"), so stopping it alone mends nothing: the log
    line says what to mend."""
    proc, sock = _daemon(tmp_path, "hung")
    cleanup.append(proc)
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "speech-dispatcher.log").write_text(
        "[Mon Dec  7 10:12:07 2026 : 1] speechd: Speech Dispatcher 0.11.4 starting\n"
        "[Mon Dec  7 10:12:07 2026 : 2] speechd: Opening audio failed: Couldn't open pulse plugin\n")
    done = speechd.stop_hung(speechd.probe(_env(sock), timeout_s=0.5), timeout_s=0.5)
    assert done.startswith("stopped") and "Couldn't open pulse plugin" in done and "audio server" in done, done
