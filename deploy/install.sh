#!/bin/sh
# Turns a bare Debian 12 machine into a kiosk: packages, the kiosk user, the application in
# /opt/kiosk, the systemd unit and the lockdown settings. Run as root from a checkout of the project:
#     sudo sh deploy/install.sh            (then: sudo -u kiosk /opt/kiosk/venv/bin/kiosk maintenance set-pin)
# Safe to run again (an update): it replaces /opt/kiosk/app, keeps /var/lib/kiosk and /etc/kiosk.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=/opt/kiosk

if [ "$(id -u)" != 0 ]; then echo "install.sh: run it as root (sudo)" >&2; exit 1; fi

# 1. Packages: the compositor, Xwayland, the libraries Qt's xcb plugin and the virtual keyboard need,
#    fonts with Chinese, zbar, speech, and Python.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    cage xwayland python3 python3-venv \
    fonts-noto-cjk libzbar0 libpulse0 \
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
    speech-dispatcher espeak-ng speech-dispatcher-espeak-ng v4l-utils usbutils ca-certificates systemd-timesyncd

# 2. The kiosk user: owns nothing but its state; may use serial ports, cameras and input devices.
if ! id kiosk >/dev/null 2>&1; then
    useradd --system --create-home --home-dir /var/lib/kiosk-home --shell /usr/sbin/nologin kiosk
fi
usermod -aG dialout,video,input,render kiosk

# 3. The application: a copy of the checkout and its own virtual environment.
mkdir -p "$PREFIX"
rm -rf "$PREFIX/app.new"
cp -a "$SRC" "$PREFIX/app.new"
rm -rf "$PREFIX/app.new/.venv" "$PREFIX/app.new/.git"
[ -d "$PREFIX/venv" ] || python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/pip" install -q --upgrade pip
"$PREFIX/venv/bin/pip" install -q "$PREFIX/app.new"
rm -rf "$PREFIX/app.old"
[ -d "$PREFIX/app" ] && mv "$PREFIX/app" "$PREFIX/app.old"
mv "$PREFIX/app.new" "$PREFIX/app"

# 4. Configuration that survives updates: /etc/kiosk (secret) and /var/lib/kiosk (technicians' settings).
install -d -m 0750 -o root -g kiosk /etc/kiosk
[ -f /etc/kiosk/secret ] || echo "install.sh: put the platform secret in /etc/kiosk/secret (mode 0640, group kiosk)"
install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk
# The screens' QML byte-code, compiled now into the cache the unit reads (XDG_CACHE_HOME in kiosk.service,
# ui/qml_cache.py), so the first start after an update does not compile them (issue 22: start-up).
install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk/cache
runuser -u kiosk -- env XDG_CACHE_HOME=/var/lib/kiosk/cache QT_QPA_PLATFORM=offscreen \
    "$PREFIX/venv/bin/kiosk" qml-cache || echo "install.sh: the QML cache was not built (the kiosk compiles at start)"
# The outbox key, sealed with the TPM2 when the machine has one, else with the host secret
# (/var/lib/systemd/credential.secret, root-only); systemd unseals it for the unit (LoadCredentialEncrypted=).
# A kiosk updated from the old layout moves its queue under this key at its next start (docs/security.md).
if [ ! -f /etc/kiosk/outbox.key.cred ]; then
    head -c 32 /dev/urandom | systemd-creds encrypt --with-key=auto --name=outbox.key - /etc/kiosk/outbox.key.cred
    chmod 0600 /etc/kiosk/outbox.key.cred
fi
# The audit trail's MAC key, sealed the same way: whoever can edit the trail on the data disk must not find
# the key to re-MAC it (kiosk/audit/key.py reads the credential kiosk-audit-key).
if [ ! -f /etc/kiosk/audit.key.cred ]; then
    head -c 32 /dev/urandom | systemd-creds encrypt --with-key=auto --name=kiosk-audit-key - /etc/kiosk/audit.key.cred
    chmod 0600 /etc/kiosk/audit.key.cred
fi

# 5. systemd: the unit, and the lockdown (no other consoles, buttons ignored, no SysRq, bounded journal).
install -m 0644 "$SRC/deploy/kiosk.service" /etc/systemd/system/kiosk.service
install -d /etc/systemd/logind.conf.d /etc/systemd/journald.conf.d /etc/sysctl.d /etc/udev/rules.d
install -m 0644 "$SRC/deploy/logind-kiosk.conf" /etc/systemd/logind.conf.d/kiosk.conf
install -m 0644 "$SRC/deploy/journald-kiosk.conf" /etc/systemd/journald.conf.d/kiosk.conf
install -m 0644 "$SRC/deploy/sysctl-kiosk.conf" /etc/sysctl.d/90-kiosk.conf
install -m 0644 "$SRC/deploy/99-kiosk-devices.rules" /etc/udev/rules.d/99-kiosk-devices.rules
systemd-analyze verify /etc/systemd/system/kiosk.service
systemctl mask getty@tty1.service
systemctl set-default graphical.target
systemctl daemon-reload
systemctl enable kiosk.service
systemctl enable --now systemd-timesyncd.service || true
sysctl -q --system || true
udevadm control --reload-rules || true

echo "install.sh: done. Next: set the PIN (sudo -u kiosk $PREFIX/venv/bin/kiosk maintenance set-pin),"
echo "check the machine (sudo -u kiosk $PREFIX/venv/bin/kiosk doctor), then reboot."
