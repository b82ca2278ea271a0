"""The staff pages' settings: sessions, the login throttle, review claims, due-date flags (issue 21).

Every field has a default and a unit; ``PlatformConfig.staff`` holds one of these."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent.parent.parent / "config"


@dataclass
class StaffSettings:
    session_idle_s: float = 30 * 60.0
    """Seconds: a session unused this long is over (a workstation left unlocked)."""
    session_max_s: float = 10 * 3600.0
    """Seconds: a session ends this long after login however busy (one working day)."""
    login_form_s: float = 15 * 60.0
    """Seconds: a login form's CSRF token lives this long (the form's own short session)."""
    throttle_window_s: float = 15 * 60.0
    """Seconds: failed logins are counted over this window."""
    failures_per_account: int = 5
    """Failed logins (count) of one account within the window before the account is refused with 429."""
    failures_per_address: int = 20
    """Failed logins (count) from one address within the window before the address is refused with 429."""
    claim_s: float = 30 * 60.0
    """Seconds: a reviewer's claim on a case lasts this long, renewed by each look at the case."""
    due_soon_working_days: int = 1
    """Working days (count): a case due within this many working days (or today) is flagged 即将到期."""
    cookie_secure: bool | None = None
    """Cookie's Secure flag: None = set when the request came over HTTPS (the platform's own TLS)."""
    workdays_file: Path = CONFIG_DIR / "workdays.toml"
    """Path: the 工作日 calendar (public holidays and 调休 make-up working days, by year)."""
    fleet_offline_after_s: float = 5 * 60.0
    """Seconds: a kiosk whose last heartbeat is older than this is shown offline on the fleet monitor."""
    fleet_refresh_s: int = 30
    """Seconds: the fleet monitor reloads itself this often (meta refresh, no script)."""
    finance_max_days: int = 92
    """Days (count): the longest date range the finance report covers in one request (a quarter)."""
