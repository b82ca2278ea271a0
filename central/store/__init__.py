"""The platform's storage: records behind the ``Store`` protocol, files behind ``FileStore``.

``SqliteStore`` keeps everything in one SQLite file under the data directory. A deployment that wants
PostgreSQL implements ``Store`` (plain SQL, no SQLite-only features beyond ``INSERT ... ON CONFLICT``)
and hands it to ``create_app``.
"""
from .base import Duplicate, Store
from .files import FileStore
from .sqlite import SqliteStore

__all__ = ["Duplicate", "FileStore", "SqliteStore", "Store"]
