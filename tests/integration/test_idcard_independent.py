"""The driver and the simulator against an independent SAM_V peer that is not part of the project.

No SAM_V emulator or client exists on PyPI or in Debian (searched: see docs/devices-idcard.md), so the peer
is ``idcard_independent_sam.c``: C, written from the byte vectors and layouts published in devices.md
section 1 only, sharing no code, tables or language with devices/idcard. "Independent" therefore means an
independent implementation of the published protocol, not an independent vendor: a misreading of
devices.md itself would be shared by both sides.

- the driver reads a card from the C emulator given only a pty path (115200 baud) or a socket URL;
- the simulator, run as ``kiosk sim idcard --listen tcp://...``, answers the C client byte for byte:
  the published reply vectors, and the whole 1295-byte read reply the C side builds on its own.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devices.base import EventKind
from devices.idcard import IdCardReader
from devices.idcard.synthetic import IDENTITIES
from tests.helpers.fakes import Recorder

SOURCE = Path(__file__).with_name("idcard_independent_sam.c")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def peer(tmp_path_factory):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler: the independent SAM peer is C (apt-get install gcc)")
    exe = tmp_path_factory.mktemp("peer") / "sam_peer"
    subprocess.run([cc, "-O1", "-Wall", "-Werror", "-o", str(exe), str(SOURCE)], check=True, timeout=60)
    return exe


def start(cmd, **kw):
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, text=True, **kw)
    return proc, proc.stdout.readline().split()


def read_one_card(url):
    reader = IdCardReader("idcard", url, {"poll_interval_s": 0.05})
    rec = Recorder()
    reader.subscribe(rec)
    reader.start()
    reader.arm()
    try:
        return rec.wait_for(lambda evs: [e for e in evs if e.kind in (EventKind.CARD_READ, EventKind.CARD_ERROR)])[0]
    finally:
        reader.stop()


def stop(proc):
    proc.kill()
    proc.wait(5)
    proc.stdout.close()


def test_the_driver_reads_a_card_from_the_independent_emulator_given_only_a_pty_path(peer, tmp_path):
    link = tmp_path / "ttyPEER"
    proc, ready = start([peer, "emulator", "pty", link, 3])
    try:
        assert ready[0] == "READY" and ready[1].startswith("/dev/pts/")
        event = read_one_card(f"serial://{link}?baudrate=115200")
        assert event.kind == EventKind.CARD_READ
        # The C side laid the text block out by itself; the driver's parse must agree field for field.
        assert event.data == IDENTITIES["standard"]
    finally:
        stop(proc)


def test_the_driver_reads_a_card_from_the_independent_emulator_given_only_a_socket_url(peer):
    proc, ready = start([peer, "emulator", "tcp", 0, 1])
    try:
        event = read_one_card(f"socket://127.0.0.1:{ready[1]}")
        assert event.kind == EventKind.CARD_READ and event.data == IDENTITIES["standard"]
    finally:
        stop(proc)


def test_the_simulator_answers_the_independent_client_byte_for_byte(peer, tmp_path):
    card_file = tmp_path / "zhangsan.json"
    card_file.write_text(json.dumps({
        "card_type": "resident", "name": "张三", "gender": "男", "nation": "汉", "birth_date": "1949-12-31",
        "address": "北京市西城区示例胡同1号", "id_number": "11010519491231002X", "issuer": "北京市公安局西城分局",
        "valid_from": "2015-01-01", "valid_until": "2035-01-01", "photo_wlt_hex": "00" * 1024,
        "sim": {"present": False},  # the reader starts empty; `place` below puts the card down
    }, ensure_ascii=False), encoding="utf-8")
    sim = subprocess.Popen([sys.executable, "-m", "ui.cli", "sim", "idcard", "--listen", "tcp://127.0.0.1:0",
                            "--card", str(card_file)],
                           cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        listening = sim.stdout.readline().split()
        assert listening[0] == "listening" and sim.stdout.readline().startswith("ready")
        port = listening[1].rsplit(":", 1)[1]
        nocard = subprocess.run([peer, "client", "127.0.0.1", port, "nocard"], capture_output=True, text=True,
                                timeout=30)
        assert nocard.returncode == 0, nocard.stdout
        sim.stdin.write(f"place {card_file}\n")
        sim.stdin.flush()
        assert sim.stdout.readline().startswith("ok card=resident:张*")
        card = subprocess.run([peer, "client", "127.0.0.1", port, "card"], capture_output=True, text=True,
                              timeout=30)
        assert card.returncode == 0, card.stdout
        assert "PASS read text+photo 30 01" in card.stdout and "(1295 bytes)" in card.stdout
    finally:
        sim.stdin.write("quit\n")
        sim.stdin.close()
        assert sim.wait(10) == 0
        sim.stdout.close()
