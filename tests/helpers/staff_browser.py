"""A staff member's browser for the platform's /staff pages, over real HTTP (requests keeps the cookie), and
the platform set up for it: accounts, a clock the test moves, cases put in the review queue."""
from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from central.config import PlatformConfig
from central.server import EmbeddedPlatform
from central.staff.admin import add_account
from central.workflow import accept, manifest_sha256
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

PASSWORD = "staff-pass-9876!"
GRADUATE_INTAKE = "920000001000"  # 应届毕业生引进落户: 秒批, an ineligible graduate goes to manual review
SECRET = "test-secret-0123456789"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Clock:
    t: float = 1_790_000_000.0  # 2026-09-21 (Mon) 22:13 CST; tests set their own

    def __call__(self) -> float:
        return self.t


def cheap_argon2() -> None:
    """argon2id with test parameters (1 pass, 1 MiB): the default costs half a second a login on a busy CI."""
    from argon2 import PasswordHasher

    from central.staff import passwords

    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def platform_config(data_dir: Path, clock: Clock, db_url: str | None = None, **staff: object) -> PlatformConfig:
    config = PlatformConfig(data_dir=data_dir, catalog_dir=CONFIG_DIR / "catalog", kiosks={"K-TEST": SECRET},
                            admin_token="admin-token-0123456789", demo=True, clock=clock, db_url=db_url)
    for k, v in staff.items():
        setattr(config.staff, k, v)
    return config


def start(data_dir: Path, clock: Clock, db_url: str | None = None, **staff: object) -> EmbeddedPlatform:
    """``db_url``: the records on PostgreSQL (``central_db``); default SQLite in ``data_dir``."""
    p = EmbeddedPlatform(data_dir, config=platform_config(data_dir, clock, db_url, **staff))
    p.start()
    return p


def account(platform: EmbeddedPlatform, username: str, role: str = "reviewer") -> str:
    add_account(platform.store, username, f"{username} 同志", role, PASSWORD, "2026-01-01T09:00:00+08:00", "test")
    return username


_PDF: dict[int, bytes] = {}


def pdf(pages: int = 2) -> bytes:
    """A real PDF with ``pages`` pages, each saying which page it is (reportlab)."""
    if pages not in _PDF:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4)
        for n in range(1, pages + 1):
            c.setFont("Helvetica", 40)
            c.drawString(100, 700, f"Material page {n}")
            c.rect(80, 80, 430, 680)
            c.showPage()
        c.save()
        _PDF[pages] = buf.getvalue()
    return _PDF[pages]


def queue_case(platform: EmbeddedPlatform, who: str = "graduate_late", item: str = GRADUATE_INTAKE,
               pages: int = 2) -> str:
    """Accept a submission the 秒批 rules send to manual review, with real PDF materials; its reference."""
    m, files = complete(item, who, str(uuid.uuid4()))
    files = {n: (pdf(pages) if n.endswith(".pdf") else d) for n, d in files.items()}
    p = platform.app.state.platform
    raw = m.model_dump(mode="json")

    def write(reference: str) -> None:
        for name, data in files.items():
            p.files.write(reference, name, data)

    resp, _ = accept(p, p.by_code[item], m, "K-TEST", hashlib.sha256(m.application_id.encode()).hexdigest(),
                     manifest_sha256(raw), write)
    assert resp.status in ("under_review", "received"), resp.status
    return resp.reference


@dataclass
class Browser:
    url: str
    http: requests.Session = field(default_factory=requests.Session)
    last: requests.Response | None = None

    def get(self, path: str) -> requests.Response:
        self.last = self.http.get(self.url + path, allow_redirects=False, timeout=10)
        return self.last

    def csrf(self, path: str | None = None) -> str:
        text = self.get(path).text if path else (self.last.text if self.last is not None else "")
        found = _CSRF.search(text)
        assert found, f"no csrf token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict | bytes | str | None = None, csrf_from: str | None = "/staff/",
             content_type: str = "application/x-www-form-urlencoded") -> requests.Response:
        """POST a form; the session's CSRF token is added from ``csrf_from`` unless the data has one or it is None."""
        if isinstance(data, dict) or data is None:
            data = dict(data or {})
            if csrf_from is not None and "csrf" not in data:
                data["csrf"] = self.csrf(csrf_from)
        self.last = self.http.post(self.url + path, data=data, allow_redirects=False, timeout=10,
                                   headers={"Content-Type": content_type})
        return self.last

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        token = self.csrf("/staff/login")
        return self.post("/staff/login", {"username": username, "password": password, "csrf": token})

    def claim(self, reference: str) -> requests.Response:
        return self.post(f"/staff/reviews/{reference}/claim", csrf_from=f"/staff/reviews/{reference}")

    def decide(self, reference: str, outcome: str, reason: str = "", **more: str) -> requests.Response:
        return self.post(f"/staff/reviews/{reference}/decide", dict(outcome=outcome, reason=reason, **more),
                         csrf_from=f"/staff/reviews/{reference}")


def code_of(resp: requests.Response) -> int | None:
    """The numbered code on a refusal page (or in a JSON body)."""
    if resp.headers.get("content-type", "").startswith("application/json"):
        return resp.json().get("code")
    found = re.search(r"Error code <strong>(\d+)</strong>", resp.text)
    return int(found.group(1)) if found else None
