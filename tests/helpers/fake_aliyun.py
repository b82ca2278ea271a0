"""A fake Alibaba Cloud SMS endpoint on loopback that checks requests as the provider documents them.

It verifies the RPC signature V1 itself (its own percent-encoding and HMAC, not the adapter's code), the
common parameters (Action=SendSms, Version=2017-05-25, SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, a
UTC Timestamp, a fresh SignatureNonce) and answers in the documented format: ``{"Code": "OK", "BizId", ...}``,
or the error answer queued in ``errors`` (e.g. isv.BUSINESS_LIMIT_CONTROL), or SignatureDoesNotMatch (HTTP 400).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def _enc(v: str) -> str:  # RFC 3986: A-Z a-z 0-9 - _ . ~ kept, the rest %XX (space %20, * %2A)
    return "".join(c if re.match(r"[A-Za-z0-9_.~-]", c) else "".join(f"%{b:02X}" for b in c.encode()) for c in v)


def expected_signature(secret: str, method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
    to_sign = f"{method}&{_enc('/')}&{_enc(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        srv = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        params = dict(parse_qsl(body, keep_blank_values=True))
        srv.requests.append(params)  # type: ignore[attr-defined]
        status, answer = 200, {"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
        nonce = params.get("SignatureNonce", "")
        if (params.get("AccessKeyId") != srv.key_id  # type: ignore[attr-defined]
                or params.get("Signature") != expected_signature(srv.secret, "POST", params)):  # type: ignore[attr-defined]
            status, answer = 400, dict(answer, Code="SignatureDoesNotMatch",
                                       Message="Specified signature is not matched with our calculation.")
        elif not (params.get("Action") == "SendSms" and params.get("Version") == "2017-05-25"
                  and params.get("SignatureMethod") == "HMAC-SHA1" and params.get("SignatureVersion") == "1.0"
                  and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", params.get("Timestamp", ""))
                  and nonce and nonce not in srv.nonces):  # type: ignore[attr-defined]
            status, answer = 400, dict(answer, Code="MissingParameter", Message="common parameters")
        elif srv.errors:  # type: ignore[attr-defined]
            answer = dict(answer, **srv.errors.pop(0))  # type: ignore[attr-defined]
        else:
            answer = dict(answer, Code="OK", Message="OK", BizId=f"9006197469364984{len(srv.requests):02d}^0")  # type: ignore[attr-defined]
        srv.nonces.add(nonce)  # type: ignore[attr-defined]
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


class FakeAliyunSms:
    def __init__(self, key_id: str, secret: str) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.key_id, self.server.secret = key_id, secret  # type: ignore[attr-defined]
        self.server.requests, self.server.errors, self.server.nonces = [], [], set()  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[dict[str, str]]:
        return self.server.requests  # type: ignore[attr-defined]

    def fail_next(self, code: str, message: str) -> None:
        self.server.errors.append({"Code": code, "Message": message})  # type: ignore[attr-defined]

    def __enter__(self) -> "FakeAliyunSms":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
