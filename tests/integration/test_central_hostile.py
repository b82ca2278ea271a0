"""A hostile network against a running `kiosk central` (a real server process on 127.0.0.1).

Each test is an attack from issue 16 (weaknesses 2, 8, 9, 10): stalled and half-sent requests, huge unsigned
bodies, odd bytes in every auth header, deep JSON, lone surrogates, the simulated payer outside demo mode,
signature scheme 1 inside and outside its window, and a captured request replayed with another
Upload-Offset or Idempotency-Key.
"""
from __future__ import annotations

import hashlib
import json
import socket

import pytest
import requests

from kiosk.platform.schema import IDEMPOTENCY_HEADER, H_SIGNATURE
from tests.helpers.central_process import (ADMIN_TOKEN, CentralProcess, raw_request, read_until_closed,
                                           signed_headers)

HEARTBEAT = "/api/v1/kiosks/heartbeat"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    # scheme 1's window named here: the default one ends on 2027-06-30, and the test of its inside with it
    c = CentralProcess(tmp_path_factory.mktemp("central"), "--header-timeout", "1.5", "--body-timeout", "1.5",
                       "--signature-v1-until", "2099-12-31")
    yield c
    c.stop()


def _heartbeat_body() -> bytes:
    return json.dumps({"at": "2026-12-05T12:00:00+08:00", "devices": []}).encode()


