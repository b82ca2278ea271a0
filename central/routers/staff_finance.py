"""The finance page (issue 21, Deliver 5): the reconciliation report over a date range with filters (kiosk,
item, status), refunds as rows of their own, and the same rows as CSV for Excel (``central.staff.finance``).
A GET only: filtering reads, it changes nothing; the download is in the staff audit (who exported what)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..staff import accounts
from ..staff.accounts import Act
from ..staff.finance import STATUS_NAMES, Status, parse_filters, rows, to_csv, totals
from ..staff.web import HEADERS, address, need, page, pl

router = APIRouter(prefix="/staff/finance", include_in_schema=False)


def _filters(request: Request):
    q = request.query_params
    return parse_filters(pl(request), q.get("start", ""), q.get("end", ""), q.get("kiosk", ""), q.get("item", ""),
                         q.get("status", ""))


@router.get("")
def finance_page(request: Request) -> HTMLResponse:
    s = need(request, Act.VIEW_FINANCE)
    p = pl(request)
    f = _filters(request)
    found = rows(p, f)
    query = request.url.query
    return page("finance_report.html", session=s, f=f, rows=found, totals=totals(found),
                statuses=[(st.value, *STATUS_NAMES[st]) for st in Status],
                kiosks=[k["kiosk_id"] for k in p.store.kiosks()],
                items=sorted((i.code, i.name.zh) for i in p.by_code.values()
                             if i.fee.amount_fen or i.fee.from_bill or i.fee.options),
                csv_url="/staff/finance.csv" + (f"?{query}" if query else ""))


@router.get(".csv")
def finance_csv(request: Request) -> Response:
    s = need(request, Act.VIEW_FINANCE)
    p = pl(request)
    f = _filters(request)
    found = rows(p, f)
    accounts.record(p, s.username, s.role, "finance_csv", address=address(request), start=f.start.isoformat(),
                    end=f.end.isoformat(), kiosk=f.kiosk, item=f.item, status=f.status, rows=len(found))
    name = f"reconciliation-{f.start.isoformat()}_{f.end.isoformat()}.csv"
    return Response(to_csv(found), media_type="text/csv; charset=utf-8",
                    headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})
