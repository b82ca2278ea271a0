"""The A4 printer driver against the simulated print server (sim://a4, which answers the same IPP bytes as
cupsd): what the journey's print_pdf promises, each printer fault as its numbered error, and a citizen's
document never left waiting to print for the next person."""
from __future__ import annotations

import io
import threading

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from devices import sim
from devices.a4 import A4Printer, A4Target, count_pages
from devices.a4.ipp import JobState
from devices.a4.reasons import condition, split_reason
from devices.base import DeviceState, EventKind, Supply
from devices.errors import DeviceError, DeviceErrorCode as C
from tests.helpers.fakes import wait_until


def pdf(pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(pages):
        c.drawString(72, 700, f"page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def a4(tmp_path):
    # jobs time out after 30 s, not 5: the tests jam, withdraw and release held jobs on the device thread's
    # polls, and a loaded machine must not see the job's own deadline first (1261 is tested on its own below)
    printer = A4Printer("a4", "sim://a4?job_timeout_s=30", {"sim_output_dir": str(tmp_path / "printed"),
                                                           "check_interval_s": 0.1})
    hw = sim.get_hardware("sim://a4?job_timeout_s=30")
    printer.start()
    wait_until(lambda: printer.state == DeviceState.IDLE, timeout_s=10)
    yield printer, hw
    printer.stop()


def test_print_pdf_returns_the_completed_job_with_its_pages_and_the_sim_renders_them_to_png(a4, tmp_path):
    printer, hw = a4
    finished = []
    printer.subscribe(lambda e: finished.append(e.data) if e.kind == EventKind.JOB_FINISHED else None)
    job = printer.print_pdf(pdf(3), "毕业生接收证明", copies=2).result(20)
    assert job.ok and job.state == JobState.COMPLETED and job.pages == 3 and job.copies == 2
    assert job.sheets == 6 and job.title == "毕业生接收证明" and finished == [job]
    pngs = hw.last_pages()
    assert [p.name for p in pngs] == ["page-1.png", "page-2.png", "page-3.png"]
    assert pngs[0].parent.parent == tmp_path / "printed"
    with Image.open(pngs[0]) as page:
        w, h = page.size
    assert abs(h / w - 297 / 210) < 0.01   # an A4 page, portrait
    assert printer.health().counters["pages_printed"] == 6


@pytest.mark.parametrize("fault, code, supply", [
    (lambda hw: hw.set_paper("out"), C.A4_PAPER_OUT, ("paper", Supply.OUT)),
    (lambda hw: hw.set_jam(True), C.A4_JAM, None),
    (lambda hw: hw.set_door_open(True), C.A4_DOOR_OPEN, None),
    (lambda hw: hw.set_toner("empty"), C.A4_TONER_EMPTY, ("toner", Supply.OUT)),
    (lambda hw: hw.set_offline(True), C.A4_OFFLINE, None),
    (lambda hw: hw.set_paused(True), C.A4_PAUSED, None),
    (lambda hw: hw.set_accepting(False), C.A4_REJECTING, None),
])
def test_a_faulted_printer_refuses_the_job_with_its_code_and_queues_nothing(a4, fault, code, supply):
    printer, hw = a4
    fault(hw)
    with pytest.raises(DeviceError) as err:
        printer.print_pdf(pdf(), "x").result(10)
    assert err.value.code == code
    assert printer.state == DeviceState.ERROR and printer.health().error_code == code
    assert hw.jobs == {}   # nothing waits at the printer to come out later
    if supply:
        assert printer.health().supplies[supply[0]] == supply[1]


def test_a_fault_clears_by_itself_when_the_printer_is_fixed(a4):
    printer, hw = a4
    hw.set_jam(True)
    wait_until(lambda: printer.health().error_code == C.A4_JAM, timeout_s=5)
    hw.set_jam(False)
    wait_until(lambda: printer.state == DeviceState.IDLE, timeout_s=5)
    assert printer.print_pdf(pdf(), "after the jam").result(10).ok


def test_low_paper_and_toner_are_supplies_that_warn_but_still_print(a4):
    printer, hw = a4
    hw.set_paper("low")
    hw.set_toner("low")
    assert printer.print_pdf(pdf(), "still prints").result(10).ok
    health = printer.health()
    assert health.supplies == {"paper": Supply.LOW, "toner": Supply.LOW} and health.state == DeviceState.IDLE


def test_a_printer_that_jams_while_the_job_waits_has_the_job_cancelled(a4):
    printer, hw = a4
    hw.set_hold(True)
    fut = printer.print_pdf(pdf(), "证书")
    wait_until(lambda: hw.jobs and hw.jobs[1].state == JobState.PROCESSING, timeout_s=5)
    hw.set_jam(True)
    with pytest.raises(DeviceError) as err:
        fut.result(10)
    assert err.value.code == C.A4_JAM and "cancelled" in err.value.detail
    assert hw.jobs[1].state == JobState.CANCELED
    hw.set_jam(False)
    hw.set_hold(False)
    assert hw.jobs[1].state == JobState.CANCELED and hw.last_pages() == []   # it never prints later


def test_a_job_past_its_deadline_is_cancelled_with_1261(tmp_path):
    printer = A4Printer("a4", "sim://a4?job_timeout_s=0.5", {"sim_output_dir": str(tmp_path)})
    hw = sim.get_hardware("sim://a4?job_timeout_s=0.5")
    hw.set_hold(True)
    printer.start()
    try:
        with pytest.raises(DeviceError) as err:
            printer.print_pdf(pdf(), "slow").result(10)
        assert err.value.code == C.A4_JOB_TIMEOUT and hw.jobs[1].state == JobState.CANCELED
        assert printer.state == DeviceState.IDLE   # a slow job is not a broken printer
    finally:
        printer.stop()


def test_a_job_the_server_aborts_is_1259_and_the_printer_stays_usable(a4):
    printer, hw = a4
    hw.fail_next_job = True
    with pytest.raises(DeviceError) as err:
        printer.print_pdf(pdf(), "aborted").result(10)
    assert err.value.code == C.A4_JOB_FAILED and "aborted" in err.value.detail
    assert printer.state == DeviceState.IDLE
    assert printer.print_pdf(pdf(), "next").result(10).ok


def test_a_document_that_is_not_a_pdf_is_refused_before_it_is_sent(a4):
    printer, hw = a4
    with pytest.raises(DeviceError) as err:
        printer.print_pdf(b"\x1b@hello", "escpos").result(10)
    assert err.value.code == C.A4_FORMAT and hw.jobs == {}
    assert printer.state == DeviceState.IDLE


def test_a_print_server_that_stops_answering_makes_the_printer_offline_and_it_comes_back(a4):
    printer, hw = a4
    changed = threading.Event()
    printer.subscribe(lambda e: changed.set() if printer.state == DeviceState.OFFLINE else None)
    hw.unplug()
    assert changed.wait(5)
    assert printer.health().error_code == C.A4_SERVER_UNREACHABLE
    with pytest.raises(DeviceError):
        printer.print_pdf(pdf(), "while down").result(10)
    hw.plug()
    wait_until(lambda: printer.state == DeviceState.IDLE, timeout_s=10)
    assert printer.print_pdf(pdf(), "back").result(10).ok


def test_urls_name_the_queue_server_and_limits_and_bad_ones_fail_at_construction():
    t = A4Target.from_url("cups://Office_A4?server=10.0.0.5:631&job_timeout_s=90&user=kiosk7")
    assert (t.queue, t.server, t.job_timeout_s, t.user) == ("Office_A4", "10.0.0.5:631", 90.0, "kiosk7")
    assert A4Target.from_url("cups://Hall%2DA4?server=/run/cups/cups.sock").queue == "Hall-A4"
    for bad in ("cups://", "cups://HP%20LaserJet", "cups://q?colour=1", "cups://q?job_timeout_s=0", "serial:///dev/ttyS0"):
        with pytest.raises(DeviceError) as err:
            A4Printer("a4", bad)
        assert err.value.code == C.UNSUPPORTED_URL
    with pytest.raises(ValueError):
        A4Printer("a4", "sim://a4").print_pdf(pdf(), "x", copies=0)


@pytest.mark.parametrize("server, host, port", [("10.0.0.5", "10.0.0.5", 631), ("printhost:8631", "printhost", 8631),
                                                ("[::1]:631", "::1", 631), ("[fe80::1]", "fe80::1", 631)])
def test_a_print_server_is_named_by_host_and_optional_port(server, host, port):
    from devices.a4.client import HttpEndpoint

    conn = HttpEndpoint(server)._connection(1.0)
    assert (conn.host, conn.port) == (host, port)


def test_pages_are_counted_from_the_pdf():
    assert count_pages(pdf(4)) == 4
    with pytest.raises(DeviceError):
        count_pages(b"not a pdf")


@pytest.mark.parametrize("reasons, state, accepting, code", [
    (["none"], 3, True, None),
    (["media-empty-error", "media-jam-error"], 3, True, C.A4_PAPER_OUT),   # paper first: it is what is fixed first
    (["media-needed"], 4, True, C.A4_PAPER_OUT),
    (["marker-supply-empty-error"], 3, True, C.A4_TONER_EMPTY),
    (["cover-open-warning"], 3, True, C.A4_DOOR_OPEN),
    (["offline-report"], 4, True, C.A4_OFFLINE),   # a backend only "reports" offline, yet nothing prints
    (["toner-low-report", "media-low-warning"], 3, True, None),
    (["fuser-over-temp-error"], 3, True, C.A4_FAULT),
    (["fuser-over-temp-warning"], 3, True, None),
    (["none"], 5, True, C.A4_PAUSED),
    (["none"], 3, False, C.A4_REJECTING),
    (["cups-missing-filter-warning"], 5, True, C.A4_FORMAT),
])
def test_state_reasons_map_to_one_numbered_fault(reasons, state, accepting, code):
    cond = condition({"printer-state": [state], "printer-state-reasons": reasons,
                      "printer-is-accepting-jobs": [accepting]}, "q")
    assert (cond.fault.code if cond.fault else None) == code


def test_reason_suffixes_are_split_and_a_bare_reason_is_an_error():
    assert split_reason("media-empty-error") == ("media-empty", "error")
    assert split_reason("toner-low-report") == ("toner-low", "report")
    assert split_reason("paused") == ("paused", "error")


def test_the_simulated_print_server_forgets_old_finished_jobs_but_not_the_latest(a4, monkeypatch):
    """A long demo or bench_soak must not keep every PDF it printed in memory (the soak grew 3.5 MB per 100
    journeys); CUPS too keeps a bounded history."""
    import devices.a4.sim as a4_sim

    printer, hw = a4
    monkeypatch.setattr(a4_sim, "KEPT_FINISHED_JOBS", 3)
    done = [printer.print_pdf(pdf(1), f"证明 {i}").result(20) for i in range(5)]
    assert all(job.ok for job in done)
    assert len(hw.jobs) <= 3
    assert max(hw.jobs) == max(job.job_id for job in done)  # the newest is still there to be looked at
    assert min(hw.jobs) > min(job.job_id for job in done)   # the oldest is gone


# ----- withdraw: the citizen left before their document started printing -------------------------------------
def test_a_job_still_pending_at_the_print_server_is_withdrawn_and_never_prints(a4):
    printer, hw = a4
    hw.set_hold_pending(True)   # something ahead of it in the queue: the job waits, nothing of it is out
    fut = printer.print_pdf(pdf(), "result-SZ1")
    wait_until(lambda: hw.jobs and hw.jobs[1].state == JobState.PENDING, timeout_s=5)
    assert printer.withdraw("result-SZ1").result(5) is True
    with pytest.raises(DeviceError) as err:
        fut.result(5)
    assert err.value.code == C.A4_JOB_WITHDRAWN
    assert hw.jobs[1].state == JobState.CANCELED
    hw.set_hold_pending(False)
    assert hw.jobs[1].state == JobState.CANCELED and hw.last_pages() == []   # it never comes out later


def test_a_job_already_printing_is_not_withdrawn_and_comes_out(a4):
    printer, hw = a4
    hw.set_hold(True)   # mid-page
    fut = printer.print_pdf(pdf(), "result-SZ2")
    wait_until(lambda: hw.jobs and hw.jobs[1].state == JobState.PROCESSING, timeout_s=5)
    assert printer.withdraw("result-SZ2").result(5) is False
    hw.set_hold(False)
    assert fut.result(10).ok and hw.last_pages()   # the citizen's page came out: the screen waited for it


def test_a_job_queued_behind_another_is_withdrawn_before_it_is_sent(a4):
    printer, hw = a4
    hw.set_hold(True)
    first = printer.print_pdf(pdf(), "result-SZ3")
    second = printer.print_pdf(pdf(), "acceptance-3")   # waits on the device thread behind the first
    wait_until(lambda: hw.jobs and hw.jobs[1].state == JobState.PROCESSING, timeout_s=5)
    withdrawn = printer.withdraw("acceptance-3")
    hw.set_hold(False)
    assert withdrawn.result(5) is True and first.result(10).ok
    with pytest.raises(DeviceError) as err:
        second.result(5)
    assert err.value.code == C.A4_JOB_WITHDRAWN and len(hw.jobs) == 1   # never sent to the print server


def test_withdrawing_a_finished_or_unknown_job_says_it_is_not_taken_back(a4):
    printer, hw = a4
    assert printer.print_pdf(pdf(), "done").result(10).ok
    assert printer.withdraw("done").result(1) is False and printer.withdraw("never").result(1) is False
