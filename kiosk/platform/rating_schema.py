"""好差评 (国办发〔2019〕51号, issue 17): after the receipt a citizen may rate the service once per case, in five
levels. The kiosk sends it signed (``POST /ratings``); the platform keeps one per case and tells a second one
apart (409, ``ErrorCode.RATING_TWICE``); a case of another kiosk, or one it does not hold, is not found (404)."""
from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

APPLICATION_ID = r"^[A-Za-z0-9-]{8,64}$"  # the kiosk's application id (a UUID), the case being rated


class RatingLevel(StrEnum):
    """The five levels of 好差评, best first (the screen shows them in this order)."""
    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASIC = "basic"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意
    VERY_UNSATISFIED = "very_unsatisfied"  # 非常不满意


LEVEL_ZH = {RatingLevel.VERY_SATISFIED: "非常满意", RatingLevel.SATISFIED: "满意", RatingLevel.BASIC: "基本满意",
            RatingLevel.UNSATISFIED: "不满意", RatingLevel.VERY_UNSATISFIED: "非常不满意"}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingRequest(_M):
    application_id: str = Field(pattern=APPLICATION_ID)
    level: RatingLevel


class Rating(_M):
    """A rating as the platform keeps it (no personal data: the case, the level, where and when)."""
    application_id: str
    reference: str = ""
    item_code: str = ""
    kiosk_id: str = ""
    level: RatingLevel
    rated_at: str = ""
