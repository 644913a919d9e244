#!/usr/bin/env bash
# Create (once) the tools virtualenv and install tools/requirements.txt into it. Safe to re-run.
# DPT_TOOLS_VENV overrides the location (default tools/.venv); PYTHON picks the interpreter (default python3, 3.11+).
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${DPT_TOOLS_VENV:-$tools_dir/.venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required, got " + sys.version)'
  echo "creating virtualenv $venv" >&2
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$tools_dir/requirements.txt"
echo "tools virtualenv ready: $venv/bin/python" >&2
