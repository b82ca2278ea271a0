"""The audit trail: chained records, personal data masked, and every kind of tampering found and located."""
from __future__ import annotations

import json

import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.audit.trail import HEAD, AuditTrail, audit_files, scrub
from kiosk.audit.verify import verify
from kiosk.audit.upload import AuditSinkError, AuditUploader, DirectorySink
from kiosk.audit.key import load_key
from tests.helpers.fakes import FakeClock


def key():
    """The test's audit key: where KIOSK_AUDIT_KEY_FILE (tests/conftest.py) puts it, outside the data dir."""
    import os
    from pathlib import Path

    path = Path(os.environ["KIOSK_AUDIT_KEY_FILE"])
    return load_key("kiosk-audit-key", path, path.parent / "no-data-dir")


def trail_with(tmp_path, n=10, **kw):
    t = AuditTrail(tmp_path / "audit", key=key(), clock=FakeClock(1_780_000_000.0), fsync=False, **kw)
    for i in range(n):
        t.record("step", {"to": f"s{i}", "session": "abc"})
    return t


def lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(path, new_lines):
    path.write_text("".join(new_lines), encoding="utf-8")


def test_an_untouched_trail_verifies_and_chains_each_record_to_the_one_before(tmp_path):
    t = trail_with(tmp_path)
    t.close()
    report = verify(tmp_path / "audit", key())
    assert report.ok and report.records == 10 and report.last_seq == 10 and report.keyed
    recs = [json.loads(x) for x in lines(audit_files(tmp_path / "audit")[0])]
    assert [r["seq"] for r in recs] == list(range(1, 11))
    assert all(b["prev"] == a["hash"] for a, b in zip(recs, recs[1:]))


def test_a_changed_record_is_found_with_its_file_line_and_seq(tmp_path):
    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    ls = lines(f)
    ls[4] = ls[4].replace('"to":"s4"', '"to":"s9"')
    rewrite(f, ls)
    report = verify(tmp_path / "audit", key())
    assert not report.ok
    assert [(x.kind, x.where, x.seq) for x in report.findings] == [("changed", f"{f.name} line 5", 5)]


def test_a_record_rewritten_with_a_recomputed_hash_fails_the_mac_and_breaks_the_chain(tmp_path):
    from kiosk.platform.audit_chain import record_hash

    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    ls = lines(f)
    rec = json.loads(ls[4])
    rec["data"]["to"] = "forged"
    rec["hash"] = record_hash(rec)  # anyone can do this; only the key holder can make the MAC
    ls[4] = json.dumps(rec, ensure_ascii=False) + "\n"
    rewrite(f, ls)
    kinds = [(x.kind, x.seq) for x in verify(tmp_path / "audit", key()).findings]
    assert kinds == [("forged", 5), ("changed", 6)]


def test_a_removed_record_is_named(tmp_path):
    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    ls = lines(f)
    del ls[3]
    rewrite(f, ls)
    findings = verify(tmp_path / "audit", key()).findings
    assert [(x.kind, x.seq) for x in findings] == [("removed", 5)]
    assert "4" in findings[0].message and findings[0].where == f"{f.name} line 4"


def test_reordered_records_are_reported_as_moved_not_as_changed(tmp_path):
    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    ls = lines(f)
    ls[5], ls[6] = ls[6], ls[5]
    rewrite(f, ls)
    findings = verify(tmp_path / "audit", key()).findings
    assert {x.kind for x in findings} == {"reordered"}
    assert [(x.where, x.seq) for x in findings] == [(f"{f.name} line 6", 7), (f"{f.name} line 7", 6)]


def test_records_cut_off_the_end_are_found_through_the_head(tmp_path):
    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    rewrite(f, lines(f)[:7])
    findings = verify(tmp_path / "audit", key()).findings
    assert [(x.kind, x.where) for x in findings] == [("truncated", HEAD)]
    assert "8-10" in findings[0].message


def test_a_cut_made_while_the_kiosk_was_off_stays_visible_after_new_records(tmp_path):
    trail_with(tmp_path).close()
    f = audit_files(tmp_path / "audit")[0]
    rewrite(f, lines(f)[:7])
    t = AuditTrail(tmp_path / "audit", key=key(), fsync=False)  # the kiosk starts again and keeps recording
    t.record("step", {"to": "home"})
    t.close()
    findings = verify(tmp_path / "audit", key()).findings
    assert [x.kind for x in findings] == ["gap"] and "seq 7" in findings[0].message


