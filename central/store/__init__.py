"""The platform's storage: records behind the ``Store`` protocol, files behind ``FileStore``.

``SqliteStore`` keeps everything in one SQLite file under the data directory (demo mode, tests, one worker);
``PgStore`` (pg.py) the same tables on PostgreSQL for a deployment with several workers. ``open_store(url)``
picks one by its URL (docs/deployment.md, "The platform on PostgreSQL").
"""
from .base import Duplicate, Store, StoreUnavailable
from .files import FileStore
from .open import BadStoreUrl, check_url, default_url, open_store
from .sqlite import SqliteStore

__all__ = ["BadStoreUrl", "Duplicate", "FileStore", "SqliteStore", "Store", "StoreUnavailable", "check_url",
           "default_url", "open_store"]
