"""``kiosk central --db URL migrate`` and ``kiosk central --db postgresql://... copy sqlite:////DIR/central.sqlite``.

migrate: a PostgreSQL database is brought to the newest schema revision (Alembic; the platform also does it at
start, this is for a deployment that migrates before it switches over); a SQLite store upgrades its own file.
copy: every record of the SQLite store into the (empty) PostgreSQL database; the files stay in --data-dir.
backup DEST / restore SRC: the records (pg_dump) with the file store and the results' signing key, into a new
directory; restored into an empty database and an empty --data-dir (central/store/backup.py). A command rather
than two shell scripts: it knows the URL rules (no password on a command line), the data directory's layout and
the file store's hashes, and it checks a backup whole before a restore touches anything.
"""
from __future__ import annotations

import sys
from pathlib import Path


def database_command(config, words: list[str]) -> int:
    from central.store import BadStoreUrl, StoreUnavailable, check_url, open_store  # noqa: PLC0415

    url = config.db_url
    try:
        if words == ["migrate"]:
            if url.startswith("sqlite:"):
                open_store(url).close()
                print("SQLite store: schema up to date (the platform upgrades its own file)")
                return 0
            from central.store.migrate import current, head, upgrade  # noqa: PLC0415

            before = current(url)
            upgrade(url)
            print(f"PostgreSQL schema: {before or 'empty'} -> {current(url)} (newest: {head()})")
            return 0
        if len(words) == 2 and words[0] == "copy":
            return _copy(url, check_url(words[1]))
        if len(words) == 2 and words[0] in ("backup", "restore"):
            return _backup_or_restore(config, words[0], Path(words[1]))
    except BadStoreUrl as exc:
        print(f"kiosk central: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"kiosk central: the database cannot be reached: {exc}", file=sys.stderr)
        return 1
    print("kiosk central: 'migrate', 'copy FROM_URL', 'backup DEST' or 'restore SRC'", file=sys.stderr)
    return 2


def _copy(target_url: str, source_url: str) -> int:
    from central.store import open_store  # noqa: PLC0415
    from central.store.copy import CopyRefused, copy_sqlite_to_pg, skipped_tables  # noqa: PLC0415

    if not (source_url.startswith("sqlite:") and target_url.startswith("postgres")):
        print("kiosk central: copy goes from a SQLite store (FROM_URL) to a PostgreSQL --db", file=sys.stderr)
        return 2
    pg = open_store(target_url)
    try:
        copied = copy_sqlite_to_pg(source_url, pg)  # type: ignore[arg-type]
    except CopyRefused as exc:
        print(f"kiosk central: copy refused: {exc}", file=sys.stderr)
        return 1
    finally:
        pg.close()
    for table, n in sorted(copied.items()):
        print(f"{table:20} {n:8d} rows")
    for table in skipped_tables(source_url, copied):
        print(f"{table:20} not copied: PostgreSQL has no such table (add it to a migration)", file=sys.stderr)
    print(f"copied {sum(copied.values())} rows in {len(copied)} tables")
    return 0


def _backup_or_restore(config, verb: str, path: Path) -> int:
    from central.store.backup import BackupError, backup, restore  # noqa: PLC0415

    url = config.db_url
    try:
        if verb == "backup":
            index = backup(url, config.data_dir, path)
            print(f"backup of the {index['store']} store in {path}: {len(index['blobs'])} files, "
                  f"{len(index['names'])} application file names, {len(index['uploads'])} partial uploads, "
                  f"{len(index['keys'])} key files")
        else:
            index = restore(path, url, config.data_dir)
            print(f"restored the backup of {index['made_at']} ({index['store']}, {len(index['blobs'])} files) "
                  f"into {config.data_dir}")
    except BackupError as exc:
        print(f"kiosk central {verb}: {exc}", file=sys.stderr)
        return 1
    return 0
