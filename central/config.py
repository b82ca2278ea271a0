"""How a reference platform is set up: directories, enrolled kiosks, limits, the administrator's token."""
from __future__ import annotations

import datetime as dt
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .staff.settings import StaffSettings

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
TZ = dt.timezone(dt.timedelta(hours=8), "CST")
SIGNATURE_V1_UNTIL = dt.datetime(2027, 6, 30, 23, 59, 59, tzinfo=TZ).timestamp()  # default transition window


@dataclass
class PlatformConfig:
    data_dir: Path  # files (uploads, materials): on a directory every worker shares
    # The records: sqlite:///DIR/central.sqlite or postgresql://... (no password in it: PGPASSFILE/PGPASSWORD).
    # None = SQLite in data_dir (demo mode, tests).
    db_url: str | None = None
    db_timeout_s: float = 10.0  # PostgreSQL: a request waits this long for a connection, then 503 (4230)
    db_pool_size: int = 8  # PostgreSQL: connections per worker process (max_connections >= workers x this)
    catalog_dir: Path = CONFIG_DIR / "catalog"
    shared_data_file: Path = CONFIG_DIR / "shared_data.toml"
    # Kiosks enrolled at start (kiosk id -> secret), e.g. the demo kiosk; others enrol with a one-time code.
    kiosks: dict[str, str] = field(default_factory=dict)
    admin_token: str | None = None  # Bearer token of the /admin endpoints; None = they are closed
    max_skew_s: float = 300.0  # a signed request's timestamp may be this far from the platform's clock
    max_body_bytes: int = 64 * 1024 * 1024  # per signed request (a submission with inline files, one upload chunk)
    max_public_body_bytes: int = 64 * 1024  # per unsigned request (enrolment, the administrator's decisions)
    max_verify_body_bytes: int = 4 * 1024 * 1024  # a result PDF posted to the public POST /verify (one page: ~40 KB)
    header_timeout_s: float = 10.0  # a connection must send its request headers within this (server)
    body_timeout_s: float = 15.0  # a body must arrive within this, plus its length at min_body_rate_bps
    min_body_rate_bps: float = 32 * 1024  # the slowest link a kiosk may upload on
    max_inflight: int = 128  # requests handled at once; past it 503 with Retry-After
    # Signature scheme 1 (before X-Signature-Version: 2) is accepted until this Unix time: the transition
    # window in which kiosks deployed before scheme 2 keep working. None = refused.
    signature_v1_until: float | None = SIGNATURE_V1_UNTIL
    demo: bool = False  # demo mode: the simulated payer (/sim/payer) is mounted
    max_file_bytes: int = 20 * 1024 * 1024  # per file inline in a submission
    max_upload_bytes: int = 512 * 1024 * 1024  # per resumable upload
    chunk_bytes: int = 1024 * 1024  # preferred upload chunk
    # a temp file in the file store older than this was left by a crashed writer and is deleted at start (seconds)
    temp_file_max_age_s: float = 3600.0
    payment_ttl_s: float = 900.0  # an unpaid order expires after this
    enrolment_ttl_s: float = 7 * 86400.0
    # Citizen sessions and look-ups (issue 16, docs/security.md): what one kiosk may ask per minute before
    # the platform refuses (HTTP 429) and raises an alarm (GET /admin/alarms).
    citizen_session_ttl_s: float = 900.0  # a session the kiosk forgets to close expires after this
    sessions_per_kiosk_per_minute: int = 12  # card reads: a busy kiosk serves one citizen a minute or so
    lookups_per_kiosk_per_minute: int = 60  # sharing, status and waybill reads of personal data
    lookups_per_session: int = 20  # one citizen's session needs a handful
    public_url: str | None = None  # base of QR payloads; None = the URL the request came in on
    # Notifications (issue 18, central/notify): which SMS gateway sends the applicant's status messages.
    # "outbox" = the reference gateway (messages kept, inspectable: GET /admin/sms, kiosk central sms list);
    # "aliyun" = Alibaba Cloud SMS (dysmsapi SendSms); "off" = none (the receipt then promises no SMS).
    sms_gateway: str = "outbox"
    sms_worker: bool = True  # deliver on the platform's own thread; False: a caller runs Notifier.run_due()
    sms_max_attempts: int = 6  # tries of a message before it is failed
    sms_backoff_s: float = 30.0  # wait before the first retry, doubled each time (seconds)
    sms_backoff_max_s: float = 3600.0  # longest wait between two tries (seconds)
    sms_timeout_s: float = 10.0  # one HTTP call to a provider (seconds)
    sms_link_base: str | None = None  # base of the tracking link in a message; None = public_url
    # Alibaba Cloud SMS: endpoint, approved signature (签名) and the approved template code of each
    # "<event>.<lang>" (e.g. "approved.zh_CN": "SMS_123456789"). The AccessKey comes from sms_credentials_file
    # (TOML: access_key_id, access_key_secret) or $ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, never the command line.
    sms_aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    sms_aliyun_sign_name: str = ""
    sms_aliyun_templates: dict[str, str] = field(default_factory=dict)
    sms_credentials_file: Path | None = None
    # The courier's HMAC keys (carrier -> key) for POST /courier/events (central/notify/courier.py);
    # empty = the endpoint refuses every event.
    courier_keys: dict[str, str] = field(default_factory=dict)
    courier_max_skew_s: float = 300.0  # a courier event's X-Courier-Timestamp may be this far off (seconds)
    staff: StaffSettings = field(default_factory=StaffSettings)  # staff pages (issue 21): sessions, throttle, claims
    clock: Callable[[], float] = time.time

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), TZ)

    def now_iso(self) -> str:
        return self.now().isoformat(timespec="seconds")


def demo_kiosks() -> dict[str, str]:
    """The demo kiosk of config/demo.toml with its (public, demo-only) secret: the embedded platform's default."""
    data = tomllib.loads((CONFIG_DIR / "demo.toml").read_text(encoding="utf-8"))
    secret = data.get("platform", {}).get("secret", "")
    return {data["kiosk_id"]: secret} if secret else {}
