"""``kiosk doctor``'s voice checks that need no Qt: speech-dispatcher, its espeak-ng output module (a
Recommends that ``--no-install-recommends`` skips: the voice is then silent), espeak-ng's Mandarin voice, a
daemon that no longer answers, and the audio output. ui/commands/doctor.py adds the check that Qt's speechd
engine really finds a Mandarin voice.

A machine without a sound card or audio server is a warning, said plainly: the kiosk works, nobody hears it.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Mapping

from ..settings import Settings
from ..speech import speechd
from .doctor import Check, Runner, Status, run_command

MODULES_DIR = Path("/usr/lib/speech-dispatcher-modules")
ASOUND_CARDS = Path("/proc/asound/cards")
INSTALL = "sudo apt-get install --no-install-recommends "


def speech_checks(settings: Settings, *, runner: Runner = run_command, modules_dir: Path = MODULES_DIR,
                  which: Callable[[str], str | None] = shutil.which, env: Mapping[str, str] | None = None,
                  cards: Path = ASOUND_CARDS) -> list[Check]:
    if not settings.ui.voice:
        return [Check("voice", Status.SKIP, "voice prompts are off (ui.voice = false)")]
    if settings.ui.voice_engine != "speechd":
        return [Check("voice", Status.SKIP, f"engine {settings.ui.voice_engine!r}: nothing is spoken aloud")]
    return [speech_dispatcher(runner, modules_dir, which, env), audio_output(runner, which, cards)]


def speech_dispatcher(runner: Runner = run_command, modules_dir: Path = MODULES_DIR,
                      which: Callable[[str], str | None] = shutil.which,
                      env: Mapping[str, str] | None = None) -> Check:
    name = "voice speech-dispatcher"
    if which("speech-dispatcher") is None:
        return Check(name, Status.FAIL, "speech-dispatcher is not installed: the voice prompts are silent",
                     INSTALL + "speech-dispatcher speech-dispatcher-espeak-ng")
    if not (modules_dir / "sd_espeak-ng").exists():
        return Check(name, Status.FAIL, "speech-dispatcher has no espeak-ng output module (" +
                     str(modules_dir / "sd_espeak-ng") + "): the voice prompts are silent",
                     INSTALL + "speech-dispatcher-espeak-ng")
    code, out = runner(["espeak-ng", "--voices=cmn"])
    if code == 127 or "cmn" not in out:
        return Check(name, Status.FAIL, "espeak-ng has no Mandarin voice (cmn): Chinese prompts cannot be spoken",
                     INSTALL + "espeak-ng espeak-ng-data")
    found = speechd.probe(env)
    if found.state == speechd.SpeechdState.HUNG:
        pid_file = found.socket.parent / "pid" / "speech-dispatcher.pid"
        pid = pid_file.read_text().strip() if pid_file.exists() else "its pid"
        cause = speechd.audio_cause(found.socket, env)
        if cause:   # a fresh daemon would hang again at its first sentence: the audio server is what to mend
            return Check(name, Status.FAIL, f"the speech-dispatcher at {found.socket} does not answer "
                         f"({found.detail}); {cause}", "Start the audio server in the kiosk user's session "
                         f"(systemctl --user enable --now pipewire-pulse, or pulseaudio --start), then kill {pid}")
        return Check(name, Status.FAIL, f"the speech-dispatcher at {found.socket} does not answer "
                     f"({found.detail}): the kiosk stays silent rather than wait for it",
                     f"kill {pid} (the kiosk starts a fresh one); if it recurs, see its log in "
                     f"{found.socket.parent / 'log'}")
    return Check(name, Status.OK, "speech-dispatcher with espeak-ng and its Mandarin voice" +
                 (" (running, answers)" if found.state == speechd.SpeechdState.ANSWERS else ""))


def audio_output(runner: Runner = run_command, which: Callable[[str], str | None] = shutil.which,
                 cards: Path = ASOUND_CARDS) -> Check:
    """A sound card, and an audio server (PipeWire or PulseAudio) with a real output for this user."""
    name = "voice audio output"
    try:
        listing = cards.read_text(encoding="utf-8", errors="replace")
    except OSError:
        listing = ""
    if not listing.strip() or "no soundcards" in listing:
        return Check(name, Status.WARN, "this machine has no audio output (no sound card): the voice prompts "
                     "cannot be heard", "Connect the kiosk's speakers or a USB sound card; `aplay -l` must list "
                     "it (a VM needs an emulated sound device).")
    if which("pactl") is None:
        return Check(name, Status.OK, "a sound card is present (pactl is not installed: the server is not checked)")
    code, out = runner(["pactl", "info"])
    if code != 0:
        return Check(name, Status.WARN, "no PipeWire/PulseAudio server answers for this user: speech-dispatcher "
                     "cannot play the voice", "Run the kiosk in a user session with an audio server "
                     "(systemctl --user enable --now pipewire-pulse).")
    sink = next((ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Default Sink:")), "")
    if not sink or "null" in sink:
        return Check(name, Status.WARN, f"the audio server has no real output (default sink {sink or 'none'}): "
                     "the voice prompts cannot be heard", "Check the speakers' connection and "
                     "`pactl list short sinks`.")
    return Check(name, Status.OK, f"audio output {sink}")
