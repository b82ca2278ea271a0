"""A consistent backup of the platform, and its restore into an empty database and directory
(``kiosk central --db URL --data-dir DIR backup DEST`` / ``restore SRC``; docs/deployment.md).

What a restore needs: the records (PostgreSQL: ``pg_dump --format=custom``; SQLite: its online backup API), every
file of the file store (applications' files, issued results, partial uploads) and the results' signing key and
certificates (``results/``: without them the restored platform would sign with a new key and ``/verify`` would
no longer recognise the documents issued before). ``staff-pages/`` is a cache of rendered pages, rebuilt on
demand, and is left out.

Consistency without stopping the platform: the database is dumped first (one snapshot), the files copied after.
A file is written before the record that names it and is never changed or deleted afterwards (content-addressed,
FileStore), so every file the dump names is in the copy; files of applications stored after the snapshot come
along as harmless extras. A partial upload's ``.part`` is at least as long as the offset its record holds (the
bytes are fsynced before the offset is stored), and a resumed upload cuts the file at that offset.

The backup directory:
``backup.json`` (format, when, which store, schema revision, the SHA-256 of the dump and of every file),
``database.dump`` or ``central.sqlite``, ``blobs/ab/<sha256>`` (each distinct content once), ``uploads/*.part``,
``results/`` (private key, 0600). It holds a private key and personal data: keep it as the database itself.

The password never reaches a command line: the URL carries none (``check_url``); pg_dump and pg_restore read it
from PGPASSFILE (or ~/.pgpass) or PGPASSWORD in the environment they inherit.
"""
from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from kiosk.platform.error_codes import ErrorCode

from .files import TEMP_SUFFIX, FileStore
from .open import check_url, sqlite_path

FORMAT = 1
INDEX = "backup.json"
DUMP = "database.dump"
SQLITE_COPY = "central.sqlite"
KEYS = "results"


class BackupError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code


def _conninfo(url: str) -> str:
    from .pg_base import conninfo  # noqa: PLC0415 (psycopg is loaded only for a PostgreSQL deployment)

    return conninfo(url)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore of the newest PostgreSQL on the machine (it must be at least the server's version)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parent.parent.name))
    tool = found[-1] if found else shutil.which(name)
    if tool is None:
        raise BackupError(ErrorCode.BACKUP_FAILED, f"{name} not found: install Debian's postgresql-client")
    return tool


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _run(argv: list[str], code: int) -> None:
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise BackupError(code, f"{Path(argv[0]).name} failed: {done.stderr.strip()[-800:]}")


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def _schema_revision(url: str) -> str | None:
    if url.startswith("sqlite:"):
        return None
    from .migrate import current  # noqa: PLC0415

    return current(url)


# ----- backup ---------------------------------------------------------------------------------------------------
def backup(url: str, data_dir: Path, dest: Path, *, now: dt.datetime | None = None) -> dict:
    """Back the platform at (``url``, ``data_dir``) up into the new directory ``dest``; returns the index."""
    check_url(url)
    data_dir, dest = Path(data_dir), Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(ErrorCode.BACKUP_TARGET, f"{dest} is not empty: a backup goes into a new directory")
    _private_dir(dest)
    index: dict = {"format": FORMAT, "made_at": (now or dt.datetime.now(dt.timezone.utc)).isoformat(),
                   "store": "sqlite" if url.startswith("sqlite:") else "postgresql"}
    # 1. the records: one snapshot, before any file is copied
    if url.startswith("sqlite:"):
        src = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
        dst = sqlite3.connect(dest / SQLITE_COPY)
        try:
            src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(ErrorCode.BACKUP_FAILED, f"SQLite backup failed: {exc}") from exc
        finally:
            dst.close()
            src.close()
        os.chmod(dest / SQLITE_COPY, 0o600)
        index["database"] = {"file": SQLITE_COPY, "sha256": _sha_file(dest / SQLITE_COPY)}
    else:
        index["schema"] = _schema_revision(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest / DUMP}",
              f"--dbname={_conninfo(url)}"], ErrorCode.BACKUP_FAILED)
        os.chmod(dest / DUMP, 0o600)
        index["database"] = {"file": DUMP, "sha256": _sha_file(dest / DUMP)}
    # 2. the files, after the snapshot: every distinct content once, and which names it has
    store = FileStore(data_dir)
    blobs: set[str] = set()
    names: dict[str, str] = {}

    def keep(path: Path) -> str:
        sha = _sha_file(path)
        if sha not in blobs:
            target = dest / "blobs" / sha[:2] / sha
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            if _sha_file(target) != sha:  # changed while we copied: not a file the store ever changes
                raise BackupError(ErrorCode.BACKUP_FAILED, f"{path} changed while it was copied")
            blobs.add(sha)
        return sha

    for path in sorted(store.blobs_dir.rglob("*")):
        if path.is_file() and not path.name.endswith(TEMP_SUFFIX):
            if keep(path) != path.name:
                raise BackupError(ErrorCode.BACKUP_FAILED, f"stored file {path.name[:12]} is damaged (its bytes "
                                                           f"do not hash to its name)")
    for path in sorted(store.files_dir.rglob("*")):
        if path.is_file() and not path.name.endswith(TEMP_SUFFIX):
            names[path.relative_to(data_dir).as_posix()] = keep(path)
    uploads: dict[str, str] = {}
    if store.uploads_dir.is_dir():
        _private_dir(dest / "uploads")
        for path in sorted(store.uploads_dir.glob("*.part")):
            shutil.copyfile(path, dest / "uploads" / path.name)
            uploads[path.name] = _sha_file(dest / "uploads" / path.name)
    keys: dict[str, str] = {}
    if (data_dir / KEYS).is_dir():
        _private_dir(dest / KEYS)
        for path in sorted((data_dir / KEYS).iterdir()):
            if path.is_file():
                shutil.copy2(path, dest / KEYS / path.name)
                keys[path.name] = _sha_file(dest / KEYS / path.name)
    index.update(blobs=sorted(blobs), names=names, uploads=uploads, keys=keys)
    tmp = dest / f".{INDEX}{TEMP_SUFFIX}"
    tmp.write_text(json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, dest / INDEX)  # the index last: a backup without it was never finished
    return index


