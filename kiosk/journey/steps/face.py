"""人证核验 (issue 19): for an item whose catalogue entry says ``face_check``, after the card is read.

The screen asks first for the citizen's separate consent to biometric processing (PIPL art. 28-29: face
data is sensitive personal information), saying what is kept: the score and the decision only. 不同意 leads
to a staffed-counter referral and no application. 同意 starts a try: the face camera's live preview is
followed on a thread of this step (``pump``, one frame at a time, ``kiosk.face.attempt.FaceTry``); the
screen shows the oval guide and the current instruction (the voice says it: ``JourneyEventKind.FACE``);
a good face is captured by itself, the liveness challenges follow, then the comparison with the card's
photo. A failed try may be tried again, at most ``face.max_tries`` in all; then the counter referral.

Only ``FaceResult.as_record()`` outlives the step: in the audit trail and, once passed, in the application
package (``package.py`` adds it as a signed file). Frames and the card photo are overwritten after use.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

import numpy as np

from ...errors import KioskErrorCode, notice_for_kiosk
from ...face.api import FaceDecision, FaceResult
from ...face.attempt import FaceKit, FaceTry, TryStatus
from ...periodic import Periodic
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import FacePhase, FaceProgress
from ..table import Trigger
from .base import StepHandler

log = logging.getLogger(__name__)

FAILURE_CODES = {FaceDecision.NO_FACE: KioskErrorCode.FACE_NOT_SEEN, FaceDecision.NOT_LIVE: KioskErrorCode.FACE_NOT_LIVE,
                 FaceDecision.MISMATCH: KioskErrorCode.FACE_MISMATCH}


def instruction_key(face: FaceProgress) -> str:
    """What the screen and the voice say now, as a key of ``kiosk.face.words.INSTRUCTIONS`` ('' = nothing)."""
    if face.phase == FacePhase.CHALLENGE and face.challenge:
        return f"challenge.{face.challenge}"
    if face.phase == FacePhase.LOOKING:
        return f"looking.{face.hint or 'oval'}"
    if face.phase == FacePhase.CHECKING:
        return f"checking.{face.hint}" if face.hint else "checking"
    if face.phase in (FacePhase.CONSENT, FacePhase.PASSED):
        return face.phase.value
    return ""


def decode_photo(photo: bytes) -> np.ndarray | None:
    """The card's photo (a BMP/PNG file's bytes) as BGR, or None."""
    if not photo:
        return None
    import cv2  # noqa: PLC0415 - OpenCV only once a face step runs

    img = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    return img if img is not None and img.size else None


class FaceStep(StepHandler):
    step = Step.FACE
    watches = ("face_camera",)  # its faults show on this screen (the default [face] camera device)

    def __init__(self, kit: Callable[[], FaceKit] | None = None) -> None:
        self._open_kit = kit  # opened on the first face step (kiosk.face.wiring.open_face_kit)
        self._kit: FaceKit | None = None
        self._lock = threading.RLock()
        self._try: FaceTry | None = None
        self._seq: Any = None
        self._pump: Periodic | None = None
        self._camera: Any = None  # the face camera while a try runs (switched on, told the challenge)
        self.threaded = True  # False: no preview thread, the caller drives ``pump`` (unit tests, tools)

    # ----- the screen comes and goes ------------------------------------------------------------
    def enter(self, ctx: Context) -> None:
        face = ctx.session.face
        if face.phase == FacePhase.PASSED and face.result is not None and face.card is ctx.session.card:
            return  # 返回 from the form: the face check of this card stands (下一步 goes on)
        ctx.session.face = FaceProgress(card=ctx.session.card)
        self._say(ctx)

    def leave(self, ctx: Context) -> None:
        self._stop_try()
        face = ctx.session.face
        if face.phase in (FacePhase.LOOKING, FacePhase.CHALLENGE, FacePhase.CHECKING):
            ctx.session.face = FaceProgress()  # left mid-try (返回): a new consent next time

    def session_ended(self) -> None:
        self._stop_try()

    def close(self) -> None:
        self._stop_try()

    # ----- the citizen's actions ----------------------------------------------------------------
    def consent(self, ctx: Context, agreed: bool) -> None:
        face = ctx.session.face
        if ctx.step != self.step or face.phase != FacePhase.CONSENT:
            return
        ctx.audit("face_consent", agreed=bool(agreed))
        if not agreed:
            self._referral(ctx, KioskErrorCode.FACE_DECLINED,
                           FaceResult(FaceDecision.DECLINED, None, None, None, tries=0))
            return
        face.consented = True
        self._start_try(ctx)

    def proceed(self, ctx: Context) -> None:
        """下一步 on a passed check shown again (返回 from the form)."""
        if ctx.step == self.step and ctx.session.face.phase == FacePhase.PASSED:
            ctx.fire(Trigger.NEXT)

    def retry(self, ctx: Context) -> None:
        face = ctx.session.face
        if ctx.step == self.step and face.phase == FacePhase.FAILED and face.tries < ctx.settings.face.max_tries:
            ctx.clear_notice(self.owner)
            self._start_try(ctx)

    def to_counter(self, ctx: Context) -> None:
        """到人工窗口办理 after a failed try: the referral screen (its 完成 ends the session, no application)."""
        face = ctx.session.face
        if ctx.step == self.step and face.phase == FacePhase.FAILED:
            self._referral(ctx, KioskErrorCode.FACE_TRIES_USED, face.result)

    # ----- one try ------------------------------------------------------------------------------
    def _kit_or_none(self, ctx: Context) -> FaceKit | None:
        if self._kit is None and self._open_kit is not None:
            try:
                self._kit = self._open_kit()
            except Exception as exc:  # FaceEngineMissing or worse: the citizen goes to a counter
                log.error("face engine unavailable: %s", exc)
                ctx.audit("face_engine_missing", error=str(exc)[:300])
                self._open_kit = None
        return self._kit

    def _start_try(self, ctx: Context) -> None:
        face = ctx.session.face
        kit = self._kit_or_none(ctx)
        if kit is None:
            self._referral(ctx, KioskErrorCode.FACE_NO_ENGINE, None)
            return
        camera = ctx.devices.get(ctx.settings.face.camera)
        if camera is None or not hasattr(camera, "latest"):
            self._referral(ctx, KioskErrorCode.FACE_NO_CAMERA, None)
            return
        card = ctx.session.card
        photo = decode_photo(getattr(card, "photo_bmp", b"") if card is not None else b"")
        if photo is None:
            self._referral(ctx, KioskErrorCode.FACE_NO_CARD_PHOTO, None)
            return
        s = ctx.settings.face
        with self._lock:
            face.tries += 1
            face.phase, face.hint, face.challenge, face.code = FacePhase.LOOKING, "", "", 0
            self._try = FaceTry(kit, photo, min_quality=s.min_quality, timeout_ms=int(s.try_timeout_s * 1000),
                                try_no=face.tries, steady_frames=s.steady_frames)
            self._seq = None
            self._camera = camera
        if hasattr(camera, "set_active"):
            camera.set_active(True)  # a face camera takes frames only while a try runs (devices.camera.face)
        ctx.audit("face_try", attempt=face.tries)
        ctx.emit(JourneyEventKind.UPDATE)
        self._say(ctx)
        self._stop_pump()
        if not self.threaded:
            return
        # A thread per try: one stopped from its own round (the try ended) is never revived by the next try.
        self._pump = Periodic("face-preview", s.frame_interval_s, lambda: self.pump(ctx) and None, join_s=2.0)
        self._pump.start()

    def pump(self, ctx: Context) -> bool:
        """Analyse the face camera's newest frame (the preview thread, or a test); True when it was new."""
        with self._lock:
            attempt = self._try
            if attempt is None or ctx.step != self.step:
                return False
            camera = ctx.devices.get(ctx.settings.face.camera)
            preview = camera.latest() if camera is not None else None
            if preview is None or preview.seq == self._seq:
                return False
            self._seq = preview.seq
            status = attempt.feed(preview.image, int(ctx.clock() * 1000))
            self._show(ctx, status)
            if status.result is not None:
                self._try = None
        if status.result is not None:
            self._finished(ctx, status.result)
        return True

    def _show(self, ctx: Context, status: TryStatus) -> None:
        face = ctx.session.face
        if status.result is not None:
            return
        phase = FacePhase.CHECKING if status.checking else \
            FacePhase.CHALLENGE if status.challenge is not None else FacePhase.LOOKING
        challenge = status.challenge.value if status.challenge is not None else ""
        if (phase, challenge, status.hint) != (face.phase, face.challenge, face.hint):
            if challenge != face.challenge and hasattr(self._camera, "prompt"):
                self._camera.prompt(challenge or None)  # the challenge the screen shows (a simulated person does it)
            face.phase, face.challenge, face.hint = phase, challenge, status.hint
            ctx.emit(JourneyEventKind.UPDATE)
            self._say(ctx)

    def _finished(self, ctx: Context, result: FaceResult) -> None:
        self._stop_pump()
        with self._lock:
            camera, self._camera = self._camera, None
        self._switch_off(camera)
        face = ctx.session.face
        face.result, face.challenge, face.hint = result, "", ""
        ctx.audit("face_check", **result.as_record())
        if result.decision == FaceDecision.PASS:
            face.phase = FacePhase.PASSED
            ctx.emit(JourneyEventKind.UPDATE)
            self._say(ctx)
            ctx.fire(Trigger.NEXT)
            return
        code = FAILURE_CODES.get(result.decision, KioskErrorCode.FACE_NOT_SEEN)
        if face.tries >= ctx.settings.face.max_tries:
            self._referral(ctx, KioskErrorCode.FACE_TRIES_USED, result)
            return
        face.phase, face.code = FacePhase.FAILED, int(code)
        ctx.set_notice(notice_for_kiosk(code), self.owner)  # said by the voice as it shows
        ctx.emit(JourneyEventKind.UPDATE)

    def _referral(self, ctx: Context, code: KioskErrorCode, result: FaceResult | None) -> None:
        self._stop_try()
        face = ctx.session.face
        face.phase, face.code, face.challenge, face.hint = FacePhase.REFERRAL, int(code), "", ""
        if result is not None:
            face.result = result
        ctx.audit("face_referral", code=int(code), face=result.as_record() if result is not None else None)
        ctx.set_notice(notice_for_kiosk(code), self.owner)
        ctx.emit(JourneyEventKind.UPDATE)

    def _say(self, ctx: Context) -> None:
        key = instruction_key(ctx.session.face)
        if key:
            ctx.emit(JourneyEventKind.FACE, key)

    def _stop_pump(self) -> None:
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.stop()  # from its own round (the try ended there) it does not wait for itself

    def _stop_try(self) -> None:
        self._stop_pump()
        with self._lock:
            attempt, self._try = self._try, None
            camera, self._camera = self._camera, None
        if attempt is not None:
            attempt.forget()
        self._switch_off(camera)

    @staticmethod
    def _switch_off(camera: Any) -> None:
        """The try is over: the face camera takes no more frames."""
        if camera is not None and hasattr(camera, "set_active"):
            camera.set_active(False)
