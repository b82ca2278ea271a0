#!/bin/sh
# Proves the lockdown stack works on this machine without a screen: a headless cage (with Xwayland)
# runs one scripted journey of the demo, and the kiosk's systemd notifications (READY=1, WATCHDOG=1
# from the UI thread) are caught on a socket, as systemd would. Run as the kiosk user (cage refuses root):
#     sudo -u kiosk sh /opt/kiosk/app/deploy/smoke-test-cage.sh [/opt/kiosk/venv/bin/python]
set -eu
PY=${1:-/opt/kiosk/venv/bin/python}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -m 700 "$WORK/xdg"
"$PY" - "$WORK/notify.sock" > "$WORK/notify.out" <<'PYEOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(1.0)
end = time.monotonic() + 150
while time.monotonic() < end:
    try:
        print(s.recv(512).decode(), flush=True)
    except socket.timeout:
        pass
PYEOF
LISTENER=$!
while [ ! -S "$WORK/notify.sock" ]; do sleep 0.1; done
export XDG_RUNTIME_DIR="$WORK/xdg" WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
export QT_QPA_PLATFORM=xcb NOTIFY_SOCKET="$WORK/notify.sock" WATCHDOG_USEC=2000000
# No GPU in a headless run: Qt Quick draws in software.
export QT_QUICK_BACKEND=software
status=0
timeout 120 cage -d -- "$PY" -m ui.cli autopilot --journeys 1 --data-dir "$WORK/data" > "$WORK/cage.log" 2>&1 || status=$?
kill "$LISTENER" 2>/dev/null || true
ready=$(grep -c '^READY=1' "$WORK/notify.out" || true)
pings=$(grep -c '^WATCHDOG=1' "$WORK/notify.out" || true)
journey=$(grep -c '"receipt_printed": true' "$WORK/cage.log" || true)
echo "cage exit $status, READY=1 x$ready, WATCHDOG=1 x$pings, journeys with a printed receipt: $journey"
if [ "$status" != 0 ] || [ "$ready" -lt 1 ] || [ "$pings" -lt 1 ] || [ "$journey" -lt 1 ]; then
    echo "smoke test FAILED; the compositor's and the kiosk's output:" >&2
    tail -40 "$WORK/cage.log" >&2
    exit 1
fi
echo "smoke test passed"
