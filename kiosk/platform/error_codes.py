"""The numbered error codes the platform answers with (``ErrorResponse.code``), in HTTP-status blocks;
docs/api.md has the table with what the kiosk's client does with each."""
from __future__ import annotations

class ErrorCode:
    MANIFEST_INVALID = 4001
    KEY_MISMATCH = 4002
    UNKNOWN_ITEM = 4003
    FILE_TOO_LARGE = 4004
    FILE_MISMATCH = 4005
    KIOSK_MISMATCH = 4006
    REQUEST_INVALID = 4007
    CONFLICT = 4009
    AUTH_MISSING = 4010
    AUTH_UNKNOWN_KIOSK = 4011
    AUTH_BAD_SIGNATURE = 4012
    AUTH_STALE = 4013
    AUTH_REPLAY = 4014
    AUTH_BODY_HASH = 4015
    AUTH_ADMIN = 4016
    ENROLMENT_REFUSED = 4017
    ENROLMENT_LIVE_KIOSK = 4018  # the id has a secret; only an administrator's re-key lets a code replace it
    AUDIT_CHAIN_BROKEN = 4095  # a record does not match its hash / does not chain to the platform's head
    AUDIT_REWOUND = 4096  # the trail goes backwards or forks from the head the platform holds
    AUTH_SCHEME_RETIRED = 4030  # signature scheme 1 after its transition window
    BODY_TOO_SLOW = 4080  # the body did not arrive within the platform's read time
    BILL_SETTLED = 4070  # the bill is paid already (the biller's ledger): no second order (409)
    # citizen sessions and look-ups (issue 16)
    CITIZEN_SESSION = 4031  # no valid citizen session of this kiosk for this ID number (403)
    ITEM_REQUIRED = 4032  # a look-up must name the item whose rules decide what is returned (422)
    NOT_FOUND = 4040
    UPLOAD_OFFSET = 4091
    UPLOAD_HASH = 4092
    PAYMENT_STATE = 4093
    AMOUNT_MISMATCH = 4094
    BODY_TOO_LARGE = 4130
    RATING_TWICE = 4140  # 好差评: the case has been rated already, one rating per case (409)
    RATING_NO_CASE = 4141  # 好差评: no such case of this kiosk (unknown, not stored yet, or another kiosk's) (404)
    # notifications and the courier (issue 18, central/notify)
    COURIER_AUTH = 4180  # courier event without a valid X-Courier-* HMAC signature (401)
    COURIER_REPLAY = 4181  # courier event's nonce already used, or its timestamp too far off (401)
    COURIER_WAYBILL = 4182  # courier event for a waybill the platform does not hold, or another carrier's (404)
    COURIER_ORDER = 4183  # courier event that goes backwards (a delivered waybill picked up again) (409)
    COURIER_BODY = 4184  # courier event body larger than a courier event can be (413)
    SMS_RETRY = 4185  # the SMS provider said "later" (flow control, timeout, 5xx): the message is retried
    SMS_REFUSED = 4186  # the SMS provider refused the message for good (number, template): it is failed
    SMS_CONFIG = 4187  # the SMS gateway is not configured (no credentials, no template code for the event)
    MINE_SESSION = 4190  # 我的办件: no open, unexpired citizen session of this kiosk for the listing (403)
    MINE_PAGE = 4191  # 我的办件: page size above mine_schema.MAX_PER_PAGE, or a page number out of range (422)
    BUSY = 5030  # too many requests in flight; Retry-After says when to try again
    DELIVERY_REGION = 4160  # express delivery: region missing, unknown or not complete in config/regions.toml (422)
    DELIVERY_ADDRESS = 4161  # express delivery: recipient, mobile number or the detail line missing (422)
    APPLICATION_INCOMPLETE = 4110  # a form field, a required material or the signature is missing or malformed (422)
    RATE_LIMITED = 4290  # too many citizen sessions or look-ups from this kiosk; an alarm is raised (429)
    # issued results, verification (issue 18)
    RESULT_UNKNOWN_CODE = 4170  # GET /verify/{code}: no document was issued with that code (404, nothing else said)
    RESULT_NOT_PDF = 4171  # POST /verify: the body is not a PDF the platform can read (422)
    RESULT_NOT_ISSUED = 4172  # the application's result is not issued (not approved, or issuing failed) (404)
    RESULT_ISSUE_FAILED = 4173  # the platform could not make or sign the result document (500; retried on request)
    INTERNAL = 5000
    # the platform's database (issue 20): 503 with Retry-After, the kiosk's outbox sends again later
    STORE_UNAVAILABLE = 4230  # the database cannot be reached or every connection is busy (503)
    # backup and restore of the platform (issue 20; `kiosk central backup|restore`, central/store/backup.py)
    BACKUP_FAILED = 4235  # pg_dump (or SQLite's backup) failed or is missing: no backup was made
    BACKUP_TARGET = 4236  # the backup's directory exists and is not empty: a backup never overwrites another
    BACKUP_DAMAGED = 4237  # the backup lacks its index or a file in it does not hash to its recorded SHA-256
    RESTORE_NOT_EMPTY = 4238  # restore refused: the database has tables or the data directory has files already
    RESTORE_FAILED = 4239  # pg_restore (or copying the files) failed; the target is to be dropped and restored again
    # staff pages: accounts, sessions and the review workbench (issue 21; central/staff/)
    STAFF_LOGIN_REQUIRED = 4200  # no staff session, or it expired (idle or absolute): log in again (401)
    STAFF_LOGIN_FAILED = 4201  # unknown account, wrong password or disabled account: one answer for all (401)
    STAFF_LOGIN_THROTTLED = 4202  # too many failed logins for this account or from this address: wait (429)
    STAFF_CSRF = 4203  # a form without this session's CSRF token, or with another (403)
    STAFF_ROLE = 4204  # the account's role may not do this (finance cannot decide) (403)
    STAFF_CLAIMED = 4205  # another reviewer holds the case's claim until it expires (409)
    STAFF_NOT_CLAIMED = 4206  # a decision on a case whose claim the reviewer does not hold (409)
    STAFF_NOT_WAITING = 4207  # the case is decided already or not in manual review (409)
    STAFF_REASON_REQUIRED = 4208  # rejecting or asking for more needs a reason the citizen is told (422)
    STAFF_FORM_INVALID = 4209  # a form body that is not UTF-8 urlencoded, or a field missing or too long (422)
    STAFF_NO_FILE = 4210  # no such material page of the case (404)
    # fleet monitor and finance pages (issue 21, Deliver 4-5; central/staff/fleet.py, finance.py)
    # the face check's record (issue 19): central/face.py
    FACE_RECORD_MISSING = 4260  # the manifest names a face record that is not among its sent files (422)
    FACE_RECORD_INVALID = 4261  # the face record is not JSON of the expected shape, or is another application's (422)
    FLEET_NO_HELP = 4250  # acknowledging a help request the platform does not hold (404)
    FINANCE_BAD_RANGE = 4251  # the finance report's dates are not YYYY-MM-DD, end before start, or too long (422)
    # 电子监察: the trail and the supervisor's dashboard (issue 21 Deliver 3; central/staff/watch*.py)
    STAFF_NOT_YOUR_CASE = 4240  # a reviewer asked for the trail of a case he never claimed or decided (403)
    STAFF_NOT_OVERDUE = 4241  # 督办 on a case that is not waiting past its 承诺时限 (409)
    FOLLOWUP_CLOSED = 4242  # a step on a rating follow-up whose outcome is recorded already (409)