def test_half_sent_headers_are_closed_by_the_server_within_its_header_timeout(central):
    conns = []
    for _ in range(100):
        s = socket.create_connection(("127.0.0.1", central.port), timeout=8)
        s.sendall(b"POST " + HEARTBEAT.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Kiosk-Id: K")  # and never more
        conns.append(s)
    try:
        closed = 0
        for s in conns:  # each recv returns when the server closes (b"" / 408), or raises after 8 s
            read_until_closed(s)
            closed += 1
        assert closed == 100
    finally:
        for s in conns:
            s.close()


def test_a_huge_unsigned_body_is_refused_before_any_byte_of_it_is_read(central):
    with socket.create_connection(("127.0.0.1", central.port), timeout=5) as s:
        s.sendall(b"POST " + HEARTBEAT.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 60000000\r\n\r\n")  # the headers only: the body is never sent
        answer = read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 401") and b'"code":4010' in answer.replace(b" ", b"")


def test_a_body_larger_than_the_cap_is_refused_even_when_signed(central):
    h = signed_headers("PUT", "/api/v1/uploads/UPX", b"", extra={"Upload-Offset": "0"})
    head = "".join(f"{k}: {v}\r\n" for k, v in h.items()).encode()
    with socket.create_connection(("127.0.0.1", central.port), timeout=5) as s:
        s.sendall(b"PUT /api/v1/uploads/UPX HTTP/1.1\r\nHost: x\r\n" + head + b"Content-Length: 999999999\r\n\r\n")
        answer = read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_stalled_signed_body_is_cut_off_after_the_body_deadline(central):
    body = _heartbeat_body()
    h = signed_headers("POST", HEARTBEAT, body, extra={})
    head = "".join(f"{k}: {v}\r\n" for k, v in h.items()).encode()
    with socket.create_connection(("127.0.0.1", central.port), timeout=8) as s:
        s.sendall(b"POST " + HEARTBEAT.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:5])  # then silence
        answer = read_until_closed(s)
    # cut off: closed, or refused with 408 (our body deadline) / 400 (the server's read timeout came first)
    assert answer == b"" or answer.startswith((b"HTTP/1.1 408", b"HTTP/1.1 400"))


def test_stalled_anonymous_uploads_do_not_pin_the_platforms_memory(central):
    before = central.rss_kib()
    conns = []
    for _ in range(8):
        s = socket.create_connection(("127.0.0.1", central.port), timeout=5)
        s.sendall(b"POST " + HEARTBEAT.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 60000000\r\n\r\n")
        try:
            s.sendall(b"x" * (16 * 1024 * 1024))  # 16 MiB of a 60 MB body, then stall
        except OSError:
            pass  # refused and closed before the body: what we want
        conns.append(s)
    try:
        grown_mib = (central.rss_kib() - before) / 1024
        assert grown_mib < 40, f"8 stalled anonymous bodies pinned {grown_mib:.0f} MiB"
    finally:
        for s in conns:
            s.close()


@pytest.mark.parametrize("header", ["X-Kiosk-Id", "X-Timestamp", "X-Nonce", "X-Content-SHA256", "X-Signature",
                                    "X-Signature-Version"])
def test_an_odd_byte_in_any_signature_header_is_a_401_not_a_500(central, header):
    h = signed_headers("POST", HEARTBEAT, _heartbeat_body())
    h[header] = h.get(header, "2")[:-1]
    raw = [(k.encode(), v.encode()) for k, v in h.items()]
    raw = [(k, v + b"\xff\xfe" if k.decode() == header else v) for k, v in raw]
    raw.append((b"Content-Type", b"application/json"))
    status, _ = raw_request(central.port, "POST", HEARTBEAT, raw, _heartbeat_body())
    assert status == 401
    assert "Traceback" not in central.log_text()


@pytest.mark.parametrize("token", [b"\xff" * 20, ADMIN_TOKEN.encode()[:-1] + b"\xe9", b"\x00" * 3])
def test_an_odd_byte_in_the_admin_token_is_a_401_not_a_500(central, token):
    status, _ = raw_request(central.port, "GET", "/api/v1/admin/reviews", [(b"Authorization", b"Bearer " + token)])
    assert status in (400, 401)  # 400: the HTTP parser refuses a NUL in a header before the app sees it
    assert "Traceback" not in central.log_text()


def test_heartbeat_json_nested_100000_deep_is_refused_with_422(central):
    body = b'{"at": "2026-12-05T12:00:00+08:00", "devices":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = requests.post(central.url + HEARTBEAT, data=body, timeout=10,
                      headers={**signed_headers("POST", HEARTBEAT, body), "Content-Type": "application/json"})
    assert r.status_code == 422 and "deeper" in r.json()["message"]


def test_a_manifest_nested_100000_deep_is_refused_with_422(central):
    manifest = '{"application_id":' + "[" * 100_000 + "]" * 100_000 + "}"
    req = requests.Request("POST", central.url + "/api/v1/applications",
                           files=[("manifest", (None, manifest.encode(), "application/json"))]).prepare()
    body = req.body
    h = signed_headers("POST", "/api/v1/applications", body, extra={IDEMPOTENCY_HEADER: "APP-DEEP-0001"})
    req.headers.update(h)
    r = requests.Session().send(req, timeout=10)
    assert r.status_code in (413, 422), r.text[:200]
    assert "Traceback" not in central.log_text()


def test_a_lone_surrogate_in_heartbeat_json_is_a_4xx_not_a_500(central):
    body = (b'{"at": "2026-12-05T12:00:00+08:00", "devices": [{"name": "printer", "kind": "printer", '
            b'"state": "ok", "error_text": "\\ud800"}]}')
    r = requests.post(central.url + HEARTBEAT, data=body, timeout=5,
                      headers={**signed_headers("POST", HEARTBEAT, body), "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    assert "Traceback" not in central.log_text()


def test_a_refused_request_is_logged_in_one_line_without_a_traceback(central):
    h = signed_headers("POST", HEARTBEAT, b"{}")
    raw = [(k.encode(), v.encode() + (b"\xff" if k == H_SIGNATURE else b"")) for k, v in h.items()]
    raw_request(central.port, "POST", HEARTBEAT, raw, b"{}")
    lines = [ln for ln in central.log_text().splitlines() if "refused POST /api/v1/kiosks/heartbeat" in ln]
    assert lines and "Traceback" not in central.log_text()


def _order(central) -> dict:
    body = json.dumps({"application_id": "APP-PAY-" + hashlib.sha1(central.url.encode()).hexdigest()[:8],
                       "item_code": "960000002000", "form": {"account_no": "20012345"}}).encode()
    r = requests.post(central.url + "/api/v1/payments", data=body, timeout=5,
                      headers={**signed_headers("POST", "/api/v1/payments", body), "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()


def test_outside_demo_mode_there_is_no_payer_and_the_qr_pays_nothing(central):
    order = _order(central)
    qr = order["qr_payload"]
    assert "/sim/" not in qr and "token" not in qr
    assert requests.post(qr, timeout=5).status_code in (404, 405)
    path = f"/api/v1/sim/payer/{order['order_id']}"
    signed = requests.post(central.url + path, timeout=5, headers=signed_headers("POST", path))
    assert signed.status_code == 404  # not mounted at all
    get = f"/api/v1/payments/{order['order_id']}"
    assert requests.get(central.url + get, headers=signed_headers("GET", get), timeout=5).json()["status"] == "pending"


def test_in_demo_mode_only_the_kiosk_that_owns_the_order_can_play_the_payer(tmp_path):
    demo = CentralProcess(tmp_path / "demo", "--demo")
    try:
        order = _order(demo)
        path = f"/api/v1/sim/payer/{order['order_id']}"
        assert requests.post(demo.url + path, timeout=5).status_code == 401  # anonymous: refused
        assert requests.post(order["qr_payload"], timeout=5).status_code in (404, 405)  # the QR pays nothing
        paid = requests.post(demo.url + path, timeout=5, headers=signed_headers("POST", path))
        assert paid.status_code == 200 and paid.json()["status"] == "paid"
    finally:
        demo.stop()


def test_signature_scheme_1_is_accepted_inside_its_transition_window(central):
    r = requests.get(central.url + "/api/v1/catalog", headers=signed_headers("GET", "/api/v1/catalog", version=1),
                     timeout=5)
    assert r.status_code == 200


def test_signature_scheme_1_is_refused_after_its_transition_window(tmp_path):
    ended = CentralProcess(tmp_path / "v1", "--signature-v1-until", "2020-01-01")
    try:
        old = requests.get(ended.url + "/api/v1/catalog", timeout=5,
                           headers=signed_headers("GET", "/api/v1/catalog", version=1))
        assert old.status_code == 401 and old.json()["code"] == 4030
        new = requests.get(ended.url + "/api/v1/catalog", timeout=5, headers=signed_headers("GET", "/api/v1/catalog"))
        assert new.status_code == 200
    finally:
        ended.stop()


def _upload(central, data: bytes) -> str:
    body = json.dumps({"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "name": "x"}).encode()
    r = requests.post(central.url + "/api/v1/uploads", data=body, timeout=5,
                      headers={**signed_headers("POST", "/api/v1/uploads", body), "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()["upload_id"]


def test_a_captured_chunk_replayed_with_another_upload_offset_is_refused(central):
    upload_id = _upload(central, b"A" * 100)
    path = f"/api/v1/uploads/{upload_id}"
    chunk = b"A" * 50
    captured = signed_headers("PUT", path, chunk, extra={"Upload-Offset": "50"})  # never delivered as signed
    tampered = dict(captured, **{"Upload-Offset": "0", "Content-Type": "application/octet-stream"})
    r = requests.put(central.url + path, data=chunk, headers=tampered, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == 4012


def test_a_captured_submission_replayed_with_another_idempotency_key_is_refused(central):
    req = requests.Request("POST", central.url + "/api/v1/applications",
                           files=[("manifest", (None, b"{}", "application/json"))]).prepare()
    captured = signed_headers("POST", "/api/v1/applications", req.body, extra={IDEMPOTENCY_HEADER: "APP-ORIGINAL-01"})
    req.headers.update(dict(captured, **{IDEMPOTENCY_HEADER: "APP-ATTACKER-01"}))
    r = requests.Session().send(req, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == 4012
