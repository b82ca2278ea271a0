"""The SMS gateway interface: what the notifier needs from whoever carries a message to a phone.

``send`` returns the provider's message id or raises ``GatewayError``: ``retry=True`` for what may pass later
(flow control, a timeout, a 5xx), ``retry=False`` for what never will (a malformed number, a template the
provider refuses). The reference gateway (``OutboxGateway``) delivers into the platform's own outbox (the
``sms_messages`` table): every message is kept and can be inspected (GET /admin/sms, ``kiosk central sms
list``), which is all a demo or a test needs."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from kiosk.platform.schema import ErrorCode


@dataclass(frozen=True)
class Message:
    phone: str  # full mobile number (1[3-9]xxxxxxxxx)
    event: str  # the template key (central/notify/templates.py)
    lang: str  # zh_CN | en_US
    text: str  # the rendered text (the reference gateway and providers that take free text)
    params: dict[str, str]  # template parameters (providers with approved templates: ref, link)


class GatewayError(Exception):
    def __init__(self, code: int, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.code, self.message, self.retry = code, message, retry

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class SmsGateway(Protocol):
    name: str

    def send(self, message: Message) -> str: ...


class OutboxGateway:
    """The reference gateway: the message is delivered into the outbox it already sits in."""

    name = "outbox"

    def send(self, message: Message) -> str:
        return f"outbox-{secrets.token_hex(6)}"


def refused(message: str) -> GatewayError:
    return GatewayError(ErrorCode.SMS_REFUSED, message, retry=False)


def later(message: str) -> GatewayError:
    return GatewayError(ErrorCode.SMS_RETRY, message, retry=True)
