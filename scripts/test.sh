#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium for the browser tests
# included), make sure the database servers run, and run the whole suite on
# SQLite, PostgreSQL and MariaDB.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
bash scripts/browser.sh
bash scripts/services.sh
exec .venv/bin/pytest "$@"
