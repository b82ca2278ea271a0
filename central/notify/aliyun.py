"""Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25) ``SendSms`` over its documented RPC API, signature V1
(HMAC-SHA1), without the vendor's SDK: the request is a handful of parameters and one HMAC.

The signature, as the provider documents it ("Signature mechanism", RPC style:
https://help.aliyun.com/en/document_detail/145075.html, and the worked example with AccessKey ``testid`` /
``testsecret`` and ``DescribeRegions``: https://developer.aliyun.com/ask/210168):

    CanonicalizedQueryString = the parameters but Signature, sorted by name, each name=value percent-encoded
                               (RFC 3986: A-Z a-z 0-9 - _ . ~ kept, space as %20, * as %2A), joined with &
    StringToSign = HTTPMethod & percentEncode("/") & percentEncode(CanonicalizedQueryString)
    Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

``tests/unit/notify/test_aliyun.py`` checks ``signature`` against the documented example values.

The answer is JSON ``{"Code": "OK", "Message": "OK", "BizId": ..., "RequestId": ...}``; any other Code is
an error: flow control (``isv.BUSINESS_LIMIT_CONTROL``, ``isv.DAY_LIMIT_CONTROL``, ``Throttling*``) and the
provider's own faults are retried later, the rest (a malformed number, an unapproved template) fail for good.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import tomllib
import uuid
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import requests

from kiosk.platform.schema import ErrorCode

from .gateway import GatewayError, Message, later, refused

API_VERSION = "2017-05-25"
RETRY_CODES = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling", "ServiceUnavailable",
               "InternalError", "isp.SYSTEM_ERROR", "isp.RAM_PERMISSION_DENY_TEMP")


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(secret: str, method: str, params: dict[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def load_credentials(path: Path | None, environ: dict[str, str] | None = None) -> tuple[str, str]:
    """(AccessKey id, secret) from the credentials file (TOML) or the environment; never the command line."""
    env = os.environ if environ is None else environ
    if path is not None:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        key_id, secret = str(data.get("access_key_id", "")), str(data.get("access_key_secret", ""))
    else:
        key_id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
        secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
    if not key_id or not secret:
        raise GatewayError(ErrorCode.SMS_CONFIG, "no Alibaba Cloud AccessKey (sms_credentials_file or "
                           "$ALIBABA_CLOUD_ACCESS_KEY_ID / $ALIBABA_CLOUD_ACCESS_KEY_SECRET)", retry=False)
    return key_id, secret


class AliyunSmsGateway:
    name = "aliyun"

    def __init__(self, key_id: str, secret: str, sign_name: str, templates: dict[str, str], *,
                 endpoint: str = "https://dysmsapi.aliyuncs.com/", timeout_s: float = 10.0,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 nonce: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self.key_id, self._secret, self.sign_name, self.templates = key_id, secret, sign_name, templates
        self.endpoint, self.timeout_s, self.clock, self.nonce = endpoint, timeout_s, clock, nonce

    def params(self, message: Message) -> dict[str, str]:
        code = self.templates.get(f"{message.event}.{message.lang}") or self.templates.get(message.event)
        if not code or not self.sign_name:
            raise GatewayError(ErrorCode.SMS_CONFIG, f"no approved template code for {message.event}.{message.lang} "
                               "or no sign name (sms_aliyun_templates, sms_aliyun_sign_name)", retry=False)
        return {"AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
                "PhoneNumbers": message.phone, "SignName": self.sign_name, "TemplateCode": code,
                "TemplateParam": json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
                "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": self.nonce(),
                "Timestamp": self.clock().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Version": API_VERSION}

    def send(self, message: Message) -> str:
        params = self.params(message)
        params["Signature"] = signature(self._secret, "POST", params)
        try:
            r = requests.post(self.endpoint, data=params, timeout=self.timeout_s,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        except requests.RequestException as exc:
            raise later(f"Alibaba Cloud SMS unreachable: {type(exc).__name__}") from None
        try:
            body = r.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        code = str(body.get("Code", ""))
        if r.status_code == 200 and code == "OK":
            return str(body.get("BizId", ""))
        what = f"Alibaba Cloud SMS HTTP {r.status_code} {code or '-'}: {str(body.get('Message', ''))[:100]}"
        if r.status_code >= 500 or code.startswith(RETRY_CODES):
            raise later(what)
        raise refused(what)


def from_config(config) -> AliyunSmsGateway:  # type: ignore[no-untyped-def]
    key_id, secret = load_credentials(config.sms_credentials_file)
    return AliyunSmsGateway(key_id, secret, config.sms_aliyun_sign_name, dict(config.sms_aliyun_templates),
                            endpoint=config.sms_aliyun_endpoint, timeout_s=config.sms_timeout_s)
