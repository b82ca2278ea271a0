"""`kiosk doctor` on the voice (issue 17, item 5): a default install's silent voice (speech-dispatcher without
its espeak-ng module) fails with the package to install; a daemon that no longer answers fails; a machine
without audio output is said to be one."""
from __future__ import annotations

import socket
from pathlib import Path

from kiosk.maintenance.doctor import Status
from kiosk.maintenance.voice_check import audio_output, speech_checks, speech_dispatcher
from kiosk.settings import default_files, load_settings


def has_all(name):
    return f"/usr/bin/{name}"


def espeak_with_cmn(argv):
    return 0, "Pty Language       Age/Gender VoiceName          File                 Other Languages\n 5  cmn  M  " \
              "Chinese_(Mandarin,_latin_as_English) sit/cmn\n"


def modules(tmp_path, *names):
    d = tmp_path / "modules"
    d.mkdir(exist_ok=True)
    for n in names:
        (d / n).write_bytes(b"")
    return d


def test_speech_dispatcher_without_its_espeak_ng_module_fails_and_names_the_package(tmp_path):
    check = speech_dispatcher(espeak_with_cmn, modules(tmp_path, "sd_dummy", "sd_generic"), has_all,
                              {"XDG_RUNTIME_DIR": str(tmp_path)})
    assert check.status == Status.FAIL and "no espeak-ng output module" in check.detail
    assert check.remedy.endswith("speech-dispatcher-espeak-ng")


def test_no_speech_dispatcher_or_no_mandarin_voice_fails(tmp_path):
    none = speech_dispatcher(espeak_with_cmn, modules(tmp_path, "sd_espeak-ng"), lambda n: None)
    assert none.status == Status.FAIL and "not installed" in none.detail
    no_cmn = speech_dispatcher(lambda argv: (0, "Pty Language\n"), modules(tmp_path, "sd_espeak-ng"), has_all,
                               {"XDG_RUNTIME_DIR": str(tmp_path)})
    assert no_cmn.status == Status.FAIL and "Mandarin" in no_cmn.detail


def test_a_daemon_that_accepts_but_never_answers_fails_with_its_pid(tmp_path):
    run = tmp_path / "run" / "speech-dispatcher"
    (run / "pid").mkdir(parents=True)
    (run / "pid" / "speech-dispatcher.pid").write_text("4242\n")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(run / "speechd.sock"))
    server.listen(1)  # accepts (the kernel does), never answers
    try:
        check = speech_dispatcher(espeak_with_cmn, modules(tmp_path, "sd_espeak-ng"), has_all,
                                  {"XDG_RUNTIME_DIR": str(tmp_path / "run")})
    finally:
        server.close()
    assert check.status == Status.FAIL and "does not answer" in check.detail and "kill 4242" in check.remedy


def test_a_healthy_set_up_passes(tmp_path):
    check = speech_dispatcher(espeak_with_cmn, modules(tmp_path, "sd_espeak-ng"), has_all,
                              {"XDG_RUNTIME_DIR": str(tmp_path)})
    assert check.status == Status.OK


def test_a_machine_without_a_sound_card_is_told_it_cannot_be_heard(tmp_path):
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")
    check = audio_output(lambda argv: (0, ""), has_all, cards)
    assert check.status == Status.WARN and "no audio output" in check.detail and "speakers" in check.remedy


def test_no_audio_server_or_only_a_null_sink_is_a_warning_and_a_real_sink_passes(tmp_path):
    cards = tmp_path / "cards"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert audio_output(lambda argv: (1, "Connection refused"), has_all, cards).status == Status.WARN
    null = audio_output(lambda argv: (0, "Default Sink: auto_null\n"), has_all, cards)
    assert null.status == Status.WARN and "no real output" in null.detail
    real = audio_output(lambda argv: (0, "Default Sink: alsa_output.pci-0000_00_1f.3.analog-stereo\n"), has_all,
                        cards)
    assert real.status == Status.OK


