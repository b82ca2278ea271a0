"""The Alibaba Cloud SMS adapter: its signer against the provider's documented example, and SendSms against a
fake endpoint that checks the signature as the documented protocol says and answers in its format."""
from __future__ import annotations

import datetime as dt

import pytest

from central.notify.aliyun import AliyunSmsGateway, load_credentials, signature, string_to_sign
from central.notify.gateway import GatewayError, Message
from tests.helpers.fake_aliyun import FakeAliyunSms

# The provider's worked example (https://developer.aliyun.com/ask/210168, the "Signature mechanism" page
# https://help.aliyun.com/en/document_detail/145075.html): AccessKey testid / testsecret, DescribeRegions.
DOC_PARAMS = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
              "TimeStamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
# As the page prints it, but for the separators between parameters, which the protocol percent-encodes
# (%26) and the page shows as "&" (the documented signature below is only reproduced with %26).
DOC_STRING_TO_SIGN = ("GET&%2F&AccessKeyId%3Dtestid&Action%3DDescribeRegions&Format%3DXML&SignatureMethod%3DHMAC-SHA1"
                      "&SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion%3D1.0"
                      "&TimeStamp%3D2016-02-23T12%253A46%253A24Z&Version%3D2014-05-26")
DOC_STRING_TO_SIGN = "GET&%2F&" + DOC_STRING_TO_SIGN[len("GET&%2F&"):].replace("&", "%26")
KEY_ID, SECRET = "LTAI-test-key", "test-secret-not-real"
MSG = Message(phone="13912345678", event="approved", lang="zh_CN", text="…",
              params={"ref": "SZ20260101000001", "link": "https://zw.example/t/ABC"})
TEMPLATES = {"approved.zh_CN": "SMS_100000001", "approved.en_US": "SMS_100000002"}


def test_the_signer_reproduces_the_documented_example():
    assert string_to_sign("GET", DOC_PARAMS) == DOC_STRING_TO_SIGN
    assert signature("testsecret", "GET", DOC_PARAMS) == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_the_signer_encodes_as_the_protocol_says_space_star_and_tilde():
    s = string_to_sign("POST", {"A": "a b*c~d", "TemplateParam": '{"ref":"中"}'})
    assert "a%2520b%252Ac~d" in s and "%257B%2522ref%2522%253A%2522%25E4%25B8%25AD%2522%257D" in s


def gateway(fake: FakeAliyunSms, secret: str = SECRET) -> AliyunSmsGateway:
    return AliyunSmsGateway(KEY_ID, secret, "政务服务", TEMPLATES, endpoint=fake.url, timeout_s=5,
                            clock=lambda: dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))


def test_send_sms_is_accepted_by_a_server_that_checks_the_documented_signature():
    with FakeAliyunSms(KEY_ID, SECRET) as fake:
        biz_id = gateway(fake).send(MSG)
    assert biz_id.endswith("^0")
    sent = fake.requests[0]
    assert sent["PhoneNumbers"] == "13912345678" and sent["TemplateCode"] == "SMS_100000001"
    assert sent["SignName"] == "政务服务" and sent["Timestamp"] == "2026-01-02T03:04:05Z"
    assert sent["TemplateParam"] == '{"ref":"SZ20260101000001","link":"https://zw.example/t/ABC"}'


def test_flow_control_is_a_retry_and_a_wrong_secret_is_a_refusal():
    with FakeAliyunSms(KEY_ID, SECRET) as fake:
        fake.fail_next("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        with pytest.raises(GatewayError) as limited:
            gateway(fake).send(MSG)
        with pytest.raises(GatewayError) as bad:
            gateway(fake, secret="wrong-secret").send(MSG)
        fake.fail_next("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        with pytest.raises(GatewayError) as illegal:
            gateway(fake).send(MSG)
    assert limited.value.retry and limited.value.code == 4185 and "BUSINESS_LIMIT_CONTROL" in str(limited.value)
    assert not bad.value.retry and bad.value.code == 4186 and "SignatureDoesNotMatch" in str(bad.value)
    assert not illegal.value.retry


def test_an_unreachable_provider_is_a_retry_and_a_missing_template_is_a_configuration_error():
    g = AliyunSmsGateway(KEY_ID, SECRET, "政务服务", TEMPLATES, endpoint="http://127.0.0.1:9/", timeout_s=1)
    with pytest.raises(GatewayError) as down:
        g.send(MSG)
    assert down.value.retry
    with pytest.raises(GatewayError) as missing:
        g.send(Message(phone="13912345678", event="rejected", lang="zh_CN", text="", params={}))
    assert missing.value.code == 4187 and not missing.value.retry


def test_credentials_come_from_a_file_or_the_environment(tmp_path):
    f = tmp_path / "aliyun.toml"
    f.write_text('access_key_id = "LTAI-file"\naccess_key_secret = "from-file"\n', encoding="utf-8")
    assert load_credentials(f) == ("LTAI-file", "from-file")
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "from-env"}
    assert load_credentials(None, env) == ("LTAI-env", "from-env")
    with pytest.raises(GatewayError) as none:
        load_credentials(None, {})
    assert none.value.code == 4187


def test_the_notifier_retries_flow_control_and_then_sends_through_the_provider(tmp_path):
    from central.config import PlatformConfig
    from central.notify.dispatch import Notifier
    from central.store import SqliteStore
    from tests.helpers.fakes import FakeClock

    clock = FakeClock(1_767_000_000.0)
    config = PlatformConfig(data_dir=tmp_path, sms_gateway="aliyun", sms_worker=False, clock=clock)
    store = SqliteStore(tmp_path)
    try:
        with FakeAliyunSms(KEY_ID, SECRET) as fake:
            notifier = Notifier(store, config, gateway=lambda c: gateway(fake))
            store.add_sms({"reference": "SZ20260101000001", "event": "approved", "event_at": "t", "created_at": "t",
                           "state": "queued", "phone": MSG.phone, "phone_masked": "139****5678", "lang": "zh_CN",
                           "template": "approved", "params": '{"ref": "SZ20260101000001", "link": "L"}',
                           "text": "…", "next_at": clock()})
            fake.fail_next("isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5")
            assert notifier.run_due() == 1
            (msg,) = store.sms_messages()
            assert msg["state"] == "queued" and msg["attempts"] == 1 and msg["next_at"] == clock() + 30
            assert "BUSINESS_LIMIT_CONTROL" in msg["last_error"] and msg["phone"] == MSG.phone
            clock.advance(30)
            assert notifier.run_due() == 1
        (msg,) = store.sms_messages()
        assert msg["state"] == "sent" and msg["attempts"] == 2 and msg["provider_id"].endswith("^0")
        assert msg["phone"] == "" and msg["gateway"] == "aliyun" and len(fake.requests) == 2
    finally:
        store.close()
