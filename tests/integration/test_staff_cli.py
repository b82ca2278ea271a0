"""``kiosk central staff add|disable|reset``: the password from stdin, never the command line; each act in the
staff audit with the operator; a disabled account or a new password ends the sessions."""
from __future__ import annotations

import io

import pytest

from central.staff import passwords
from central.staff.accounts import open_session, current
from central.store import SqliteStore
from tests.helpers.staff_browser import cheap_argon2


@pytest.fixture(autouse=True)
def _cheap_argon2():
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


def kiosk(monkeypatch, tmp_path, *words: str, stdin: str = "") -> int:
    from ui.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["central", "--data-dir", str(tmp_path / "central"), *words])


def test_staff_add_reads_the_password_from_stdin_and_keeps_only_its_hash(monkeypatch, tmp_path, capsys):
    assert kiosk(monkeypatch, tmp_path, "staff", "add", "wang.li", "--role", "reviewer", "--name", "王丽",
                 "--operator", "admin1", stdin="a long pass phrase 42\n") == 0
    store = SqliteStore(tmp_path / "central")
    try:
        row = store.staff("wang.li")
        assert row["role"] == "reviewer" and row["display_name"] == "王丽" and not row["disabled"]
        assert passwords.verify(row["password_hash"], "a long pass phrase 42")
        assert [(a["actor"], a["action"]) for a in store.staff_actions()] == [("admin1", "account_added")]
    finally:
        store.close()
    with pytest.raises(SystemExit):  # there is no way to put a password on the command line
        kiosk(monkeypatch, tmp_path, "staff", "add", "li.na", "--role", "reviewer", "--password", "x" * 20)
    assert "--password" in capsys.readouterr().err


@pytest.mark.parametrize("args,stdin,why", [
    (("staff", "add", "wang.li", "--role", "reviewer"), "short\n", "12 or more"),
    (("staff", "add", "wang.li", "--role", "reviewer"), "wang.li-is-my-password\n", "username"),
    (("staff", "add", "wang.li", "--role", "boss"), "a long pass phrase 42\n", "no role"),
    (("staff", "add", "Wang Li", "--role", "reviewer"), "a long pass phrase 42\n", "username is"),
    (("staff", "reset", "nobody"), "a long pass phrase 42\n", "no account"),
])
def test_staff_commands_refuse_weak_passwords_bad_names_and_unknown_accounts(monkeypatch, tmp_path, capsys, args,
                                                                             stdin, why):
    assert kiosk(monkeypatch, tmp_path, *args, stdin=stdin) == 1
    assert why in capsys.readouterr().err


def test_disable_needs_a_reason_and_ends_sessions_and_reset_enables_with_a_new_password(monkeypatch, tmp_path):
    assert kiosk(monkeypatch, tmp_path, "staff", "add", "wang.li", "--role", "finance",
                 stdin="a long pass phrase 42\n") == 0
    assert kiosk(monkeypatch, tmp_path, "staff", "disable", "wang.li") == 2  # no --reason
    store = SqliteStore(tmp_path / "central")

    class P:  # the parts of the platform a session needs
        from central.config import PlatformConfig
        config = PlatformConfig(data_dir=tmp_path / "central")

    P.store = store
    try:
        token = open_session(P, "wang.li", "127.0.0.1")
        assert current(P, token).username == "wang.li"
        assert kiosk(monkeypatch, tmp_path, "staff", "disable", "wang.li", "--reason", "moved to another office") == 0
        assert current(P, token) is None and store.staff("wang.li")["disabled"]
        assert kiosk(monkeypatch, tmp_path, "staff", "reset", "wang.li", stdin="another pass phrase 7\n") == 0
        row = store.staff("wang.li")
        assert not row["disabled"] and passwords.verify(row["password_hash"], "another pass phrase 7")
        assert [a["action"] for a in reversed(store.staff_actions())] == ["account_added", "account_disabled",
                                                                         "password_reset"]
    finally:
        store.close()
