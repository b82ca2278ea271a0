"""The thermal receipt (受理回执), printed from the stored application, never from screen state.

It carries what a real 回执 carries: the item and the agency that decides it, the applicant (masked), the
acceptance number (the platform's, or the kiosk's local number while the application waits in the outbox),
the time, the materials received (each by name, pages, or "shared by the department"), the delivery choice
(address masked), the fee paid, the promised time limit, how to track it (QR code + hotline) and the
kiosk's id and location. ``receipt_data`` gathers those once; the thermal layout (``receipt_bytes``) and
the A4 receipt (``kiosk.documents.acceptance``) both print from it.

"Printed" is remembered in a small journal under the data directory (``PrintJournal``): a retry, a second
tap or a restarted kiosk never prints a second receipt for the same application, and a receipt cut short
by a fault is reprinted whole, marked 补打 so the citizen can tell it from the torn-off half.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from devices.printer.escpos import EscPos, wrap

from ..identity import mask_id_number, mask_name
from ..outbox import OutboxState, Record
from ..platform.catalog_schema import Item
from ..platform.regions import load_regions
from ..private import private_dir, write_private

log = logging.getLogger(__name__)

STATUS_ZH = {
    "approved": "秒批通过", "under_review": "已受理，转人工审核", "received": "已受理", "rejected": "不予受理",
    "queued": "已保存，联网后自动提交", "completed": "已办结",
}
DELIVERY_ZH = {"pickup": "窗口自取", "express": "邮寄送达", "electronic": "电子证照", "self_print": "本机打印"}
# 本机打印's line, true to where the result document stands when the receipt prints (ResultPrintState values):
# printed here, on its way out (the A4 tray, else 我的办件), or not printed (我的办件 at any kiosk)
SELF_PRINT_ZH = {"printed": "本机打印（已从A4出纸口打出）",
                 "fetching": "本机打印（请从A4出纸口取走；未取到可在“我的办件”打印）",
                 "printing": "本机打印（请从A4出纸口取走；未取到可在“我的办件”打印）"}
SELF_PRINT_MISSED_ZH = "本机未打印结果，请在“我的办件”打印"
SELF_PRINT_REJECTED_ZH = "本机打印（未通过，无结果文书）"
SOURCE_ZH = {"e_licence": "电子证照共享", "card": "身份证读取"}
TZ = dt.timezone(dt.timedelta(hours=8), "CST")


QUEUED_LINES = ("联网后将自动提交，", "提交后可在终端“进度查询”", "刷身份证并输入本机编号查询")


def tracking_payload(tracking_url: str, token: str) -> str:
    """The tracking QR's content: the platform's tracking URL with the receipt's tracking token appended
    (``SubmitResponse.tracking_token``: unguessable, unlike the acceptance number). The status screen's
    scanner parses this (kiosk.payloads); keep the format."""
    return f"{tracking_url}{token}"


def mask_delivery_address(region_code: str, detail: str, keep: int = 2) -> str:
    """A receipt is carried about and thrown away: the region in full (广东省深圳市南山区) and the first
    ``keep`` characters of the detail line, the rest as *, so the citizen recognises it and a finder learns
    no door."""
    region = load_regions().full_name(region_code) or region_code
    shown = detail[:keep]
    return region + shown + "*" * max(4, len(detail) - keep) if detail else region


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else ("*" * len(phone))


@dataclass(frozen=True)
class MaterialLine:
    name: str
    detail: str  # "3 页", "电子证照共享", "未提供"


@dataclass(frozen=True)
class ReceiptData:
    item_name: str
    item_code: str
    agency: str
    applicant: str  # masked name and ID number
    number: str  # acceptance number or local number
    number_label: str  # 受理编号 | 本机编号
    delivered: bool
    status: str
    when: str
    materials: list[MaterialLine]
    delivery: str
    fee: str
    time_limit: str
    contact: str
    tracking: str | None  # the QR payload, once the platform has a number
    kiosk_id: str
    kiosk_location: str
    decision_reasons: list[str] = field(default_factory=list)
    tracking_code: str = ""  # the tracking token, printed under the QR for typing on the public page
    address: str = ""  # express: the region in full, the detail line masked (mask_delivery_address)
    sms: bool = False  # the platform will text the applicant (SubmitResponse.sms): only then is an SMS promised


def receipt_data(record: Record, manifest: dict[str, Any], item: Item, *, kiosk_id: str, kiosk_location: str,
                 tracking_url: str, now: dt.datetime | None = None, result_print: str = "") -> ReceiptData:
    delivered = bool(record.state == OutboxState.DELIVERED and record.reference)
    applicant = manifest.get("applicant") or {}
    who = ""
    if applicant:
        who = f"{mask_name(applicant.get('name', ''))}  {mask_id_number(applicant.get('id_number', ''))}"
    names = {m.id: m.name.zh for m in item.materials}
    materials = []
    for m in manifest.get("materials", []):
        materials.append(MaterialLine(names.get(m.get("id", ""), m.get("id", "")), material_detail(m)))
    d = manifest.get("delivery") or {}
    method = d.get("method", "pickup")
    delivery = DELIVERY_ZH.get(method, method)
    if method == "self_print":  # result_print: where the A4 result document stands (ResultPrintState value)
        delivery = SELF_PRINT_ZH.get(result_print, SELF_PRINT_MISSED_ZH)
        if delivered and record.platform_status == "rejected":
            delivery = SELF_PRINT_REJECTED_ZH  # no result document will exist: promise no print
    address = ""
    if method == "express" and d.get("recipient"):
        delivery += f"（{mask_name(d['recipient'])} {mask_phone(d.get('phone', ''))}）"
        address = mask_delivery_address(d.get("region", ""), d.get("address", ""))
    pay = manifest.get("payment") or {}
    fee_fen = int(pay.get("amount_fen", 0))
    if not fee_fen:
        fee = "免费"
    else:
        fee = f"￥{fee_fen / 100:.2f}" + ("（已支付）" if pay.get("status") == "paid" else "（未支付）")
    days = item.time_limit.promised_days
    created = manifest.get("created_at")
    when = (now or (dt.datetime.fromisoformat(created) if created else dt.datetime.now(TZ)))
    reasons = []
    if delivered:
        for r in ((record.result or {}).get("decision") or {}).get("reasons") or []:
            reasons.append(r.get("zh", "") if isinstance(r, dict) else str(r))
    return ReceiptData(
        item_name=item.name.zh, item_code=item.code, agency=item.agency.zh, applicant=who,
        number=record.reference if delivered else record.local_number,
        number_label="受理编号" if delivered else "本机编号", delivered=delivered,
        status=STATUS_ZH.get(record.platform_status if delivered else "queued",
                             record.platform_status if delivered else "queued"),
        when=when.strftime("%Y-%m-%d %H:%M"), materials=materials, delivery=delivery, address=address, fee=fee,
        time_limit=f"{days} 个工作日" if days else "即办", contact=item.contact.zh if item.contact else "政务服务热线 12345",
        tracking=_tracking(tracking_url, record) if delivered else None,
        tracking_code=tracking_token(record) if delivered else "",
        kiosk_id=kiosk_id, kiosk_location=kiosk_location, decision_reasons=[r for r in reasons if r],
        sms=delivered and bool((record.result or {}).get("sms")))


def material_detail(ref: dict[str, Any]) -> str:
    """What was given for one material, true to the package: the pages laid under the camera, an e-licence
    the department actually shared (it has a licence id), the card read; otherwise 未提供."""
    pages = int(ref.get("pages", 0) or 0)
    if pages:
        return f"{pages} 页"
    source = ref.get("source", "")
    if source == "e_licence" and ref.get("licence_id"):
        return SOURCE_ZH["e_licence"]
    if source == "card":
        return SOURCE_ZH["card"]
    return "未提供"


def tracking_token(record: Record) -> str:
    token = (record.result or {}).get("tracking_token")
    return token if isinstance(token, str) else ""


def _tracking(tracking_url: str, record: Record) -> str:
    """The QR payload: the token the platform gave; the acceptance number from a platform that gives no
    tokens (the reference platform then answers it with a page asking for the card or the token)."""
    return tracking_payload(tracking_url, tracking_token(record) or record.reference)


def _kv(p: EscPos, key: str, value: str) -> None:
    """``key：value`` wrapped to the paper, continuation lines indented under the value."""
    prefix = f"{key}："
    indent = " " * min(len(prefix) * 2, p.profile.columns // 2)
    for line in wrap(prefix + value, p.profile.columns, indent):
        p.line(line)


def receipt_bytes(record: Record, manifest: dict[str, Any], item: Item, *, kiosk_id: str, kiosk_location: str,
                  tracking_url: str, profile: str = "80mm", now: dt.datetime | None = None,
                  reprint: bool = False, result_print: str = "") -> bytes:
    r = receipt_data(record, manifest, item, kiosk_id=kiosk_id, kiosk_location=kiosk_location,
                     tracking_url=tracking_url, now=now, result_print=result_print)
    p = EscPos(profile)
    cols = p.profile.columns
    rule = "-" * cols
    p.init().chinese().line_spacing(32).align("center").bold().size(2, 2).line("受理回执").size().bold(False)
    p.line("深圳市政务服务自助终端")
    if reprint:
        p.bold().line("【补打】前一张未打完，请作废").bold(False)
    p.line(rule).align("left")
    _kv(p, "办理事项", r.item_name)
    _kv(p, "实施机关", r.agency)
    if r.applicant:
        _kv(p, "申请人", r.applicant)
    p.bold().size(1, 2)
    _kv(p, r.number_label, r.number)
    p.size().bold(False)
    _kv(p, "办理状态", r.status)
    for reason in r.decision_reasons[:3]:
        _kv(p, "  说明", reason)
    _kv(p, "受理时间", r.when)
    p.line("收取材料：")
    for m in r.materials:
        for line in wrap(f" · {m.name}（{m.detail}）", cols, "   "):
            p.line(line)
    if not r.materials:
        p.line(" · 无需提交材料")
    _kv(p, "送达方式", r.delivery)
    if r.address:
        _kv(p, "收件地址", r.address)
    _kv(p, "缴费", r.fee)
    _kv(p, "承诺时限", r.time_limit)
    p.line(rule).align("center")
    if r.tracking:
        p.feed(1).qr(r.tracking, module=6 if cols >= 48 else 4, ec="M").feed(1)
        p.line("微信/手机扫码查询办理进度")
        if r.tracking_code:
            p.line("查询码").line(r.tracking_code)
        p.line("或在终端“进度查询”刷身份证")
    else:
        # Only what happens (issue 15 item 3): the outbox sends it; no SMS is sent; a local number is
        # found in 进度查询 once the platform has it, and only with the applicant's card.
        for line in QUEUED_LINES:
            p.line(line)
    p.line(r.contact)
    p.align("left").line(rule)
    _kv(p, "终端", r.kiosk_id)
    _kv(p, "地点", r.kiosk_location)
    p.align("center").line("请妥善保管本回执").feed(2).cut(partial=True)
    return p.getvalue()


# ----- printing once ------------------------------------------------------------------------------
class JobState(StrEnum):
    PRINTING = "printing"  # bytes may have reached the printer; the outcome is not known yet
    PRINTED = "printed"
    FAILED = "failed"  # nothing printed (fault found before the job started)
    CUT_SHORT = "cut_short"  # part of it printed: the reprint is marked 补打


@dataclass(frozen=True)
class SentJob:
    """The bytes of the last job sent to the printer (memory only: the receipt screen draws them)."""

    job_id: str
    data: bytes
    profile: str = "80mm"


class PrintJournal:
    """Which receipt jobs printed, kept in a JSON-lines file so it survives a restart of the kiosk.

    Each change is one appended, fsynced line; the file is compacted on open (entries older than
    ``keep_days`` are dropped). A job left PRINTING by a crash counts as cut short: reprinting it marks
    the new receipt 补打 rather than risking a receipt that is missing or silently doubled.

    The journal also holds, in memory only, the bytes of the last job it saw go out (``last_sent``): the
    receipt screen shows exactly what was printed, whatever the printer is. Only one job is kept, and it
    holds what the paper holds (names and ID numbers masked); nothing of it is written to disk.
    """

    def __init__(self, path: Path, keep_days: float = 30.0) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._last_sent: SentJob | None = None
        private_dir(self.path.parent)
        if self.path.exists():
            for raw in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(raw)
                    self._jobs[entry["job"]] = entry
                except (ValueError, KeyError, TypeError):
                    log.warning("print journal: skipping a damaged line")  # a torn last line after power loss
        cutoff = time.time() - keep_days * 86400
        self._jobs = {k: v for k, v in self._jobs.items() if v.get("at", 0) >= cutoff}
        write_private(self.path, "".join(json.dumps(v) + "\n" for v in self._jobs.values()).encode("utf-8"),
                      fsync=False)

    def state(self, job_id: str) -> JobState | None:
        with self._lock:
            entry = self._jobs.get(job_id)
        return JobState(entry["state"]) if entry else None

    def sent(self, job: SentJob) -> None:
        with self._lock:
            self._last_sent = job

    def forget_sent(self) -> None:
        """The citizen has gone: the last receipt's bytes leave memory too."""
        with self._lock:
            self._last_sent = None

    def last_sent(self, job_id: str) -> SentJob | None:
        """The bytes of ``job_id`` if it is the last job sent (else None: an older job is not kept)."""
        with self._lock:
            job = self._last_sent
        return job if job is not None and job.job_id == job_id else None

    def mark(self, job_id: str, state: JobState, **info: Any) -> None:
        entry = {"job": job_id, "state": state.value, "at": time.time(), **info}
        with self._lock:
            self._jobs[job_id] = entry
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry) + "\n")
                fh.flush()
                os.fsync(fh.fileno())


