"""The kiosk's voice through its real path, recorded (issue 17, item 5): ui/voice.py -> Qt's speechd engine ->
speech-dispatcher (autospawned, per-test runtime dir) -> its espeak-ng module -> a PulseAudio null sink
started here, whose monitor parec records. The recording must be speech of about the utterance's length,
not silence: that is what a default install (speech-dispatcher without speech-dispatcher-espeak-ng)
failed to produce."""
from __future__ import annotations

import array
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RATE = 16000
FRAME_S = 0.02
SILENCE_RMS = 200  # s16 samples: a null sink's silence is 0; espeak-ng's voiced frames are in the thousands
NEEDED = ("pulseaudio", "parec", "pactl", "speech-dispatcher")
MODULE = Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng")


def _missing() -> str:
    absent = [p for p in NEEDED if shutil.which(p) is None]
    if not MODULE.exists():
        absent.append("speech-dispatcher-espeak-ng")
    return ", ".join(absent)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _stop(pid: int) -> None:
    """End a process this test started (by its pid), and its children (the daemon's output modules)."""
    for p in [*_children(pid), pid]:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def voiced_seconds(pcm: bytes) -> float:
    samples = array.array("h", pcm[: len(pcm) // 2 * 2])
    n = int(RATE * FRAME_S)
    loud = 0
    for i in range(0, len(samples) - n + 1, n):
        chunk = samples[i:i + n]
        if math.sqrt(sum(x * x for x in chunk) / n) > SILENCE_RMS:
            loud += 1
    return loud * FRAME_S


def syllables(text: str) -> int:
    """Chinese characters, plus the vowel groups of each Latin word (a letter on its own is one)."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk + sum(max(1, len(re.findall(r"[aeiouy]+", w))) for w in re.findall(r"[A-Za-z]+", text))


EXPECTED = {  # the 秒批 outcome, then the number digit by digit, in the screen's language; the voice used
    "zh_CN": ("已审批通过。受理编号 S Z 二 零 二 六", "Chinese (Mandarin"),
    "en_US": ("Your application is approved. Your acceptance number is S Z two zero two six", "English"),
}


@pytest.mark.slow
@pytest.mark.skipif(bool(_missing()), reason=f"not installed: {_missing()} (tools/system-deps.sh installs them)")
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_the_kiosk_s_spoken_outcome_is_recorded_as_speech_of_the_right_length(tmp_path, lang):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    sock = tmp_path / "pulse.sock"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               PULSE_SERVER=f"unix:{sock}", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("SPEECHD_ADDRESS", None)
    pulse_pid = 0
    daemon_pid = 0
    rec: subprocess.Popen | None = None
    try:
        # PulseAudio warns when run as root but runs; a null sink stands in for the speakers. Daemonized, the
        # command returns once the server is initialised (its child reports start-up through a pipe): no polling.
        pulse = subprocess.run(
            ["pulseaudio", "-n", "--daemonize=yes", "--exit-idle-time=-1", "--use-pid-file=yes",
             "--disallow-exit", "-L", "module-null-sink sink_name=kiosk_null",
             "-L", f"module-native-protocol-unix socket={sock} auth-anonymous=1"],
            env=env, capture_output=True, text=True, timeout=30)
        pid_path = runtime / "pulse" / "pid"
        if pid_path.exists():
            pulse_pid = int(pid_path.read_text().split()[0])
        assert pulse.returncode == 0, "PulseAudio did not start: " + pulse.stderr[-2000:]
        assert subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0
        # The monitor is read as it comes (a full pipe would make PulseAudio drop audio); the test waits on a
        # condition for the bytes that cover the time spoken, not for a fixed while.
        rec_started = time.monotonic()
        rec = subprocess.Popen(["parec", "-d", "kiosk_null.monitor", "--format=s16le", "--channels=1",
                                f"--rate={RATE}", "--latency-msec=20"], env=env, stdout=subprocess.PIPE)
        pcm_buf = bytearray()
        arrived = threading.Condition()

        def read() -> None:
            while chunk := rec.stdout.read1(4096):
                with arrived:
                    pcm_buf.extend(chunk)
                    arrived.notify_all()
            with arrived:
                arrived.notify_all()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        spoke = subprocess.run([sys.executable, str(ROOT / "tests" / "integration" / "speak_once.py"), lang],
                               env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        pid_file = runtime / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
        if pid_file.exists():
            daemon_pid = int(pid_file.read_text().split()[0])
        # The monitor streams in real time (silence included): wait until it has delivered everything up to
        # now plus the sink's tail, then stop the recorder.
        needed = int((time.monotonic() - rec_started + 0.3) * RATE) * 2
        with arrived:
            got = arrived.wait_for(lambda: len(pcm_buf) >= needed or rec.poll() is not None, timeout=30)
        assert got and rec.poll() is None, f"the recorder stopped or stalled at {len(pcm_buf)} of {needed} bytes"
        rec.terminate()
        rec.wait(10)
        reader.join(10)
        rec.stdout.close()
        assert spoke.returncode == 0, spoke.stdout + spoke.stderr[-3000:]
        result = json.loads(spoke.stdout.strip().splitlines()[-1])
        said = result["said"][0]
        start, voice = EXPECTED[lang]
        assert said.startswith(start)  # the outcome, the number digit by digit
        assert result["voice"].startswith(voice), result  # not the first voice of Qt's "C" group
        pcm = bytes(pcm_buf)
        voiced = voiced_seconds(pcm)
        n = syllables(said)
        # espeak-ng at its default rate: about 3-6 syllables a second, with pauses between digits.
        print(f"said {said!r}: {n} syllables, recorded {len(pcm) / 2 / RATE:.1f} s, "
              f"voiced {voiced:.1f} s, engine spoke {result['spoke_s']:.1f} s, voice {result['voice']}")
        assert voiced > 0.5, f"the recording is silence ({len(pcm)} bytes): nothing reached the audio output"
        assert n / 8 <= voiced <= n / 1.5, (voiced, n)
    finally:
        if daemon_pid:
            _stop(daemon_pid)
        if rec is not None:
            if rec.poll() is None:
                rec.kill()
                rec.wait(10)
            rec.stdout.close()
        if pulse_pid:
            _stop(pulse_pid)
