#!/bin/sh
# Sets up .venv with the project installed. On a fresh Debian machine python3 may lack
# venv/ensurepip (package python3-venv); install it when we can (root or sudo).
# Usage: scripts/setup.sh [test|quick]   -- "test" also installs the test tools and Chromium;
# "quick" the test tools only (for `make quick`, which runs no browser test).
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "setup: need root to run: $*" >&2; return 1; fi
}
apt_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null && \
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pip' 2>/dev/null; then
    rm -rf .venv
    if ! "$PY" -m venv .venv 2>/dev/null; then
        echo "setup: installing python3-venv" >&2
        rm -rf .venv
        ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install python3-venv "python$ver-venv" || apt_install python3-venv
        "$PY" -m venv .venv
    fi
fi

extras=""
case "${1:-}" in test|quick) extras="[test]" ;; esac
stamp=".venv/.installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras"
    touch "$stamp"
fi

if [ "${1:-}" = test ] && ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt_install chromium
fi