def print_once(printer: Any, journal: PrintJournal, job_id: str, build: Any) -> Future:
    """Print a job unless the journal says it already printed; ``build(reprint: bool) -> bytes``.

    Returns a Future of ``devices.printer.PrintResult``. The journal is written before the bytes go out
    and after the printer's answer, so a crash in between is seen as "cut short" on the next attempt.
    """
    from devices.printer import PrintResult  # noqa: PLC0415

    previous = journal.state(job_id)
    if previous == JobState.PRINTED:
        done: Future = Future()
        done.set_result(PrintResult(job_id, ok=True, duplicate=True))
        return done
    data = build(previous in (JobState.CUT_SHORT, JobState.PRINTING))
    journal.mark(job_id, JobState.PRINTING)
    journal.sent(SentJob(job_id, data, str((getattr(printer, "options", None) or {}).get("profile", "80mm"))))
    outer: Future = Future()  # resolved only once the journal holds the outcome: no window for a retry

    def mark(job: str, state: JobState, **info: Any) -> None:
        try:
            journal.mark(job, state, **info)
        except OSError:  # a full disk must not leave the citizen waiting: the print result still counts
            log.exception("print journal: could not record %s as %s", job, state.value)

    def record(f: Future) -> None:
        try:
            result = f.result()
        except Exception as exc:  # the transport failed: bytes may or may not have printed
            mark(job_id, JobState.CUT_SHORT, error=getattr(exc, "code", None))
            outer.set_exception(exc)
            return
        if result.ok:
            mark(job_id, JobState.PRINTED, duplicate=result.duplicate)
        elif result.bytes_sent:
            mark(job_id, JobState.CUT_SHORT, error=result.error_code)
        else:
            mark(job_id, JobState.FAILED, error=result.error_code)
        outer.set_result(result)
    printer.print_job(job_id, data).add_done_callback(record)
    return outer


def receipt_job_id(application_id: str) -> str:
    """The print job (and journal entry) of an application's receipt."""
    return f"receipt-{application_id}"


def render_receipt_png(data: bytes, profile: str = "80mm") -> bytes | None:
    """The last receipt in an ESC/POS stream drawn as the paper looks: 203 dpi, one pixel per dot, so the
    QR code on screen scans like the paper's. None when the stream holds no receipt."""
    import io  # noqa: PLC0415

    from devices.printer.render import render_stream  # noqa: PLC0415 - Pillow drawing only when someone looks

    images = render_stream(data, profile)
    if not images:
        return None
    buf = io.BytesIO()
    images[-1].save(buf, format="PNG", dpi=(203, 203))
    return buf.getvalue()


def printed_receipt_png(journal: PrintJournal, application_id: str) -> bytes | None:
    """The receipt printed for ``application_id`` as it looks on paper, or None if it was not the last job."""
    job = journal.last_sent(receipt_job_id(application_id))
    return render_receipt_png(job.data, job.profile) if job is not None else None