def test_rotation_continues_the_chain_and_a_deleted_file_is_found(tmp_path):
    t = trail_with(tmp_path, n=60, file_max_bytes=4096)
    t.close()
    files = audit_files(tmp_path / "audit")
    assert len(files) >= 3
    assert verify(tmp_path / "audit", key()).ok
    second_first = json.loads(lines(files[1])[0])["seq"]
    third_first = json.loads(lines(files[2])[0])["seq"]
    files[1].unlink()
    findings = verify(tmp_path / "audit", key()).findings
    assert [(x.kind, x.seq) for x in findings] == [("removed", third_first)]
    assert f"{second_first}-{third_first - 1}" in findings[0].message


def test_a_torn_last_line_after_a_power_cut_is_kept_aside_and_the_trail_goes_on(tmp_path):
    trail_with(tmp_path, n=5).close()
    f = audit_files(tmp_path / "audit")[0]
    with open(f, "ab") as fh:
        fh.write(b'{"seq":6,"ts":"2026-')  # the power went mid-write
    t = AuditTrail(tmp_path / "audit", key=key(), fsync=False)
    assert t.last_seq == 6  # 5 records + the note about the torn write
    t.record("step", {"to": "home"})
    t.close()
    report = verify(tmp_path / "audit", key())
    assert report.ok and report.last_seq == 7
    assert report.notes and "torn" in report.notes[0]
    assert list((tmp_path / "audit").glob("torn-*.bin"))[0].read_bytes() == b'{"seq":6,"ts":"2026-'


def test_personal_data_is_masked_before_it_reaches_the_disk(tmp_path):
    card = IDENTITIES["graduate"]
    t = AuditTrail(tmp_path / "audit", key=key(), fsync=False)
    t.record("card_read", {"card": card, "note": f"typed {card.id_number} and 13800138000",
                           "address": card.address, "recipient": card.name})
    t.close()
    text = audit_files(tmp_path / "audit")[0].read_text(encoding="utf-8")
    assert card.id_number not in text and card.name not in text and card.address not in text
    assert "13800138000" not in text and "138****8000" in text
    assert scrub({"id_number": card.id_number})["id_number"] == card.id_number[:3] + "*" * 11 + card.id_number[-4:]


def test_the_uploader_sends_in_order_resumes_after_a_failure_and_never_loses_a_record(tmp_path):
    t = trail_with(tmp_path, n=25)

    class FlakySink(DirectorySink):
        fail = True

        def send(self, records):
            if self.fail:
                raise AuditSinkError("platform down")
            return super().send(records)

    sink = FlakySink(tmp_path / "usb")
    up = AuditUploader(t, sink, batch=10)
    with pytest.raises(AuditSinkError):
        up.upload_once()
    assert up.cursor == 0 and up.pending() == 25
    sink.fail = False
    assert up.upload_once() == 25 and up.cursor == 25
    t.record("step", {"to": "home"})
    assert up.upload_once() == 1
    got = [json.loads(x)["seq"] for p in sorted((tmp_path / "usb").glob("batch-*.jsonl")) for x in lines(p)]
    assert got == list(range(1, 27))


def test_the_verify_command_says_ok_or_names_the_place_and_exits_non_zero(tmp_path, capsys):
    from ui.cli import main

    trail_with(tmp_path).close()
    assert main(["audit", "verify", "--offline", "--data-dir", str(tmp_path)]) == 0
    assert "OK" in capsys.readouterr().out
    f = audit_files(tmp_path / "audit")[0]
    ls = lines(f)
    del ls[2]
    rewrite(f, ls)
    assert main(["audit", "verify", "--offline", "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"REMOVED at {f.name} line 3, seq 4" in out and "TAMPERED" in out
    assert main(["audit", "verify", "--offline", "--dir", str(tmp_path / "audit"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["findings"][0]["kind"] == "removed" and report["findings"][0]["seq"] == 4


def test_two_writers_on_one_trail_keep_one_chain(tmp_path):
    """The running kiosk and `kiosk maintenance unlock` at a terminal may both record."""
    kiosk = AuditTrail(tmp_path / "audit", key=key(), fsync=False)
    terminal = AuditTrail(tmp_path / "audit", key=key(), fsync=False)
    for i in range(5):
        kiosk.record("step", {"i": i})
        terminal.record("maintenance_unlocked", {"i": i})
    kiosk.close()
    terminal.close()
    report = verify(tmp_path / "audit", key())
    assert report.ok and report.last_seq == 10
