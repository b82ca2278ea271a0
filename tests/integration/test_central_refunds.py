"""Issue 15, item 1 (platform side): money is never kept without an application.

Closing an order cancels it when unpaid and refunds it when paid without an application; a payment that lands
after the order was closed is refunded at once; the reconciliation report lists the refunds. The refund
endpoint is attacked too: unsigned, another kiosk's order, odd bytes in the order id.
"""
from __future__ import annotations

import uuid

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import PaymentInfo
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRET = "test-secret-0123456789"
OTHER_SECRET = "other-secret-0123456789"
FEE_ITEM = "910000004000"  # ￥10
PDF = b"%PDF-1.4 material"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog",
                         kiosks={"K-TEST": SECRET, "K-OTHER": OTHER_SECRET}, db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


@pytest.fixture
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


def _order(client):
    return client.create_payment(str(uuid.uuid4()), FEE_ITEM, {})


def test_closing_an_unpaid_order_cancels_it_and_a_payment_landing_afterwards_is_refunded(client, admin):
    order = _order(client)
    assert client.cancel_payment(order.order_id).status == "cancelled"
    late = client.simulate_payment(order.qr_payload)  # the citizen's phone pays after the kiosk gave up
    assert late.status == "refunded" and late.transaction_id and late.refunded_at
    assert client.payment(order.order_id).status == "refunded"
    report = admin.reconciliation(late.refunded_at[:10])
    assert order.order_id in report.refunded_orders and report.refunded_total_fen >= order.amount_fen
    assert order.order_id not in report.unmatched_orders + report.matched


def test_a_paid_order_without_an_application_is_refunded_when_closed_or_asked(client, admin):
    for close in (client.cancel_payment, client.refund_payment):
        order = _order(client)
        assert client.simulate_payment(order.qr_payload).status == "paid"
        refunded = close(order.order_id)
        assert refunded.status == "refunded" and refunded.refunded_at
        assert close(order.order_id).status == "refunded"  # asking again changes nothing
        assert order.order_id in admin.reconciliation(refunded.refunded_at[:10]).refunded_orders


def test_a_paid_order_an_application_claimed_is_not_refunded_by_the_kiosk(client):
    order = _order(client)
    client.simulate_payment(order.qr_payload)
    m, files = complete(FEE_ITEM, app_id=order.application_id,  # a whole application: the platform checks it
                        payment=PaymentInfo(order_id=order.order_id, amount_fen=order.amount_fen, status="paid"))
    client.submit(m, files)
    with pytest.raises(PlatformError) as exc:
        client.refund_payment(order.order_id)
    assert exc.value.status == 409 and client.payment(order.order_id).status == "paid"


def test_the_refund_endpoint_refuses_no_signature_another_kiosks_order_and_odd_bytes(platform, client):
    order = _order(client)
    client.simulate_payment(order.qr_payload)
    url = f"{platform.url}/api/v1/payments/{order.order_id}/refund"
    assert requests.post(url, timeout=5).status_code == 401
    other = PlatformClient(platform.url, kiosk_id="K-OTHER", secret=OTHER_SECRET, timeout_s=5, sleep=lambda s: None)
    try:
        with pytest.raises(PlatformError) as exc:
            other.refund_payment(order.order_id)
        assert exc.value.status == 404  # another kiosk's order does not exist for it
        for odd in ("PO%00%FF", "..%2F..%2Fadmin", "x" * 300, "PO\u200b1"):
            with pytest.raises(PlatformError) as exc:
                other.refund_payment(odd)
            assert exc.value.status in (404, 422)
    finally:
        other.close()
    assert client.payment(order.order_id).status == "paid"  # nothing the attacks did moved the money
