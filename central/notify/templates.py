"""What an applicant's phone is told on each status change: short, in the language the application was made
in (zh_CN unless the submission says en_US), with the acceptance number and the tracking link, and never a
name or an ID number (a message is read on a lock screen, and a number may have changed hands).

The keys are the timeline's event statuses (central/workflow.py, central/notify/courier.py). An event with no
template (paid, under_review, delivery) sends nothing."""
from __future__ import annotations

LANGS = ("zh_CN", "en_US")

TEMPLATES: dict[str, dict[str, str]] = {
    "received": {"zh_CN": "【政务服务】您的申请已受理，受理编号{ref}。进度查询：{link}",
                 "en_US": "[Gov Services] Your application {ref} has been received. Track it: {link}"},
    "approved": {"zh_CN": "【政务服务】您的申请{ref}已审批通过。进度查询：{link}",
                 "en_US": "[Gov Services] Your application {ref} has been approved. Track it: {link}"},
    # The public tracking page shows no reasons (workflow.public_status_of): they are read at a kiosk with the card.
    "rejected": {"zh_CN": "【政务服务】您的申请{ref}未予批准，原因请在自助终端“进度查询”刷身份证查看。{link}",
                 "en_US": "[Gov Services] {ref} not approved; see why at a kiosk with your ID card. {link}"},
    "needs_more": {"zh_CN": "【政务服务】您的申请{ref}需补正材料，详情：{link}",
                   "en_US": "[Gov Services] Your application {ref} needs more documents. Details: {link}"},
    "issued": {"zh_CN": "【政务服务】您的申请{ref}办理结果已出证。详情：{link}",
               "en_US": "[Gov Services] The result of {ref} has been issued. Details: {link}"},
    "dispatched": {"zh_CN": "【政务服务】您的申请{ref}办理结果已由快递揽收寄出。跟踪：{link}",
                   "en_US": "[Gov Services] The result of {ref} is with the courier. Track: {link}"},
    "in_transit": {"zh_CN": "【政务服务】您的申请{ref}办理结果正在运输途中。跟踪：{link}",
                   "en_US": "[Gov Services] The result of {ref} is in transit. Track: {link}"},
    "out_for_delivery": {"zh_CN": "【政务服务】您的申请{ref}办理结果正在派送，请保持电话畅通。跟踪：{link}",
                         "en_US": "[Gov Services] The result of {ref} is out for delivery today. Track: {link}"},
    "completed": {"zh_CN": "【政务服务】您的申请{ref}办理结果已签收。详情：{link}",
                  "en_US": "[Gov Services] The result of {ref} has been delivered. Details: {link}"},
}


def language(raw: str | None) -> str:
    """The submission's language when it is one we write; zh_CN otherwise."""
    return raw if raw in LANGS else "zh_CN"


def render(event: str, lang: str, ref: str, link: str) -> str | None:
    """The message for an event, or None when that event sends nothing."""
    texts = TEMPLATES.get(event)
    return texts[language(lang)].format(ref=ref, link=link) if texts else None
