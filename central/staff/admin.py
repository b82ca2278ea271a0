"""Accounts managed from a terminal (``kiosk central staff add|disable|reset``): every change is recorded in
the staff audit with the operator (the login name at the terminal) as the actor."""
from __future__ import annotations

import re

from ..store import Duplicate, Store
from .accounts import Role
from .passwords import check_strength, hash_password

USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")


class AccountError(ValueError):
    """Refused: a bad or taken username, an unknown account or role, a weak password."""


def add_account(store: Store, username: str, display_name: str, role: str, password: str, at: str,
                operator: str) -> None:
    if not USERNAME.match(username):
        raise AccountError("a username is 3-32 characters: lower-case letters, digits, '_', '.', '-', "
                           "starting with a letter")
    try:
        role = Role(role).value
    except ValueError:
        raise AccountError(f"no role {role!r}; one of {', '.join(r.value for r in Role)}") from None
    check_strength(password, username)
    try:
        store.add_staff({"username": username, "display_name": display_name.strip()[:60] or username, "role": role,
                         "password_hash": hash_password(password), "disabled": 0, "created_at": at,
                         "password_changed_at": at})
    except Duplicate:
        raise AccountError(f"the username {username} is taken") from None
    store.add_staff_action(at, operator, "admin", "account_added", "", "terminal", {"username": username, "role": role})


def disable_account(store: Store, username: str, at: str, operator: str, reason: str) -> None:
    if not store.update_staff(username, disabled=1):
        raise AccountError(f"no account {username}")
    store.add_staff_action(at, operator, "admin", "account_disabled", "", "terminal",
                           {"username": username, "reason": reason})


def reset_password(store: Store, username: str, password: str, at: str, operator: str) -> None:
    """A new password (the old sessions end) that also enables a disabled account."""
    if store.staff(username) is None:
        raise AccountError(f"no account {username}")
    check_strength(password, username)
    store.update_staff(username, password_hash=hash_password(password), password_changed_at=at, disabled=0)
    store.add_staff_action(at, operator, "admin", "password_reset", "", "terminal", {"username": username})


MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")


def set_contact(store: Store, username: str, phone: str, email: str, at: str, operator: str) -> None:
    """The mobile (mainland, 11 digits) and e-mail that 督办 notices go to; either may be empty."""
    if store.staff(username) is None:
        raise AccountError(f"no account {username}")
    if phone and not MOBILE.match(phone):
        raise AccountError(f"{phone!r} is not a mainland mobile number (11 digits, 1[3-9]...)")
    if email and not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    store.set_staff_contact(username, phone, email)
    masked = phone[:3] + "****" + phone[-4:] if phone else ""
    store.add_staff_action(at, operator, "admin", "contact_set", "", "terminal", {"username": username,
                                                                                 "phone": masked})
