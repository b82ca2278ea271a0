"""Results issued by the platform and their verification, over real HTTP (issue 18, Deliver 2 and 6).

An approved case (秒批 at submission or a reviewer's decision) gets ONE signed result PDF; ``/verify`` tells a
genuine code from an unknown one and a signed file from an edited one; the kiosk fetches its own citizen's
result only; the receipt's QR opens a phone page that leaks no name, note or reason. Synthetic identities.
"""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import zxingcpp
from PIL import Image

from central.results.issue import issue
from central.server import EmbeddedPlatform
from devices.idcard.synthetic import IDENTITIES
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import Reason
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete
from tests.integration.test_central_citizens import INTAKE, Signed
from tests.integration.test_central_citizens import submit as submit_as

SECRETS = {"K-HOME": "home-secret-0123456789", "K-AWAY": "away-secret-0123456789",
           "K-THIEF": "thief-secret-0123456789", "K-BURST": "burst-secret-0123456789",
           "K-OPENER": "opener-secret-0123456789"}
GRADUATE, LATE, DISHONEST = IDENTITIES["graduate"], IDENTITIES["graduate_late"], IDENTITIES["dishonest"]
HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    import tests.integration.test_central_citizens as citizens
    assert citizens.SECRETS == SECRETS  # the hand-built requests sign with these
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog", kiosks=dict(SECRETS),
                         db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


@pytest.fixture(scope="module")
def instant(platform):
    """A 秒批 case of the graduate at K-HOME."""
    r = submit_as(platform, "K-HOME", GRADUATE)
    assert r.status == "approved"
    return r


@pytest.fixture(scope="module")
def reviewed(platform, admin):
    """A case approved by a reviewer (the late graduate goes to manual review)."""
    r = submit_as(platform, "K-HOME", LATE)
    assert r.status != "approved"
    admin.decide(r.reference, True, None, reviewer="审核员甲")
    return r


def client(platform, kiosk="K-HOME") -> PlatformClient:
    return PlatformClient(platform.url, kiosk_id=kiosk, secret=SECRETS[kiosk], timeout_s=10, sleep=lambda s: None)


def session(platform, kiosk: str, who) -> str:
    return Signed(platform.url, kiosk).open_session(who.id_number)


def fetch(platform, reference: str, who=GRADUATE, kiosk="K-HOME") -> bytes:
    c = client(platform, kiosk)
    try:
        return c.result_pdf(reference, session_id=session(platform, kiosk, who))
    finally:
        c.close()


def issued_events(platform, reference: str) -> list:
    return [e for e in platform.store.events(reference) if e["status"] == "issued"]


def verify_post(platform, data: bytes) -> requests.Response:
    return requests.post(platform.url + "/verify", data=data, headers={"Content-Type": "application/pdf"}, timeout=20)


# ----- issuing: once per approved case ------------------------------------------------------------------------
def test_instant_approval_issues_one_signed_result_with_an_issued_event(platform, instant):
    row = platform.store.result_for(instant.reference)
    assert row is not None and re.fullmatch(r"[A-Z2-7]{16}", row["code"])
    assert len(issued_events(platform, instant.reference)) == 1
    pdf = fetch(platform, instant.reference)
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == row["sha256"]
    assert b"/ETSI.CAdES.detached" in pdf  # PAdES
    assert row["holder_masked"] == "李*明" and row["id_masked"] == GRADUATE.id_number[:4] + "*" * 10 + GRADUATE.id_number[-4:]


def test_reviewer_approval_issues_the_result(platform, reviewed):
    assert platform.store.result_for(reviewed.reference) is not None
    assert len(issued_events(platform, reviewed.reference)) == 1
    assert verify_post(platform, fetch(platform, reviewed.reference, LATE)).json()["genuine"] is True


def test_a_retried_approval_issues_nothing_twice(platform, instant):
    p = platform.app.state.platform
    first = platform.store.result_for(instant.reference)
    again = issue(p, instant.reference)
    assert again == first and len(issued_events(platform, instant.reference)) == 1
    assert fetch(platform, instant.reference) == p.files.get_blob(first["sha256"])


