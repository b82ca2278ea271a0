"""The fleet monitor's rows (issue 21, Deliver 4): every kiosk as its last heartbeat left it, and its alerts.

A kiosk's heartbeat (``POST /kiosks/heartbeat``, once a minute) carries its devices' states and supplies,
its outbox backlog and its software version; the platform keeps the last one on the kiosk's row. Alerts are
derived here, never stored: a kiosk silent for longer than ``StaffSettings.fleet_offline_after_s`` is
offline, a supply reported ``low`` or ``out`` (receipt paper, A4 paper, toner) asks for a refill, a device in
``error`` or ``offline`` names its numbered code. The open calls for help come from the help store."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from ..context import Platform


class Level(str, enum.Enum):
    """How a row or an alert is flagged (also the CSS class): worst first."""

    ALERT = "alert"  # someone must go there (offline, out of paper, a device fault)
    WARN = "warn"  # soon (paper low)
    OK = "ok"


SUPPLY_NAMES = {"paper": ("纸", "paper"), "toner": ("墨粉", "toner"), "ribbon": ("色带", "ribbon")}
SUPPLY_LEVELS = {"ok": ("正常", "ok"), "low": ("将尽", "low"), "out": ("已用完", "out"), "unknown": ("未知", "unknown")}
STATE_NAMES = {"idle": ("正常", "idle"), "busy": ("工作中", "busy"), "offline": ("离线", "offline"),
               "error": ("故障", "error"), "starting": ("启动中", "starting"), "closed": ("未启动", "closed")}

STEP_NAMES = {"attract": "待机", "home": "首页", "catalog": "选择事项", "guide": "办事指南", "identify": "读取身份证",
              "face": "人脸核验", "form": "填写表单", "materials": "拍摄材料", "sign": "签名", "payment": "缴费", "delivery": "邮寄",
              "review": "确认", "submit": "提交", "result": "办理结果", "receipt": "打印回执", "status": "进度查询",
              "mine": "我的办件", "end": "结束"}


def step_name(step: str) -> str:
    """A kiosk step (``kiosk.journey.plan.Step`` value) as staff read it: 拍摄材料 materials."""
    return f"{STEP_NAMES[step]} {step}" if step in STEP_NAMES else step or "—"


@dataclass(frozen=True)
class Alert:
    level: Level
    zh: str
    en: str


@dataclass
class Device:
    name: str
    kind: str
    state: str
    error_code: int | None
    error_text: str
    supplies: dict[str, str]

    @property
    def state_name(self) -> str:
        zh, en = STATE_NAMES.get(self.state, (self.state, self.state))
        return f"{zh} {en}"

    @property
    def supply_names(self) -> list[tuple[str, str, str]]:
        """(level, zh, en) of each supply, e.g. ("low", "纸将尽", "paper low")."""
        return [(level, *_supply(name, level)) for name, level in self.supplies.items()]


@dataclass
class KioskRow:
    kiosk_id: str
    location: str
    last_seen: str  # ISO time the platform received the last heartbeat ("" never)
    minutes_silent: int | None  # None: never heard of
    version: str
    outbox_pending: int
    outbox_rejected: int
    oldest_pending_min: int
    devices: list[Device] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    @property
    def level(self) -> Level:
        levels = {a.level for a in self.alerts}
        return Level.ALERT if Level.ALERT in levels else Level.WARN if Level.WARN in levels else Level.OK


def _supply(name: str, level: str) -> tuple[str, str]:
    zh, en = SUPPLY_NAMES.get(name, (name, name))
    lzh, len_ = SUPPLY_LEVELS.get(level, (level, level))
    return f"{zh}{lzh}", f"{en} {len_}"


def kiosk_row(row: dict[str, Any], now: dt.datetime, offline_after_s: float) -> KioskRow:
    hb = row.get("last_heartbeat") or {}
    seen = row.get("last_seen_at") or ""
    silent_s: float | None = None
    if seen:
        try:
            silent_s = max(0.0, (now - dt.datetime.fromisoformat(seen)).total_seconds())
        except ValueError:
            silent_s = None
    k = KioskRow(kiosk_id=row["kiosk_id"], location=row.get("location") or "", last_seen=seen,
                 minutes_silent=None if silent_s is None else int(silent_s // 60),
                 version=str(hb.get("software_version") or ""), outbox_pending=int(hb.get("outbox_pending") or 0),
                 outbox_rejected=int(hb.get("outbox_rejected") or 0),
                 oldest_pending_min=int(float(hb.get("oldest_pending_age_s") or 0) // 60))
    limit_min = int(offline_after_s // 60)
    if silent_s is None:
        k.alerts.append(Alert(Level.ALERT, "从未上报心跳", "never sent a heartbeat"))
    elif silent_s > offline_after_s:
        k.alerts.append(Alert(Level.ALERT, f"离线超过 {limit_min} 分钟（{k.minutes_silent} 分钟无心跳）",
                              f"offline for more than {limit_min} min ({k.minutes_silent} min silent)"))
    for d in hb.get("devices") or []:
        dev = Device(name=str(d.get("name", "")), kind=str(d.get("kind", "")), state=str(d.get("state", "")),
                     error_code=d.get("error_code"), error_text=str(d.get("error_text") or ""),
                     supplies={str(s): str(v) for s, v in (d.get("supplies") or {}).items()})
        k.devices.append(dev)
        if dev.state in ("error", "offline"):
            code = f" [{dev.error_code}]" if dev.error_code else ""
            zh, en = STATE_NAMES[dev.state]
            k.alerts.append(Alert(Level.ALERT, f"{dev.name} {zh}{code} {dev.error_text}".strip(),
                                  f"{dev.name} {en}{code}"))
        for supply, level in dev.supplies.items():
            if level in ("low", "out"):
                zh, en = _supply(supply, level)
                k.alerts.append(Alert(Level.ALERT if level == "out" else Level.WARN, f"{dev.name} {zh}",
                                      f"{dev.name}: {en}"))
    if k.outbox_rejected:
        k.alerts.append(Alert(Level.WARN, f"{k.outbox_rejected} 件申请被平台拒收", f"{k.outbox_rejected} rejected"))
    return k


@dataclass
class Fleet:
    kiosks: list[KioskRow]
    open_help: list[dict[str, Any]]
    answered_help: list[dict[str, Any]]
    offline_after_min: int

    @property
    def alerting(self) -> int:
        return sum(1 for k in self.kiosks if k.level is not Level.OK)


def fleet(p: Platform) -> Fleet:
    """Every enrolled kiosk, those with alerts first (then by id), and the calls for help."""
    now = p.config.now()
    after = p.config.staff.fleet_offline_after_s
    rows = [kiosk_row(r, now, after) for r in p.store.kiosks()]
    order = {Level.ALERT: 0, Level.WARN: 1, Level.OK: 2}
    rows.sort(key=lambda k: (order[k.level], k.kiosk_id))
    calls = p.store.help_requests(open_only=False, limit=200)
    open_calls = sorted((c for c in calls if c["status"] == "open"), key=lambda c: c["requested_at"])
    answered = [c for c in calls if c["status"] != "open"][:20]
    return Fleet(rows, open_calls, answered, int(after // 60))
