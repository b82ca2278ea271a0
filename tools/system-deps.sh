#!/bin/sh
# Installs the Debian packages the kiosk needs, only those that are missing. systemd and cage are here
# because `systemd-analyze verify deploy/kiosk.service` checks that ExecStart's /usr/bin/cage exists
# (a fresh machine without cage failed make test); deploy/install.sh installs cage on a kiosk too.
# speech-dispatcher-espeak-ng is only a Recommends of speech-dispatcher, which --no-install-recommends skips:
# without it the voice is silent; pulseaudio(-utils) give the voice test its null sink and recorder.
# cups (cupsd and its filters), cups-client and printer-driver-cups-pdf: the A4 printer's tests start a private cupsd with a
# cups-pdf queue (tests/helpers/cupsd.py); a kiosk with an A4 printer needs cupsd anyway.
# chromium and chromium-driver: the staff pages' browser tests drive Debian's Chromium through Selenium
# (tests/helpers/chromium.py), never a browser downloaded at run time.
# As root it installs them with apt-get; otherwise it prints the command to run and fails,
# because the tests and the demo cannot work without them.
set -eu
PKGS="postgresql chromium chromium-driver systemd cage libzbar0 sane-utils fonts-noto-cjk fonts-wqy-zenhei fonts-babelstone-han libpulse0 poppler-utils libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 speech-dispatcher espeak-ng speech-dispatcher-espeak-ng pulseaudio pulseaudio-utils xvfb xauth gcc libc6-dev cups cups-daemon cups-client printer-driver-cups-pdf"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-like system; make sure these are installed: $PKGS" >&2
    exit 0
fi
missing=""
for p in $PKGS; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "system-deps: missing Debian packages:$missing"
if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    # shellcheck disable=SC2086
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
    echo "system-deps: not root and no password-less sudo. Please run:" >&2
    echo "    sudo apt-get install --no-install-recommends$missing" >&2
    echo "then run make again." >&2
    exit 1
fi