def test_a_retried_submission_answered_approved_has_its_result(platform, monkeypatch):
    """A kiosk whose answer was lost retries; the retry is answered from the stored response (approved,
    duplicate) while the first request may still be issuing, or issuing failed then. Seen in CI under load:
    an approved answer with no result behind it. The retry's answer now has its result, issued once."""
    import central.results.issue as issuing

    def broken(*args, **kwargs):
        raise RuntimeError("the font is gone for a moment")
    monkeypatch.setattr(issuing, "make", broken)
    c = client(platform, "K-BURST")
    try:
        m, files = complete(INTAKE, "graduate", kiosk_id="K-BURST")
        first = c.submit(m, files)
        assert first.status == "approved" and not first.duplicate
        assert platform.store.result_for(first.reference) is None  # issuing failed; the approval stands
        monkeypatch.undo()
        again = c.submit(m, files)
    finally:
        c.close()
    assert again.duplicate and again.reference == first.reference and again.status == "approved"
    row = platform.store.result_for(first.reference)
    assert row is not None and len(issued_events(platform, first.reference)) == 1
    assert verify_post(platform, fetch(platform, first.reference, kiosk="K-BURST")).json()["genuine"] is True


def test_a_second_decision_on_a_reviewed_case_issues_nothing(platform, admin, reviewed):
    with pytest.raises(PlatformError):
        admin.decide(reviewed.reference, True, None, reviewer="审核员甲")
    assert len(issued_events(platform, reviewed.reference)) == 1


def test_racing_issuers_index_one_document_and_one_event(platform):
    p = platform.app.state.platform
    reference = "SZ20991231999999"
    p.store.insert({"reference": reference, "idempotency_key": "race-0000001", "manifest_sha256": "0" * 64,
                    "item_code": "920000001000", "kiosk_id": "K-HOME", "status": "approved", "decision": {},
                    "manifest": {"applicant": {"name": GRADUATE.name, "id_number": GRADUATE.id_number}},
                    "response": {}, "received_at": "2026-12-05T10:00:00+08:00"})
    with ThreadPoolExecutor(4) as pool:
        rows = list(pool.map(lambda _: issue(p, reference), range(4)))
    assert len({r["code"] for r in rows}) == 1 and len(issued_events(platform, reference)) == 1


def test_a_rejected_case_has_no_result(platform, admin):
    r = submit_as(platform, "K-HOME", DISHONEST)
    admin.decide(r.reference, False, Reason(zh="不符合条件", en="Not eligible"), reviewer="审核员乙")
    assert platform.store.result_for(r.reference) is None
    with pytest.raises(PlatformError) as err:
        fetch(platform, r.reference, DISHONEST)
    assert err.value.status == 404 and err.value.code == 4172


def test_verification_codes_are_not_sequential(platform, instant, reviewed):
    a, b = platform.store.result_for(instant.reference)["code"], platform.store.result_for(reviewed.reference)["code"]
    assert a != b and sum(x == y for x, y in zip(a, b)) < 8  # random, not a counter


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing (tools/system-deps.sh)")
def test_the_result_pdf_says_what_it_promises_and_its_qr_opens_the_verification(platform, instant, tmp_path):
    row = platform.store.result_for(instant.reference)
    pdf = tmp_path / "result.pdf"
    pdf.write_bytes(fetch(platform, instant.reference))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    for expected in ("应届毕业生", "李*明", row["id_masked"], instant.reference, row["issued_at"][:10], row["code"],
                     "数字签名", "核验"):
        assert expected in text, expected
    assert GRADUATE.name not in text and GRADUATE.id_number not in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as page:
        found = [b.text for b in zxingcpp.read_barcodes(page) if b.format.name == "QRCode"]
    assert found == [f"{platform.url}/verify/{row['code']}"]
    assert requests.get(found[0], timeout=5).json()["genuine"] is True


# ----- GET /verify/{code} -------------------------------------------------------------------------------------
def test_a_genuine_code_says_item_masked_holder_date_and_hash_only(platform, instant):
    row = platform.store.result_for(instant.reference)
    resp = requests.get(f"{platform.url}/verify/{row['code'].lower()}", timeout=5)  # typed in lower case
    body = resp.json()
    assert resp.status_code == 200 and body["genuine"] is True
    assert body["item_code"] == "920000001000" and body["holder_masked"] == "李*明"
    assert body["sha256"] == row["sha256"] and body["issued_at"] == row["issued_at"]
    assert set(body) == {"genuine", "code", "kind", "item_code", "item_name", "holder_masked", "id_masked",
                         "issued_at", "sha256"}
    assert GRADUATE.name not in resp.text and GRADUATE.id_number not in resp.text
    assert instant.reference not in resp.text  # the acceptance number is not told either


