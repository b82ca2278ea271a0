"""Shared fixtures. Simulated hardware is global per process: every test starts with none."""
from __future__ import annotations

import os

import pytest

# central_db / pg_cluster / pg_url: the platform's tests on SQLite and on a throwaway PostgreSQL cluster
pytest_plugins = ["tests.helpers.pg_fixtures"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Qt reads the input method when the application object is created (pytest-qt's qapp, before any kiosk):
# without this the virtual keyboard would never open in the UI tests.
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")


def _hypothesis_the_same_examples_every_run() -> None:
    """Every property test (and the schemathesis fuzz, built on hypothesis) draws the same examples on every run:
    unseeded, each CI run drew new ones, so a run's outcome was chance. Also no example database (a file under the
    working tree that two workers share and a fresh CI machine lacks) and no health check on generation speed (a
    loaded 2-core machine is slow at random, and that says nothing of the code): what Hypothesis's own "ci" profile
    does, but only where a CI variable is set. What a test asserts is unchanged;
    a long random search is `pytest --hypothesis-profile=random` (or bench/bench_idcard.py for the ID card)."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("kiosk", derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("random", database=None)
    settings.load_profile("kiosk")


_hypothesis_the_same_examples_every_run()


# pytest-qt's waitUntil gives up after 5 s unless told otherwise, and about 375 waits in the UI tests do not say:
# many wait for work on another thread (a device, the embedded platform, a queued signal), which a loaded 2-core
# CI machine has been seen to take longer over (a 17-minute suite ran 31 minutes). A wait returns as soon as its
# condition holds, so a longer default costs nothing when the code is right; a wait that names its own timeout keeps it.
QT_WAIT_UNTIL_DEFAULT_MS = 20_000


def _patient_wait_until() -> None:
    from pytestqt.qtbot import QtBot

    original = QtBot.waitUntil
    if getattr(original, "kiosk_patient", False):
        return

    def waitUntil(self, callback, *, timeout: int = QT_WAIT_UNTIL_DEFAULT_MS) -> None:  # noqa: N802 (pytest-qt's name)
        return original(self, callback, timeout=timeout)

    waitUntil.kiosk_patient = True
    waitUntil.__doc__ = original.__doc__
    QtBot.waitUntil = waitUntil


_SCENE_CACHE_MADE: list[str] = []


def _share_simulator_scenes() -> None:
    """One directory per test run where the simulated camera's drawn scenes are kept for the kiosk processes the
    tests start (devices/camera/sim/scene_cache.py): made by the run's first process, before pytest-xdist starts
    its workers, so they and every subprocess inherit it; removed when that process ends."""
    from devices.camera.sim.scene_cache import ENV

    if os.environ.get(ENV) or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    import tempfile

    os.environ[ENV] = path = tempfile.mkdtemp(prefix="kiosk-sim-scenes-")
    _SCENE_CACHE_MADE.append(path)


def pytest_configure(config):
    _patient_wait_until()
    _share_simulator_scenes()


def pytest_unconfigure(config):
    import shutil

    for path in _SCENE_CACHE_MADE:
        shutil.rmtree(path, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """No test dropped in silence. Schemathesis names its cases (``test_x[GET /api/v1/health]``) but gives all of
    them the function's node id, and pytest-xdist keys the work by node id: with --dist loadfile it ran 1 of the
    47 API fuzz cases and said nothing. So a pytest-xdist worker leaves such cases out, and `make test` runs them
    in a second pass of its own without workers (KIOSK_TESTS_REPEATED_IDS_ONLY=1: those cases alone)."""
    from collections import Counter

    only_repeated = os.environ.get("KIOSK_TESTS_REPEATED_IDS_ONLY") == "1"
    if not os.environ.get("PYTEST_XDIST_WORKER") and not only_repeated:
        return
    repeated = {nodeid for nodeid, n in Counter(item.nodeid for item in items).items() if n > 1}
    keep = [item for item in items if (item.nodeid in repeated) == only_repeated]
    config.hook.pytest_deselected(items=[item for item in items if (item.nodeid in repeated) != only_repeated])
    items[:] = longest_files_first(keep)


# The files that take longest (seconds summed over their tests in a whole run, --durations=0): handed out first.
SLOW_FILES = ("tests/ui/test_layout_sweep.py", "tests/unit/journey/test_learned_bed.py",
              "tests/ui/test_layout_check.py", "tests/ui/test_walk_away.py", "tests/unit/devices/test_docscan_faint.py", "tests/ui/test_demo_window.py",
              "tests/ui/test_catalog_reach.py", "tests/ui/test_form_input.py", "tests/ui/test_physical_sizes.py",
              "tests/ui/test_autopilot_lagging_screen.py", "tests/ui/test_ui_face.py")
SLOW_DIRS = ("tests/ui/", "tests/integration/")  # then these, file by file; the many short unit files last


def longest_files_first(items: list) -> list:
    """pytest-xdist hands a worker one test file at a time in collection order (`make test` turns off its own
    reordering, which put the files with the most tests first: the layout sweep's 8 tests of 30-40 s each came
    last and ran alone for minutes while the other workers idled). Long files first, short ones fill in at the
    end. The order of tests inside a file is kept."""
    def rank(item) -> tuple[int, int]:
        path = item.nodeid.split("::", 1)[0]
        if path in SLOW_FILES:
            return 0, SLOW_FILES.index(path)
        return next((1 + i for i, d in enumerate(SLOW_DIRS) if path.startswith(d)), 1 + len(SLOW_DIRS)), 0
    return sorted(items, key=rank)  # stable: collection order within a rank


@pytest.fixture(autouse=True)
def _root_logging_as_before():
    """A test that runs a command's main() (`kiosk run`, `kiosk central`, `doctor -v`) sets the root logger up as the
    process would: a console handler on sys.stderr, which is then pytest's capture of that one test, and a log
    file in its tmp_path. Left on the root, the next tests' log lines (a device thread's state changes) go to a
    closed stream ("--- Logging error --- ValueError: I/O operation on closed file") and the file stays open.
    Handlers a test added are taken off and closed, and the root's level is put back."""
    import logging

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _fresh_simulators():
    from devices import sim
    from devices.simulators import register_all

    register_all()  # the tests are a composition root: sim:// URLs work in every test
    sim.reset()
    yield
    sim.reset()


@pytest.fixture(autouse=True)
def _own_key_dir(tmp_path_factory, monkeypatch):
    """Every test's kiosk keeps its keys in a directory of its own (never /etc/kiosk, never beside data_dir)."""
    monkeypatch.setenv("KIOSK_KEY_DIR", str(tmp_path_factory.mktemp("keys")))  # beside tmp_path, not in it
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(d))
    return d


@pytest.fixture(autouse=True)
def _audit_key_outside_data(tmp_path_factory, monkeypatch):
    """Every test's audit key lies in its own directory, outside any data dir, never in /etc/kiosk."""
    monkeypatch.setenv("KIOSK_AUDIT_KEY_FILE", str(tmp_path_factory.mktemp("keys") / "audit.key"))
