"""港澳签注 and 换发 ask for the person (issue 19, face_check): the guide tells the citizen before starting, and
after the simulated card reader reads the card the face step shows; the holder taps 同意, does the challenges
shown and reaches the form; the passing record is what the session keeps (no image)."""
from __future__ import annotations

import pytest

from tests.helpers.face_walk import fit_fake_face, through_face
from tests.helpers.patient import patient_data_dir
from tests.ui.test_ui_journey import at
from ui.autopilot_driver import iter_items, prop


def visible_texts(k) -> list[str]:
    return [str(prop(i, "text")) for i in iter_items(k.app.window.contentItem())
            if i.isVisible() and isinstance(prop(i, "text"), str)]


@pytest.mark.parametrize("code", ["910000002000", "910000003000"])
def test_the_hk_macao_permit_items_announce_the_face_check_and_the_holder_passes_it_to_the_form(qtbot, make_kiosk,
                                                                                               code):
    k = make_kiosk()
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    k.vm.chooseItem(code)
    qtbot.waitUntil(at(k, "guide"))
    assert any("本人持居民身份证在本机完成人脸识别" in t for t in visible_texts(k))  # told before starting
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    person = fit_fake_face(k)
    k.hw["idcard"].place_card("graduate")  # the simulated reader: the card's photo through the demo decoder
    qtbot.waitUntil(at(k, "face"), timeout=10000)  # the card alone is not enough
    assert k.ui.find("face.agree") is not None and k.ui.find("face.decline") is not None
    through_face(qtbot, k, person)
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    result = k.journey.session.face.result
    record = result.as_record()
    assert record["decision"] == "pass" and record["liveness"]["passed"] is True and record["tries"] == 1
    assert [c.value for c in person.performed] == record["liveness"]["challenges"]  # did what the screen asked
    assert person.active is False  # the face camera is off once the check has passed


@pytest.mark.slow  # a whole real journey in a subprocess (MediaPipe, dlib): ~15 s
def test_the_real_autopilot_passes_the_endorsements_face_check_and_the_application_goes_to_staff(tmp_path):
    """``kiosk autopilot --item 910000002000`` as a technician runs it: sim://face's holder, the real engine."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--item", "910000002000"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert proc.returncode == 0 and len(lines) == 1, (proc.stdout[-2000:], proc.stderr[-2000:])
    (line,) = lines
    face = line["face"]
    assert face["decision"] == "pass" and face["tries"] == 1 and face["liveness"]["passed"] is True, face
    assert face["shown"] == face["liveness"]["challenges"]
    assert line["status"] == "received" and line["platform_ref"]  # 港澳签注 is reviewed by staff (no 秒批)