def test_voice_off_or_the_mock_engine_skips(tmp_path):
    off = load_settings(default_files(True), data_dir=tmp_path / "a", overrides={"ui": {"voice": False}})
    assert [c.status for c in speech_checks(off)] == [Status.SKIP]
    mock = load_settings(default_files(True), data_dir=tmp_path / "b", overrides={"ui": {"voice_engine": "mock"}})
    assert [c.status for c in speech_checks(mock)] == [Status.SKIP]


def test_a_fresh_install_gets_the_espeak_ng_module_despite_no_install_recommends():
    """speech-dispatcher only Recommends its espeak-ng module; both installers use --no-install-recommends."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    for script in ("tools/system-deps.sh", "deploy/install.sh"):
        text = (root / script).read_text(encoding="utf-8")
        assert "--no-install-recommends" in text and "speech-dispatcher-espeak-ng" in text.split(), script


def _hung_daemon(run: Path, log_lines: list[str] | None):
    (run / "pid").mkdir(parents=True)
    (run / "pid" / "speech-dispatcher.pid").write_text("4242\n")
    if log_lines is not None:
        (run / "log").mkdir()
        (run / "log" / "speech-dispatcher.log").write_text("\n".join(log_lines) + "\n")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(run / "speechd.sock"))
    server.listen(1)  # accepts (the kernel does), never answers
    return server


# What speech-dispatcher 0.11.4 logged here, with no audio server, before its main thread hung for good.
NO_PULSE = ["[Mon Dec  7 10:12:07 2026 : 104460] speechd: Speech Dispatcher 0.11.4 starting",
            "[Mon Dec  7 10:12:07 2026 : 734322] speechd: Opening audio failed: Couldn't open pulse plugin",
            "[Mon Dec  7 10:12:07 2026 : 779162] speechd:  Audio event but server audio not set up",
            "[Mon Dec  7 10:12:07 2026 : 779220] speechd:   output_module_is_speaking error"]


def test_a_daemon_hung_for_want_of_an_audio_server_says_so_and_what_to_start(tmp_path):
    run = tmp_path / "run" / "speech-dispatcher"
    server = _hung_daemon(run, NO_PULSE)
    try:
        check = speech_dispatcher(espeak_with_cmn, modules(tmp_path, "sd_espeak-ng"), has_all,
                                  {"XDG_RUNTIME_DIR": str(tmp_path / "run"), "HOME": str(tmp_path)})
    finally:
        server.close()
    assert check.status == Status.FAIL and "Couldn't open pulse plugin" in check.detail
    assert "audio server" in check.detail and "pipewire-pulse" in check.remedy and "kill 4242" in check.remedy


def test_the_audio_failure_is_read_from_the_daemons_last_start_only(tmp_path):
    from kiosk.speech import speechd

    run = tmp_path / "speech-dispatcher"
    (run / "log").mkdir(parents=True)
    log = run / "log" / "speech-dispatcher.log"
    log.write_text("\n".join(NO_PULSE) + "\n")
    env = {"HOME": str(tmp_path / "home")}
    assert speechd.audio_failure(run / "speechd.sock", env) == "Couldn't open pulse plugin"
    assert "PulseAudio or PipeWire" in speechd.audio_cause(run / "speechd.sock", env)
    with log.open("a") as f:   # started again since, and played: the old failure is not today's cause
        f.write("[Mon Dec  7 10:16:20 2026 : 1] speechd: Speech Dispatcher 0.11.4 starting\n"
                "[Mon Dec  7 10:16:25 2026 : 2] speechd:  Audio interrupted\n")
    assert speechd.audio_failure(run / "speechd.sock", env) == ""
    assert speechd.audio_cause(run / "speechd.sock", env) == ""
    assert speechd.audio_failure(tmp_path / "elsewhere" / "speechd.sock", env) == ""   # no log at all
    cache = tmp_path / "home" / ".cache" / "speech-dispatcher" / "log"   # the daemon's default log place
    cache.mkdir(parents=True)
    (cache / "speech-dispatcher.log").write_text("\n".join(NO_PULSE) + "\n")
    assert speechd.audio_failure(tmp_path / "elsewhere" / "speechd.sock", env) == "Couldn't open pulse plugin"
