"""签名: the citizen signs on the screen; the strokes become a PNG kept in the session."""
from __future__ import annotations

from ...errors import KioskErrorCode, notice_for_kiosk
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler


class SignStep(StepHandler):
    step = Step.SIGN

    def sign(self, ctx: Context, strokes: list[list[tuple[float, float]]], width: int, height: int) -> bool:
        from ..signature import SignatureError, render_png  # noqa: PLC0415 - OpenCV only when signing

        if ctx.step != self.step:
            return False
        try:
            png = render_png(strokes, width, height)
        except SignatureError:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.SIGNATURE_EMPTY), self.owner)
            return False
        ctx.session.signature = bytearray(png)
        ctx.audit("signed")
        ctx.fire(Trigger.NEXT)
        return True
