"""The steps of a citizen's session and how an item's configuration decides which ones it has.

Adding an item is adding a file: nothing here names an item. A step is in the plan when the item's
configuration needs it (a fee -> PAYMENT, express delivery offered -> DELIVERY, scannable materials ->
MATERIALS, ...).
"""
from __future__ import annotations

from enum import StrEnum

from ..platform.catalog_schema import DeliveryMethod, Item, MaterialSource


class Step(StrEnum):
    ATTRACT = "attract"  # the loop shown while nobody uses the kiosk
    HOME = "home"  # 办事 / 进度查询 / 缴费 / 长辈模式 / 语言 / 呼叫帮助
    CATALOG = "catalog"  # choose an item
    GUIDE = "guide"  # 办事指南: conditions, materials, fees, time limit
    IDENTIFY = "identify"  # place the ID card
    FACE = "face"  # 人证核验 (issue 19): consent, live face, liveness, compared with the card's photo
    FORM = "form"  # prefilled from the card and shared data
    MATERIALS = "materials"  # pages under the document camera
    SIGN = "sign"
    PAYMENT = "payment"
    DELIVERY = "delivery"
    REVIEW = "review"
    SUBMIT = "submit"  # the package goes into the outbox and to the platform
    RESULT = "result"  # 秒批 decision or acceptance
    RECEIPT = "receipt"  # printing
    STATUS = "status"  # 进度查询 result
    MINE = "mine"  # 我的办件: the card holder's applications from the platform (issue 18)
    END = "end"  # goodbye; then the session is wiped


# Steps that hold personal data: leaving the session from any of them wipes it.
PERSONAL = frozenset(set(Step) - {Step.ATTRACT, Step.HOME, Step.CATALOG, Step.GUIDE})
# Steps with no personal data where a citizen reads: the idle count warns before it leaves them (kiosk.journey.idle)
READING = frozenset({Step.CATALOG, Step.GUIDE})


def scannable(item: Item) -> list:
    """Materials that may need the camera before data sharing has answered: the citizen's own, and the
    e-licences (captured on paper when the government turns out not to hold them)."""
    return [m for m in item.materials if m.source in (MaterialSource.APPLICANT, MaterialSource.E_LICENCE)]


def plan_steps(item: Item, to_capture: list | None = None, offered: tuple | None = None) -> list[Step]:
    """The ordered steps of a journey for ``item``, from GUIDE to END.

    ``to_capture``: the materials left to lay under the camera once data sharing has answered (减材料);
    before that, every material that might need it. ``offered``: the deliveries offered on this kiosk
    (``Item.deliveries``); by default those of a kiosk without an A4 printer."""
    steps = [Step.GUIDE]
    if item.needs_identity:
        steps.append(Step.IDENTIFY)
        if item.face_check:  # the person, not only the card (steps/face.py)
            steps.append(Step.FACE)
    if item.form:
        steps.append(Step.FORM)
    if item.kind == "bill_payment":  # paid, not applied for: no delivery, no review, nothing to submit (steps/bill.py)
        return steps + [Step.PAYMENT, Step.RECEIPT, Step.END]
    if item.kind == "application":
        if to_capture if to_capture is not None else scannable(item):
            steps.append(Step.MATERIALS)
        if item.needs_signature:
            steps.append(Step.SIGN)
    offered = item.offered_delivery if offered is None else offered
    if DeliveryMethod.EXPRESS in offered or len(offered) > 1:  # one way without an address: nothing to ask
        steps.append(Step.DELIVERY)
    steps.append(Step.REVIEW)
    # Review, then pay, then submit at once: nothing is charged before the citizen has checked the
    # application, and the paid order goes out with it (issue 15).
    if item.fee.charged or item.kind == "bill_payment":
        steps.append(Step.PAYMENT)
    steps += [Step.SUBMIT, Step.RESULT, Step.RECEIPT, Step.END]
    return steps