def test_a_browser_gets_the_verification_page(platform, instant):
    code = platform.store.result_for(instant.reference)["code"]
    resp = requests.get(f"{platform.url}/verify/{code}", headers=HTML, timeout=5)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert "真实有效" in resp.text and "李*明" in resp.text and 'name="viewport"' in resp.text
    assert GRADUATE.name not in resp.text


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "not-a-code", "%00%ff", "A" * 80])
def test_an_unknown_code_is_a_404_that_tells_nothing(platform, instant, code):
    resp = requests.get(f"{platform.url}/verify/{code}", timeout=5)
    assert resp.status_code in (404, 422)
    assert "genuine" not in resp.text and "李" not in resp.text and instant.reference not in resp.text
    if resp.status_code == 404:
        assert resp.json()["code"] == 4170
    page = requests.get(f"{platform.url}/verify/{code}", headers=HTML, timeout=5)
    assert page.status_code in (404, 422) and "真实有效" not in page.text


# ----- POST /verify: a file -----------------------------------------------------------------------------------
def test_the_issued_pdf_verifies_and_says_its_code(platform, instant):
    resp = verify_post(platform, fetch(platform, instant.reference))
    body = resp.json()
    assert resp.status_code == 200, resp.text
    assert body["genuine"] and body["intact"] and body["trusted"] and body["whole_file"] and body["issued"]
    assert body["code"] == platform.store.result_for(instant.reference)["code"]


