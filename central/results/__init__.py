"""Results issued by the platform (issue 18): the signed result document of an approved case, its
verification by code or by file, and the public pages a phone opens (tracking, verification).

keys.py      the platform's signing key and certificate (self-signed CA + signing cert, made on first start)
document.py  the result PDF (reportlab, CJK font embedded, verification code + QR)
issue.py     issue once per approved case: make, sign (PAdES, pyHanko), store content-addressed, index, event
verify.py    what a code or an uploaded PDF proves
pages.py     the HTML a phone's browser gets for /t/{token} and /verify/{code}
"""
