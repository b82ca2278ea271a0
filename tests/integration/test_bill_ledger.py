"""The biller's ledger at the reference platform (issue 15, item 2): a bill is settled when its payment lands,
a settled bill refuses a second order before any QR code exists, and the ledger's endpoints hold against a
request without a signature, another kiosk's order and odd bytes."""
from __future__ import annotations

import uuid

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.settings import CONFIG_DIR

SECRET = "bill-secret-0123456789"
OTHER = "bill-other-0123456789"
POWER = "960000001000"
WATER = "960000002000"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("bills"), CONFIG_DIR / "catalog",
                         kiosks={"K-BILL": SECRET, "K-OTHER": OTHER}, db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-BILL", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


@pytest.fixture
def other(platform):
    c = PlatformClient(platform.url, kiosk_id="K-OTHER", secret=OTHER, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


def test_a_bill_is_open_until_its_payment_lands_then_paid_with_that_transaction(client):
    bill = client.lookup_bill(POWER, "0100200301")
    assert bill.status == "open" and bill.transaction_id is None
    order = client.create_payment(str(uuid.uuid4()), POWER, {"account_no": "0100200301"}, bill.amount_fen)
    assert client.lookup_bill(POWER, "0100200301").status == "open"  # an order is not a payment
    paid = client.simulate_payment(order.qr_payload)
    settled = client.lookup_bill(POWER, "0100200301")
    assert settled.status == "paid" and settled.transaction_id == paid.transaction_id and settled.paid_at
    assert settled.amount_fen == bill.amount_fen and settled.period == bill.period


def test_a_settled_bill_refuses_a_second_order_from_any_kiosk(client, other):
    order = client.create_payment(str(uuid.uuid4()), WATER, {"account_no": "20087654"})
    client.simulate_payment(order.qr_payload)
    for c in (client, other):
        with pytest.raises(PlatformError) as exc:
            c.create_payment(str(uuid.uuid4()), WATER, {"account_no": "20087654"})
        assert exc.value.status == 409 and exc.value.code == 4070
    # the kiosk that paid it, asking again for its own application, gets its paid order back
    assert client.create_payment(order.application_id, WATER, {"account_no": "20087654"}).status == "paid"


def test_a_new_order_for_an_open_bill_cancels_the_older_unpaid_one(client, other):
    first = client.create_payment(str(uuid.uuid4()), WATER, {"account_no": "20011223"})
    second = other.create_payment(str(uuid.uuid4()), WATER, {"account_no": "20011223"})
    assert client.payment(first.order_id).status == "cancelled"  # never two payable codes for one bill
    late = client.simulate_payment(first.qr_payload)  # the old code paid anyway, after it was closed
    assert late.status == "refunded"  # the money goes straight back; the bill is not settled by it
    assert client.lookup_bill(WATER, "20011223").status == "open"
    other.simulate_payment(second.qr_payload)
    assert client.lookup_bill(WATER, "20011223").status == "paid"


def test_another_kiosk_cannot_see_or_pay_an_order_of_a_bill(client, other):
    order = client.create_payment(str(uuid.uuid4()), POWER, {"account_no": "0100999888"})
    with pytest.raises(PlatformError) as exc:
        other.payment(order.order_id)
    assert exc.value.status == 404
    with pytest.raises(PlatformError) as exc:
        other.simulate_payment(order.qr_payload)
    assert exc.value.status == 404
    assert client.lookup_bill(POWER, "0100999888").status == "open"


def test_the_bill_lookup_refuses_no_signature_odd_bytes_and_a_bad_account(platform, client):
    url = f"{platform.url}/api/v1/bills/lookup"
    unsigned = requests.post(url, json={"item_code": POWER, "account_no": "0100200301"}, timeout=5)
    assert unsigned.status_code == 401 and "amount_fen" not in unsigned.text
    odd = requests.post(url, data=b"\xff\xfe{\x00", headers={"Content-Type": "application/json"}, timeout=5)
    assert odd.status_code in (400, 401, 422)
    for account in ("01002003'; --", "0" * 40, "１２３４５６７８９０"):
        with pytest.raises((PlatformError, ValueError)):
            client.lookup_bill(POWER, account)
    with pytest.raises(PlatformError) as exc:
        client.lookup_bill("312000218000", "0100200301")  # an application is no bill
    assert exc.value.status == 404


def test_closing_a_paid_bills_order_keeps_the_bill_settled_and_refunds_nothing(client):
    # A kiosk closes the orders it left open (its session ended, or at start after a crash): a bill's order
    # that was paid settled the bill, so the money is the biller's; it is never refunded behind the biller.
    order = client.create_payment(str(uuid.uuid4()), POWER, {"account_no": "0100200377"})
    paid = client.simulate_payment(order.qr_payload)
    for close in (client.refund_payment, client.cancel_payment):
        after = close(order.order_id)
        assert after.status == "paid" and after.transaction_id == paid.transaction_id and not after.refunded_at
    bill = client.lookup_bill(POWER, "0100200377")
    assert bill.status == "paid" and bill.transaction_id == paid.transaction_id


def test_a_bills_order_closed_before_the_phone_pays_refunds_the_late_payment_and_leaves_the_bill_open(client):
    order = client.create_payment(str(uuid.uuid4()), POWER, {"account_no": "0100200388"})
    assert client.cancel_payment(order.order_id).status == "cancelled"  # the citizen walked away
    assert client.simulate_payment(order.qr_payload).status == "refunded"  # the phone paid anyway
    assert client.lookup_bill(POWER, "0100200388").status == "open"  # still due: nothing settled it
