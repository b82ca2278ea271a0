"""The platform checks an express delivery's address structure (issue 15, Deliver 8): a complete region of
config/regions.toml by its code and a detail line. Missing, unknown or incomplete regions are refused with
422 and code 4160 (recipient/phone/detail: 4161), never stored; a good one is accepted and a waybill made."""
from __future__ import annotations

import pytest

from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.error_codes import ErrorCode
from kiosk.platform.schema import DeliveryInfo
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRET = "test-secret-0123456789"
GRADUATE_INTAKE = "920000001000"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog", kiosks={"K-TEST": SECRET},
                         db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


def express(region: str, address: str = "粤海街道示例路88号", **kw) -> DeliveryInfo:
    return DeliveryInfo(method="express", recipient=kw.get("recipient", "李小明"), phone=kw.get("phone", "13800138000"),
                        region=region, address=address)


@pytest.mark.parametrize("region", ["", "999999", "440300", "广东省深圳市南山区"],
                         ids=["missing", "unknown", "city-without-district", "text-not-a-code"])
def test_an_express_delivery_without_a_complete_known_region_is_refused_4160(client, platform, region):
    m, files = complete(GRADUATE_INTAKE, delivery=express(region))
    before = platform.store.count()
    with pytest.raises(PlatformError) as exc:
        client.submit(m, files)
    assert exc.value.status == 422 and exc.value.code == ErrorCode.DELIVERY_REGION == 4160
    assert platform.store.count() == before


def test_an_express_delivery_without_a_street_line_is_refused_4161(client, platform):
    m, files = complete(GRADUATE_INTAKE, delivery=express("440305", address=""))
    with pytest.raises(PlatformError) as exc:
        client.submit(m, files)
    assert exc.value.status == 422 and exc.value.code == ErrorCode.DELIVERY_ADDRESS == 4161


@pytest.mark.parametrize("region", ["440305", "441900", "110000"], ids=["shenzhen-district", "dongguan", "beijing"])
def test_a_complete_region_and_a_street_line_are_accepted(client, region):
    m, files = complete(GRADUATE_INTAKE, delivery=express(region))
    assert client.submit(m, files).reference


def test_a_pickup_needs_no_address(client):
    m, files = complete(GRADUATE_INTAKE, delivery=DeliveryInfo(method="pickup"))
    assert client.submit(m, files).reference
