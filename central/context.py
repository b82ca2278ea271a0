"""The platform's parts, built once per app and reached from handlers through ``platform(request)``."""
from __future__ import annotations

import logging
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from fastapi import Request

from kiosk.platform.catalog_schema import Item, catalog_digest, load_catalog_dir
from kiosk.platform.schema import CatalogResponse

from .config import PlatformConfig
from .notify.dispatch import Notifier
from .sharing import Sharing
from .store import FileStore, Store, default_url, open_store

log = logging.getLogger(__name__)


@dataclass
class Platform:
    config: PlatformConfig
    store: Store
    files: FileStore
    items: list[Item]
    sharing: Sharing
    by_code: dict[str, Item] = field(init=False)
    digest: str = field(init=False)
    catalog: CatalogResponse = field(init=False)
    # Submissions and payment orders are decided one at a time. Correctness does not rest on it (the
    # reference numbers come from a sequence, the idempotency key and the reference are UNIQUE: a lost race
    # answers the winner's), but it keeps one live order per application and no refund while an application
    # claims the order. The store's lock: in-process on SQLite, a PostgreSQL advisory lock across workers.
    submit_lock: AbstractContextManager = field(init=False)
    notifier: Notifier | None = None  # sends the SMS outbox (issue 18); None: messages wait in the outbox

    def __post_init__(self) -> None:
        self.submit_lock = self.store.lock("submit")
        self.by_code = {i.code: i for i in self.items}
        self.digest = catalog_digest(self.items)
        self.catalog = CatalogResponse(version=self.digest, items=[i.model_dump(mode="json") for i in self.items])


def build(config: PlatformConfig, store: Store | None = None) -> Platform:
    store = store or open_store(config.db_url or default_url(config.data_dir), timeout_s=config.db_timeout_s,
                                pool_size=config.db_pool_size)
    for kiosk_id, secret in config.kiosks.items():
        store.add_kiosk(kiosk_id, secret, config.now_iso())
    files = FileStore(config.data_dir)
    for path in files.sweep_temp(config.temp_file_max_age_s):
        log.warning("file store: deleted %s, a crashed writer's leftover", path.name)
    return Platform(config=config, store=store, files=files,
                    items=load_catalog_dir(config.catalog_dir), sharing=Sharing(config.shared_data_file),
                    notifier=Notifier(store, config))


def platform(request: Request) -> Platform:
    return request.app.state.platform


def new_id(prefix: str, nbytes: int = 10) -> str:
    return f"{prefix}{secrets.token_hex(nbytes)}"