# ----- restore ----------------------------------------------------------------------------------------------------
def read_index(src: Path) -> dict:
    """The backup's index after checking every file it names against its SHA-256 (BackupError 4237 if not)."""
    src = Path(src)
    try:
        index = json.loads((src / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(ErrorCode.BACKUP_DAMAGED, f"{src / INDEX} missing or unreadable: the backup never "
                                                    f"finished or is not one") from exc
    if index.get("format") != FORMAT:
        raise BackupError(ErrorCode.BACKUP_DAMAGED, f"backup format {index.get('format')!r}, expected {FORMAT}")
    expected = {index["database"]["file"]: index["database"]["sha256"]}
    expected.update({f"blobs/{s[:2]}/{s}": s for s in index["blobs"]})
    expected.update({f"uploads/{n}": s for n, s in index["uploads"].items()})
    expected.update({f"{KEYS}/{n}": s for n, s in index["keys"].items()})
    for rel, sha in expected.items():
        path = src / rel
        if not path.is_file() or _sha_file(path) != sha:
            raise BackupError(ErrorCode.BACKUP_DAMAGED, f"{rel} is missing or does not match its SHA-256")
    return index


def _pg_is_empty(url: str) -> bool:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(_conninfo(url), connect_timeout=10) as conn:
        n = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        return n.fetchone()[0] == 0


def restore(src: Path, url: str, data_dir: Path) -> dict:
    """Restore the backup ``src`` into the empty database ``url`` and the empty (or new) ``data_dir``."""
    check_url(url)
    src, data_dir = Path(src), Path(data_dir)
    index = read_index(src)  # nothing is touched before the whole backup is known to be sound
    store_kind = "sqlite" if url.startswith("sqlite:") else "postgresql"
    if index["store"] != store_kind:
        raise BackupError(ErrorCode.RESTORE_FAILED, f"a {index['store']} backup cannot be restored into {store_kind}")
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(ErrorCode.RESTORE_NOT_EMPTY, f"{data_dir} is not empty: restore into a new directory")
    if store_kind == "postgresql" and not _pg_is_empty(url):
        raise BackupError(ErrorCode.RESTORE_NOT_EMPTY, "the database has tables already: restore into an empty one "
                                                       "(createdb NAME)")
    if store_kind == "sqlite" and sqlite_path(url).exists():
        raise BackupError(ErrorCode.RESTORE_NOT_EMPTY, f"{sqlite_path(url)} exists already")
    _private_dir(data_dir)
    # files first, the records last: no record ever names a file that is not there yet
    store = FileStore(data_dir)
    for sha in index["blobs"]:
        store.put_blob_file(src / "blobs" / sha[:2] / sha, sha)
    for rel, sha in index["names"].items():
        parts = Path(rel).parts  # files/REFERENCE/NAME
        if len(parts) != 3 or parts[0] != "files":
            raise BackupError(ErrorCode.BACKUP_DAMAGED, f"unexpected file name {rel!r} in the index")
        store.link(parts[1], parts[2], sha)
    for name in index["uploads"]:
        shutil.copyfile(src / "uploads" / name, store.upload_path(name.removesuffix(".part")))
        os.chmod(store.upload_path(name.removesuffix(".part")), 0o600)
    if index["keys"]:
        _private_dir(data_dir / KEYS)
        for name in index["keys"]:
            shutil.copy2(src / KEYS / name, data_dir / KEYS / name)
    if store_kind == "sqlite":
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / SQLITE_COPY, target)
        os.chmod(target, 0o600)
    else:
        _run([pg_tool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
              f"--dbname={_conninfo(url)}", str(src / DUMP)], ErrorCode.RESTORE_FAILED)
    return index
