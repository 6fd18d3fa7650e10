#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/e2e) if it is missing.
# Playwright's own browser download is never used.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "Chromium is missing and neither root nor sudo is available:" \
            "install it with 'apt-get install -y chromium'." >&2
        exit 1
    fi
}

export DEBIAN_FRONTEND=noninteractive
if ! as_root apt-get install -y chromium; then
    as_root apt-get update
    as_root apt-get install -y chromium
fi
