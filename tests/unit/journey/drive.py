"""Driving the journey on fake ports to a given step (the journey's unit tests share these)."""
from __future__ import annotations

import numpy as np

from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.journey.plan import Step

CERT = "312000218000"  # 无犯罪记录证明: identify, form, materials, sign, delivery ...


FEE = "910000004000"  # 机动车驾驶证补领: ￥10


SIGNATURE = [[(20.0 + 6 * i, 60.0 + (-1) ** i * 25) for i in range(30)]]


def to_identify(rig, code=CERT):
    j = rig.j
    j.wake()
    j.open_catalog()
    j.choose_item(code)
    j.start_item()
    assert j.step == Step.IDENTIFY


def read_card(rig, who="graduate"):
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES[who])
    rig.run()


def to_form(rig, code=CERT):
    to_identify(rig, code)
    read_card(rig)
    assert rig.j.step == Step.FORM


def to_materials(rig):
    to_form(rig)
    rig.j.set_field("phone", "13800138000")
    rig.j.set_field("purpose", "employment")
    assert rig.j.submit_form() == []
    assert rig.j.step == Step.MATERIALS


def a_page() -> np.ndarray:
    """A white A4 sheet with text lines on a dark desk, as the camera would give it."""
    import cv2

    img = np.full((1080, 1440, 3), 40, np.uint8)
    cv2.rectangle(img, (420, 90), (1020, 940), (245, 245, 245), -1)
    for row in range(12):
        cv2.putText(img, "Test page line %d" % row, (460, 160 + 60 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                    (30, 30, 30), 2)
    return img


def to_sign(rig):
    to_materials(rig)
    rig.j.capture_page()
    rig.camera.pending[-1].set_result(a_page())
    rig.run()
    while rig.j.step == Step.MATERIALS:
        rig.j.material_done()
    assert rig.j.step == Step.SIGN


def to_review(rig):
    to_sign(rig)
    rig.j.sign(SIGNATURE, 300, 100)
    if rig.j.step == Step.DELIVERY:
        rig.j.choose_delivery("pickup")
        rig.j.delivery_done()
    assert rig.j.step == Step.REVIEW


def to_payment(rig):
    to_form(rig, FEE)
    j = rig.j
    j.set_field("phone", "13800138000")
    j.set_field("declaration", "true")
    assert j.submit_form() == []
    while j.step == Step.MATERIALS:
        j.capture_page()
        rig.camera.pending[-1].set_result(a_page())
        rig.run()
        j.material_done()
    j.sign(SIGNATURE, 300, 100)
    if j.step == Step.DELIVERY:
        j.choose_delivery("pickup")
        j.delivery_done()
    assert j.step == Step.REVIEW and rig.services.payments.orders == []  # nothing charged before the review
    j.confirm()
    assert j.step == Step.PAYMENT and j.busy
