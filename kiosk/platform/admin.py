"""The administrator's side of the reference platform (Bearer token): for the demo, the tests and
``kiosk central`` commands. A province's back office replaces all of this; the kiosk never calls it."""
from __future__ import annotations

from typing import Any

from .schema import (AdminAction, AdminActionRequest, AuditHead, EnrolmentCode, HelpStatus, KioskInfo, Reason,
                     ReconciliationReport, ReviewDecision, ReviewItem, StatusResponse, Waybill)
from .rating_schema import Rating
from .transport import SignedTransport, parse


class AdminClient:
    def __init__(self, base_url: str, token: str, *, timeout_s: float = 10.0, verify_tls: bool | str = True) -> None:
        self.t = SignedTransport(base_url, kiosk_id="admin", secret=None, timeout_s=timeout_s, verify_tls=verify_tls)
        self._auth = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, json_body: Any = None, params: dict[str, str] | None = None,
              safe: bool = True) -> Any:
        return self.t.request(method, f"/admin{path}", json_body=json_body, params=params, headers=self._auth,
                              signed=False, safe=safe)

    def new_enrolment(self, kiosk_id: str) -> EnrolmentCode:
        return parse(EnrolmentCode, self._call("POST", "/enrolments", {"kiosk_id": kiosk_id}, safe=False), "enrolment")

    def new_audit_epoch(self, kiosk_id: str, operator: str, reason: str) -> AuditHead:
        body = AdminActionRequest(operator=operator, reason=reason).model_dump(mode="json")
        return parse(AuditHead, self._call("POST", f"/kiosks/{kiosk_id}/audit-epoch", body, safe=False), "epoch")

    def grant_rekey(self, kiosk_id: str, operator: str, reason: str) -> list[AdminAction]:
        body = AdminActionRequest(operator=operator, reason=reason).model_dump(mode="json")
        return [AdminAction.model_validate(a) for a in self._call("POST", f"/kiosks/{kiosk_id}/rekey", body,
                                                                   safe=False).json()]

    def actions(self) -> list[AdminAction]:
        return [AdminAction.model_validate(a) for a in self._call("GET", "/actions").json()]

    def help_requests(self, all_: bool = False) -> list[HelpStatus]:
        """Citizens' calls for help (open ones unless ``all_``)."""
        params = {"all": "true"} if all_ else None
        return [HelpStatus.model_validate(h) for h in self._call("GET", "/help", params=params).json()]

    def ack_help(self, help_id: str, by: str) -> HelpStatus:
        return parse(HelpStatus, self._call("POST", f"/help/{help_id}/ack", {"by": by}, safe=False), "help")

    def ratings(self, limit: int = 200) -> list[Rating]:
        """好差评 ratings, newest first (issue 17)."""
        return [Rating.model_validate(r) for r in self._call("GET", "/ratings", params={"limit": str(limit)}).json()]

    def kiosks(self) -> list[KioskInfo]:
        return [KioskInfo.model_validate(k) for k in self._call("GET", "/kiosks").json()]

    def reviews(self) -> list[ReviewItem]:
        return [ReviewItem.model_validate(r) for r in self._call("GET", "/reviews").json()]

    def decide(self, reference: str, approved: bool, note: Reason | None = None, reviewer: str = "") -> StatusResponse:
        body = ReviewDecision(approved=approved, note=note, reviewer=reviewer).model_dump(mode="json")
        return parse(StatusResponse, self._call("POST", f"/reviews/{reference}", body, safe=False), "review")

    def reconciliation(self, day: str) -> ReconciliationReport:
        return parse(ReconciliationReport, self._call("GET", "/reconciliation", params={"day": day}), "reconciliation")

    def advance_waybill(self, waybill_no: str) -> Waybill:
        return parse(Waybill, self._call("POST", f"/deliveries/{waybill_no}/advance", safe=False), "courier")
