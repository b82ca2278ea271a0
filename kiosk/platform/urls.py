"""Which platform URLs may carry the kiosk's traffic. Apart from ``transport`` (requests): the settings check
every URL they load, and loading the settings is on the start-up path before the first frame (issue 22)."""
from __future__ import annotations

import ipaddress
import urllib.parse

INSECURE_URL = 3020  # kiosk.errors.KioskErrorCode.PLATFORM_INSECURE
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: only "localhost" is trusted to stay on this machine


def insecure_url_problem(url: str) -> str | None:
    """Why ``url`` may not carry the kiosk's traffic, or None: https, or http to this machine only.

    The signature protects integrity, not secrecy: over plain http the citizen's data (manifest, sharing
    answers) would cross the network readable. http is left for the demo's and the tests' loopback platform.
    """
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and (host in _LOOPBACK or _is_loopback_ip(host)):
        return None
    if parts.scheme not in ("http", "https") or not host:
        return f"[{INSECURE_URL}] platform URL {url!r} is not an https:// URL"
    return (f"[{INSECURE_URL}] platform URL {url!r} is plain http to another machine: use https:// "
            f"(http:// is accepted for 127.0.0.1 and localhost only)")
