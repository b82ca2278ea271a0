# Two commands on a fresh machine: `make demo` and `make test`. Each does the whole set-up first.
SHELL := /bin/sh
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PREBUILT := $(VENV)/.prebuilt
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: demo test setup system-deps lint bench bench-long clean

demo: setup
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
		$(VENV)/bin/kiosk run --demo $(ARGS); \
	else \
		echo "No display found (DISPLAY unset): running the demo on a virtual X screen (Xvfb)."; \
		echo "A self-running showroom demo; screenshots go to ./screenshots. Ctrl-C stops it."; \
		xvfb-run -a -s "-screen 0 1920x1080x24" $(VENV)/bin/kiosk autopilot --all-items --journeys 0 --screenshots screenshots $(ARGS); \
	fi

# The tests run in one worker per core and one more (pytest-xdist), at most 4: a CI machine has 2 cores and the
# suite took 24 minutes in one process; the UI tests wait on the kiosk's timers about half their time, so a third
# worker on 2 cores keeps both busy. A test file stays in one worker (--dist loadfile), so its module fixtures are
# built once; the longest files are handed out first (tests/conftest.py). TEST_WORKERS=0 runs them in this
# process (e.g. to debug one test).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); n=$$((n + 1)); [ "$$n" -gt 4 ] && n=4; echo $$n)

test: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports
	@# pytest-xdist keys its work by node id: cases that share one (the schemathesis API fuzz) run in a process of
	@# their own (tests/conftest.py), started beside the workers: alone after them it took 110 s of one core while
	@# the other idled. Its output follows the main run's; exit status 5 is "none of them selected" (ARGS naming
	@# other tests). TEST_WORKERS=0: everything in this one process.
	@if [ "$(TEST_WORKERS)" = "0" ]; then \
		QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 0 $(ARGS); exit $$?; fi; \
	side=$$(mktemp -d); \
	( KIOSK_TESTS_REPEATED_IDS_ONLY=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:xdist -p no:cacheprovider \
		--basetemp "$$side/tmp" $(ARGS) > "$$side/log" 2>&1; echo $$? > "$$side/rc" ) & \
	echo "QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(ARGS)"; \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(ARGS); \
		main=$$?; \
	wait; echo "=== the API fuzz cases (one process, run beside the workers) ==="; cat "$$side/log"; \
	fuzz=$$(cat "$$side/rc"); rm -rf "$$side"; \
	[ "$$main" -eq 0 ] && { [ "$$fuzz" -eq 0 ] || [ "$$fuzz" -eq 5 ]; }

# Every bench's short run (under 2 minutes each), figures against each one's named baseline in the same run;
# `make bench-long` runs the long versions (e.g. 1,000 soak journeys).
bench: setup
	$(PY) bench/run_all.py $(ARGS)

bench-long: setup
	$(PY) bench/run_all.py --long $(ARGS)

setup: system-deps $(STAMP) $(PREBUILT)

# Start-up (issue 22): Python byte-code and the screens' QML byte-code built at set-up, never committed.
# compileall writes .pyc even where PYTHONDONTWRITEBYTECODE is set (then every start compiled ~170 modules);
# `kiosk qml-cache` fills Qt's QML disk cache (ui/qml_cache.py) that every kiosk start then reads.
$(PREBUILT): $(STAMP) $(wildcard ui/qml/*.qml ui/qml/*/*.qml kiosk/*.py kiosk/*/*.py ui/*.py)
	@$(PY) -m compileall -q -j 0 kiosk devices ui central >/dev/null
	@QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk qml-cache
	@touch $(PREBUILT)

system-deps:
	@./tools/system-deps.sh

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11 or newer is needed (none found on PATH)." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps 'mediapipe==0.10.21'  # the face analyzer: see pyproject.toml
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info screenshots
