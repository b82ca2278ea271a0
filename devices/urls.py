"""Device URLs: one string names a device in settings (``serial://``, ``socket://``, ``sim://KIND?...``).

Apart from ``devices.transport`` so that the simulator registry (``devices.sim``) can parse URLs while the
transport opens ``sim://`` streams through the registry, without the two importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from .errors import DeviceError, DeviceErrorCode


@dataclass(frozen=True)
class DeviceURL:
    raw: str
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def param(self, key: str, default: str | None = None) -> str | None:
        return self.params.get(key, default)

    def int_param(self, key: str, default: int) -> int:
        value = self.params.get(key)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{self.raw}: parameter {key}={value!r} is not a whole number") from None

    def float_param(self, key: str, default: float) -> float:
        value = self.params.get(key)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{self.raw}: parameter {key}={value!r} is not a number") from None


SCHEMES = ("serial", "socket", "file", "loop", "sim", "camera", "sane", "evdev", "cups")


def parse_url(url: str) -> DeviceURL:
    """Parse a device URL; a plain path (``/dev/ttyUSB0``, ``COM3``) means a serial port."""
    url = url.strip()
    if not url:
        raise DeviceError(DeviceErrorCode.NOT_CONFIGURED, "empty device URL")
    if "://" not in url:
        return DeviceURL(raw=url, scheme="serial", path=url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: unknown scheme {scheme!r}")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        # A SANE device name is colon-separated (genesys:libusb:001:004), not HOST:PORT.
        # A CUPS queue name is not HOST:PORT either (its server is a parameter).
        port = parts.port if scheme not in ("sane", "cups") else None
    except ValueError:
        raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: bad port") from None
    # sim://idcard and camera://0 carry their argument as the "host" part.
    return DeviceURL(raw=url, scheme=scheme, host=parts.hostname or "", port=port, path=parts.path, params=params)
