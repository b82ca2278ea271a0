"""What the platform checks on every submission before any decision (issue 15, item 6).

A kiosk validates as it goes, but the platform decides on what it receives, so it checks again, by the
same rules (``kiosk.journey.forms``: the catalogue's field types and patterns) and the same catalogue:

- every form field by its schema: required fields present, phone, dates, ID numbers, choices, patterns;
- every required material the citizen lays down present with at least its ``min_pages``, its file sent;
- the signature present and sent when the item needs one;
- 本机打印 only for an item that offers it on a kiosk with an A4 printer (``Item.deliveries``: 秒批).

An application that fails any of these is refused (422, ``ErrorCode.APPLICATION_INCOMPLETE``) with every
problem named; it is never stored, so it can never be approved. Payment and e-licences are not refusals:
``workflow.platform_checks`` sends those to manual review. Items that need the person seen (catalogue
``face_check``) are decided on the signed face record only (central/face.py).
"""
from __future__ import annotations

from kiosk.journey.forms import validate
from kiosk.journey.forms import PHONE
from kiosk.platform.catalog_schema import DeliveryMethod, Item, MaterialSource
from kiosk.platform.error_codes import ErrorCode
from kiosk.platform.regions import load_regions
from kiosk.platform.schema import Manifest, Reason


def problems(item: Item, m: Manifest) -> list[Reason]:
    """Everything that makes the submission incomplete or malformed; empty when it may be decided."""
    found: list[Reason] = []
    for err in validate(item, m.form):
        found.append(Reason(zh=err.message.zh, en=err.message.en))
    files = {f.name for f in m.files}
    refs = {r.id: r for r in m.materials}
    for mat in item.materials:
        if mat.source != MaterialSource.APPLICANT or not mat.required or mat.min_pages == 0:
            continue
        ref = refs.get(mat.id)
        if ref is None or ref.pages < mat.min_pages:
            found.append(Reason(zh=f"缺少材料：{mat.name.zh}（至少 {mat.min_pages} 页）",
                                en=f"Missing material: {mat.name.en} (at least {mat.min_pages} page(s))"))
        elif not ref.file or ref.file not in files:
            found.append(Reason(zh=f"材料未随申请上传：{mat.name.zh}", en=f"Material file not sent: {mat.name.en}"))
    if item.needs_signature and (not m.signature or m.signature not in files):
        found.append(Reason(zh="缺少申请人签名", en="The applicant's signature is missing"))
    if item.needs_identity and m.applicant is None:
        found.append(Reason(zh="缺少申请人身份信息", en="The applicant's identity is missing"))
    if m.delivery.method == DeliveryMethod.SELF_PRINT.value \
            and DeliveryMethod.SELF_PRINT not in item.deliveries(self_print=True):
        # 本机打印 is accepted for a 秒批 item that lists it (the kiosk decides whether its A4 printer works);
        # for any other item it would be a promise nobody keeps: the result is never printed in the journey
        found.append(Reason(zh="本事项的结果不能在自助终端当场打印（本机打印）",
                            en="This item's result cannot be printed at the kiosk (self_print)"))
    return found


MIN_DETAIL = 4  # characters of the detail line, as DeliveryRequest asks


def delivery_problem(m: Manifest) -> tuple[int, Reason] | None:
    """An express delivery's address must be a structure the courier can use: a complete region of
    config/regions.toml (its code) and a detail line, a recipient and a mobile number. The first problem
    with its code (``ErrorCode.DELIVERY_REGION`` / ``DELIVERY_ADDRESS``), or None."""
    d = m.delivery
    if d.method != DeliveryMethod.EXPRESS.value:
        return None
    regions = load_regions()
    if not d.region:
        return ErrorCode.DELIVERY_REGION, Reason(zh="邮寄地址缺少所在地区", en="The delivery address has no region")
    if not regions.complete(d.region):
        known = d.region in regions.by_code
        return ErrorCode.DELIVERY_REGION, Reason(
            zh=f"邮寄地址的地区{'不完整（须到区县）' if known else '代码未知'}：{d.region}",
            en=f"The delivery region {d.region} is {'incomplete (down to the district)' if known else 'unknown'}")
    if len(d.address.strip()) < MIN_DETAIL or not d.recipient.strip() or not PHONE.match(d.phone):
        return ErrorCode.DELIVERY_ADDRESS, Reason(zh="邮寄信息不完整：收件人、手机号码或详细地址",
                                                   en="Delivery incomplete: recipient, mobile number or street address")
    return None
