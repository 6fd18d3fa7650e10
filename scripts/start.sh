#!/usr/bin/env bash
# Install the app's dependencies in .venv and start it on the embedded SQLite
# database (data/dwigital.db, created and migrated on first start).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/streamlit run server.py "$@"
