"""A journey built on fake ports (tests/helpers/journey_fakes.py), a fake clock and a manual executor."""
from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.journey import Journey
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import FakeClock, Recorder
from tests.helpers.journey_fakes import (
    FakeDevices,
    FakeDocumentCamera,
    FakeOutbox,
    FakeReader,
    FakeServices,
    ManualExecutor,
)


class Rig:
    def __init__(self, tmp_path) -> None:
        self.settings = load_settings(default_files(True), data_dir=tmp_path,
                                      overrides={"idle": {"timeout_s": 60, "warning_s": 10}})
        self.catalog = Catalog.from_dir(self.settings.catalog_dir)
        self.reader = FakeReader()
        self.camera = FakeDocumentCamera()
        self.devices = FakeDevices(idcard=self.reader, camera=self.camera)
        self.outbox = FakeOutbox()
        self.services = FakeServices()
        self.clock = FakeClock()
        self.executor = ManualExecutor()
        self.audit: list[tuple[str, dict]] = []
        self.j = Journey(self.settings, self.catalog, self.devices, self.outbox, services=self.services,
                         executor=self.executor, clock=self.clock, audit=lambda e, d: self.audit.append((e, d)))
        self.rec = Recorder()
        self.j.subscribe(self.rec)

    def run(self) -> int:
        return self.executor.run_all()

    def events(self, kind) -> list:
        return [e for e in self.rec.events if e.kind == kind]

    def audited(self, name: str) -> list[dict]:
        return [d for e, d in self.audit if e == name]


@pytest.fixture
def rig(tmp_path) -> Rig:
    return Rig(tmp_path)
