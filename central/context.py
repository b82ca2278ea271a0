"""The platform's parts, built once per app and reached from handlers through ``platform(request)``."""
from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field

from fastapi import Request

from kiosk.platform.catalog_schema import Item, catalog_digest, load_catalog_dir
from kiosk.platform.schema import CatalogResponse

from .config import PlatformConfig
from .notify.dispatch import Notifier
from .sharing import Sharing
from .store import FileStore, SqliteStore, Store

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
    # Submissions are decided and numbered one at a time: the sequence number and the idempotency check
    # must not interleave (a deployment on PostgreSQL would use a sequence and a unique index instead).
    submit_lock: threading.Lock = field(default_factory=threading.Lock)
    notifier: Notifier | None = None  # sends the SMS outbox (issue 18); None: messages wait in the outbox

    def __post_init__(self) -> None:
        self.by_code = {i.code: i for i in self.items}
        self.digest = catalog_digest(self.items)
        self.catalog = CatalogResponse(version=self.digest, items=[i.model_dump(mode="json") for i in self.items])


def build(config: PlatformConfig, store: Store | None = None) -> Platform:
    store = store or SqliteStore(config.data_dir)
    for kiosk_id, secret in config.kiosks.items():
        store.add_kiosk(kiosk_id, secret, config.now_iso())
    return Platform(config=config, store=store, files=FileStore(config.data_dir),
                    items=load_catalog_dir(config.catalog_dir), sharing=Sharing(config.shared_data_file),
                    notifier=Notifier(store, config))


def platform(request: Request) -> Platform:
    return request.app.state.platform


def new_id(prefix: str, nbytes: int = 10) -> str:
    return f"{prefix}{secrets.token_hex(nbytes)}"
