"""呼叫帮助 (issue 15): a citizen's call for help reaches a person.

Each call goes two ways at once: to the kiosk's own alarm output (``help.command``: a relay, GPIO or bell
script run with the call in its environment) and to the platform (``POST /help``, kept there until staff
acknowledge it). The call is sent again until the platform holds it; once held it is polled until staff
acknowledge it (``kiosk central help ack`` until the staff pages exist). Never raises: a call that reaches
nobody says so, with the location's phone number.
"""
from __future__ import annotations

import logging
import os
import secrets
import subprocess
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class HelpCall:
    help_id: str
    step: str
    item_code: str = ""
    held: bool = False  # the platform holds it
    alarmed: bool = False  # the local alarm hook ran
    acknowledged_by: str = ""
    acknowledged_at: str = ""

    @property
    def acknowledged(self) -> bool:
        return bool(self.acknowledged_at)

    @property
    def reached(self) -> bool:
        return self.held or self.alarmed


def new_call(step: str, item_code: str = "") -> HelpCall:
    return HelpCall(help_id="H" + secrets.token_hex(12), step=step, item_code=item_code)


class HelpDesk:
    """Sends calls and asks after them; ``client`` is a ``PlatformClient`` (None: offline tools, tests)."""

    def __init__(self, settings: Any, client: Any = None) -> None:
        self.settings = settings
        self.client = client

    @property
    def phone(self) -> str:
        return self.settings.help.phone

    def alarm(self, call: HelpCall) -> bool:
        """The local alarm hook; True when it ran and succeeded."""
        command = list(self.settings.help.command)
        if not command:
            return False
        env = dict(os.environ, KIOSK_HELP_ID=call.help_id, KIOSK_ID=self.settings.kiosk_id,
                   KIOSK_LOCATION=self.settings.kiosk_location, KIOSK_STEP=call.step)
        try:
            done = subprocess.run(command, env=env, timeout=self.settings.help.command_timeout_s,
                                  stdin=subprocess.DEVNULL, capture_output=True, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.error("help: the alarm hook %s failed: %s", command[0], exc)
            return False
        if done.returncode != 0:
            log.error("help: the alarm hook %s exited %d", command[0], done.returncode)
        return done.returncode == 0

    def send(self, call: HelpCall) -> bool:
        """File the call at the platform; True when it holds it (idempotent: safe to send again)."""
        if self.client is None:
            return False
        try:
            self._apply(call, self.client.request_help(call.help_id, step=call.step, item_code=call.item_code,
                                                       timeout_s=5.0, attempts=1))
            call.held = True
        except Exception as exc:  # noqa: BLE001 - a link fault: sent again at the next poll
            log.warning("help: the platform did not take call %s (%s); trying again", call.help_id, exc)
        return call.held

    def poll(self, call: HelpCall) -> HelpCall:
        """Not held yet: send again. Held: has staff acknowledged it?"""
        if not call.held:
            self.send(call)
            return call
        try:
            self._apply(call, self.client.help_status(call.help_id, timeout_s=5.0))
        except Exception as exc:  # noqa: BLE001
            log.info("help: status of call %s unknown (%s)", call.help_id, exc)
        return call

    @staticmethod
    def _apply(call: HelpCall, status: Any) -> None:
        if status.status == "acknowledged":
            call.acknowledged_at = status.acknowledged_at or ""
            call.acknowledged_by = status.acknowledged_by or ""
