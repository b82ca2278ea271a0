"""The face engine's failures, each with its numbered kiosk code (docs/troubleshooting.md).

A failure here is a fault of the kiosk or of the card, never a verdict on the citizen: the journey turns
each into a way to a staffed counter, and a mismatch is a score below the threshold, not an exception.
"""
from __future__ import annotations

from ..errors import KioskErrorCode


class FaceEngineError(RuntimeError):
    """Base: ``code`` is the kiosk error code the journey shows and the audit trail records."""

    code: KioskErrorCode = KioskErrorCode.FACE_ENGINE_FAILED


class FaceEngineUnavailable(FaceEngineError):
    """The engine's packages or model files cannot be loaded (2180)."""

    code = KioskErrorCode.FACE_ENGINE_UNAVAILABLE


class CardPhotoUnusable(FaceEngineError):
    """No face was found in the card's photo (2181): the comparison cannot be made."""

    code = KioskErrorCode.FACE_CARD_PHOTO_UNUSABLE


class LiveFaceNotFound(FaceEngineError):
    """No face was found in the live image handed to the matcher (2182: the caller should hand it only
    frames in which the analyzer saw a face)."""

    code = KioskErrorCode.FACE_ENGINE_FAILED
