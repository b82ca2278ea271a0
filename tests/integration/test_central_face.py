"""The platform decides an item that needs the person seen on the signed face record only (issue 19),
attacked over HTTP: a claimed record that was not sent, one lifted from another application, a failed
decision, a missing record, a record that contradicts itself. 920000007000 (养老资格认证) is 秒批 when the
face check and liveness passed and the shared data agree."""
from __future__ import annotations

import hashlib
import json

import pytest

from central.server import EmbeddedPlatform
from kiosk.journey.package import FACE_FILE, face_record_bytes
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import FileRef
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRET = "test-secret-0123456789"
PENSION_CHECK = "920000007000"  # 领取养老保险待遇资格认证
NO_CRIME = "312000218000"  # no face check

PASSED = {"decision": "pass", "score": 0.91, "threshold": 0.6, "engine": "test-engine 1", "tries": 1,
          "liveness": {"passed": True, "challenges": ["blink", "turn_left"], "done": [True, True],
                       "passive": {"texture": 0.8}, "reason": ""}}


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


def with_face(m, files, record: dict | None = None, *, data: bytes | None = None, send: bool = True,
              list_it: bool = True):
    """The submission with a face record file (as kiosk.journey.package builds it), or spoiled."""
    data = face_record_bytes(m.application_id, record or PASSED) if data is None else data
    refs = list(m.files)
    if list_it:
        refs.append(FileRef(name=FACE_FILE, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                            mime="application/json"))
    files = dict(files, **({FACE_FILE: data} if send else {}))
    return m.model_copy(update={"face": FACE_FILE, "files": refs}), files


def refused(client, platform, m, files, code: int) -> None:
    before = platform.store.count()
    with pytest.raises(PlatformError) as exc:
        client.submit(m, files)
    assert exc.value.status == 422 and exc.value.code == code
    assert platform.store.count() == before  # never stored, never decided


def test_the_pension_check_is_approved_at_once_with_a_passing_face_record_and_agreeing_shared_data(client):
    m, files = with_face(*complete(PENSION_CHECK, "elder"))
    resp = client.submit(m, files)
    assert resp.status == "approved" and resp.decision.instant and resp.decision.approved


def test_the_pension_check_without_a_face_record_is_never_approved(client):
    m, files = complete(PENSION_CHECK, "elder")
    resp = client.submit(m, files)
    assert resp.status == "under_review" and not resp.decision.approved
    assert any("no face check record" in r.en for r in resp.decision.reasons)


def test_a_passing_face_record_does_not_approve_when_the_shared_data_disagree(client):
    m, files = with_face(*complete(PENSION_CHECK, "graduate"))  # no pension paid by Shenzhen
    resp = client.submit(m, files)
    assert resp.status == "under_review"
    assert any("pension" in r.en for r in resp.decision.reasons)


def test_a_manifest_claiming_a_face_record_it_did_not_list_is_refused(client, platform):
    m, files = with_face(*complete(PENSION_CHECK, "elder"), list_it=False, send=False)  # a bare claim
    refused(client, platform, m, files, 4260)


def test_a_manifest_claiming_a_face_record_it_did_not_send_is_refused(client, platform):
    m, files = with_face(*complete(PENSION_CHECK, "elder"), send=False)
    refused(client, platform, m, files, 4005)  # listed, not uploaded: the file check refuses it first


def test_a_face_record_altered_after_signing_is_refused(client, platform):
    m, files = with_face(*complete(PENSION_CHECK, "elder"), record=dict(PASSED, decision="mismatch"))
    files[FACE_FILE] = face_record_bytes(m.application_id, PASSED)  # the bytes no longer match the manifest
    refused(client, platform, m, files, 4005)


def test_a_face_record_lifted_from_another_application_is_refused(client, platform):
    m, files = complete(PENSION_CHECK, "elder")
    m, files = with_face(m, files, data=face_record_bytes("another-application-id", PASSED))
    refused(client, platform, m, files, 4261)


def test_a_face_record_that_is_not_one_is_refused(client, platform):
    m, files = with_face(*complete(PENSION_CHECK, "elder"), data=json.dumps({"face": "pass"}).encode())
    refused(client, platform, m, files, 4261)


@pytest.mark.parametrize("record,why", [
    (dict(PASSED, decision="mismatch", score=0.2), "did not pass"),
    (dict(PASSED, decision="not_live", score=None), "did not pass"),
    (dict(PASSED, liveness=dict(PASSED["liveness"], passed=False)), "liveness"),
    (dict(PASSED, liveness=None), "liveness"),
    (dict(PASSED, score=0.4), "below its threshold"),
    (dict(PASSED, score=None), "below its threshold"),
])
def test_a_face_record_that_did_not_pass_or_contradicts_itself_goes_to_manual_review(client, record, why):
    m, files = with_face(*complete(PENSION_CHECK, "elder"), record=record)
    resp = client.submit(m, files)
    assert resp.status == "under_review" and not resp.decision.approved
    assert any(why in r.en for r in resp.decision.reasons)