def _edit_content_stream(pdf: bytes) -> bytes:
    """Change one byte in the middle of the first page's content stream, keeping every length and offset."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    page = PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    contents = page["/Contents"]
    raw = (contents[0] if isinstance(contents, list) else contents).encoded_data
    pos = pdf.index(raw) + len(raw) // 2
    return pdf[:pos] + bytes([pdf[pos] ^ 0x01]) + pdf[pos + 1:]


def test_an_edited_pdf_fails_verification(platform, instant):
    pdf = fetch(platform, instant.reference)
    edited = _edit_content_stream(pdf)
    assert len(edited) == len(pdf) and edited != pdf
    body = verify_post(platform, edited).json()
    assert body["signed"] is True and body["intact"] is False and body["genuine"] is False


def test_a_pdf_changed_by_an_update_after_signing_is_not_genuine(platform, instant):
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    w = IncrementalPdfFileWriter(io.BytesIO(fetch(platform, instant.reference)))
    w.root[NameObject("/PageLabels")] = TextStringObject("edited")  # the signed bytes stay; an update follows
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    body = verify_post(platform, out.getvalue()).json()
    assert body["intact"] is True and body["whole_file"] is False and body["genuine"] is False


def test_a_pdf_signed_by_someone_else_is_not_trusted(platform, instant, tmp_path):
    from central.results import keys
    from central.results.issue import sign_pdf
    from kiosk.documents.layout import P, build_pdf, styles
    forged = sign_pdf(build_pdf([P("伪造的证明", styles()["body"])], title="x", subject="verify:AAAAAAAAAAAAAAAA"),
                      keys.ensure(tmp_path), "forged")
    body = verify_post(platform, forged).json()
    assert body["intact"] is True and body["trusted"] is False and body["genuine"] is False


@pytest.mark.parametrize("body", [b"", b"hello", b"\x00\xff" * 100, b"%PDF-1.7\n\xff\xfe garbage %%EOF",
                                  b"%PDF-1.4\n1 0 obj <<>> endobj trailer <</Root 1 0 R>>\n%%EOF"])
def test_odd_bodies_are_refused_cleanly(platform, body):
    resp = verify_post(platform, body)
    assert resp.status_code in (200, 422), resp.text
    if resp.status_code == 422:
        assert resp.json()["code"] == 4171
    else:
        assert resp.json()["genuine"] is False


def test_a_huge_body_is_refused_before_it_is_read(platform):
    cap = platform.config.max_verify_body_bytes
    resp = verify_post(platform, b"%PDF-" + b"0" * cap)
    assert resp.status_code == 413 and resp.json()["code"] == 4130


# ----- the kiosk's result endpoint, attacked ------------------------------------------------------------------
def test_the_result_endpoint_needs_a_signature(platform, instant):
    resp = requests.get(f"{platform.url}/api/v1/applications/{instant.reference}/result", timeout=5)
    assert resp.status_code == 401 and not resp.content.startswith(b"%PDF")


def test_another_kiosk_gets_404_even_with_the_citizens_session_of_this_one(platform, instant):
    home = session(platform, "K-HOME", GRADUATE)
    resp = Signed(platform.url, "K-THIEF").call("GET", f"/applications/{instant.reference}/result", session=home)
    assert resp.status_code == 404 and not resp.content.startswith(b"%PDF")


def test_another_citizens_session_gets_404(platform, instant):
    other = session(platform, "K-HOME", DISHONEST)
    resp = Signed(platform.url, "K-HOME").call("GET", f"/applications/{instant.reference}/result", session=other)
    assert resp.status_code == 404 and resp.json()["code"] == 4040


def test_the_submitting_kiosk_without_the_card_gets_nothing(platform, instant):
    resp = Signed(platform.url, "K-HOME").call("GET", f"/applications/{instant.reference}/result")
    assert resp.status_code == 422  # the session is required
    fake = "x" * 32
    resp = Signed(platform.url, "K-HOME").call("GET", f"/applications/{instant.reference}/result", session=fake)
    assert resp.status_code == 404


def test_someone_elses_reference_with_my_session_gets_404(platform, instant, reviewed):
    mine = session(platform, "K-AWAY", LATE)
    assert fetch(platform, reviewed.reference, LATE, kiosk="K-AWAY").startswith(b"%PDF")  # at any kiosk, my card
    resp = Signed(platform.url, "K-AWAY").call("GET", f"/applications/{instant.reference}/result", session=mine)
    assert resp.status_code == 404
    resp = Signed(platform.url, "K-AWAY").call("GET", "/applications/SZ20990101000001/result", session=mine)
    assert resp.status_code == 404 and resp.json()["code"] == 4040  # unknown looks the same as not mine


# ----- Deliver 6: the receipt's QR on a phone -----------------------------------------------------------------
def test_the_tracking_page_for_a_phone_shows_status_timeline_and_verify_link(platform, instant):
    token = instant.tracking_token
    code = platform.store.result_for(instant.reference)["code"]
    page = requests.get(f"{platform.url}/t/{token}", headers=HTML, timeout=5)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert 'name="viewport"' in text and "font-size:20px" in text
    assert "已批准" in text and "Approved" in text and "结果已签发" in text and "应届毕业生" in text
    assert f"href='/verify/{code}'" in text
    assert GRADUATE.name not in text and GRADUATE.id_number not in text
    assert "秒批" not in text  # timeline notes are not shown, only statuses
    api = requests.get(f"{platform.url}/t/{token}", timeout=5)
    assert api.headers["content-type"].startswith("application/json") and api.json()["status"] == "approved"


def test_the_tracking_page_of_a_rejected_case_shows_no_reason_or_reviewer(platform, admin):
    r = submit_as(platform, "K-HOME", DISHONEST)
    admin.decide(r.reference, False, Reason(zh="信用记录不符合条件", en="Credit record"), reviewer="审核员丙")
    text = requests.get(f"{platform.url}/t/{r.tracking_token}", headers=HTML, timeout=5).text
    assert "未予批准" in text and "信用记录" not in text and "审核员" not in text and DISHONEST.name not in text
    assert "/verify/" not in text


def test_a_browser_with_an_unknown_token_gets_a_page_not_json(platform):
    page = requests.get(f"{platform.url}/t/{'A' * 26}", headers=HTML, timeout=5)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "未找到" in page.text and 'name="viewport"' in page.text
    assert requests.get(f"{platform.url}/t/{'A' * 26}", timeout=5).json()["code"] == 4040


@pytest.mark.parametrize("name, masked", [("李小明", "李*明"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("王", "*"), ("", "")])
def test_the_holder_is_masked_as_the_project_masks(name, masked):
    from central.results.issue import mask_holder
    assert mask_holder(name) == masked


@pytest.mark.parametrize("typed", ["abcd-efgh-ijkl-mnop", " ABCDEFGHIJKLMNOP ", "https://x.example/verify/ABCDEFGHIJKLMNOP"])
def test_a_typed_or_scanned_code_is_read_as_stored(typed):
    from central.results.issue import normal_code
    assert normal_code(typed) == "ABCDEFGHIJKLMNOP" and normal_code("ABCDEFGHIJKLMNO1") is None
