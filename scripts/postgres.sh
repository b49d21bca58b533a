#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests: a fresh cluster in a temporary directory, listening on
# 127.0.0.1 on a port free at start time, its unix socket in that directory, trust authentication,
# fsync off, and one database "equityplan". Nothing of it outlives pg_stop.
#
# Sourced (as scripts/test.sh does):
#   pg_start   sets PG_TMPDIR, PG_PORT, PG_PID and exports DATABASE_URL
#   pg_stop    stops the server by its PID and removes PG_TMPDIR (safe to call twice)
# As a command:
#   scripts/postgres.sh start        starts one and prints PG_TMPDIR=..., PG_PORT=..., DATABASE_URL=...
#   scripts/postgres.sh stop DIR     stops the one whose PG_TMPDIR is DIR and removes DIR
#   scripts/postgres.sh restart DIR PORT   stops the server by its PID and starts it again on the same
#                                    port and data directory (the restart drill, tests/infra/postgres.py)
# Two roles besides the superuser, as in production (README, Production): equityplan_owner, which
# owns what migrations create, and equityplan_app, which the web, worker and beat use
# (scripts/grant_app_role.sql). The suite itself connects as the superuser: it creates its own test
# database, and its least-privilege test connects as equityplan_app.
# shellcheck shell=bash

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_DBNAME="${PG_DBNAME:-equityplan}"

# The directory holding initdb and pg_ctl: PostgreSQL 15 where installed, else the newest found.
pg_bindir() {
    local dir
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        echo /usr/lib/postgresql/15/bin
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# PostgreSQL refuses to run as root: as root, run its programs as the "postgres" user.
_as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_pg_postmaster_pid() {
    local pidfile="$1/data/postmaster.pid"
    [ -f "$pidfile" ] && head -n 1 "$pidfile"
}

_pg_server_start() {
    local bindir="$1" dir="$2" port="$3"
    _as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
}

pg_start() {
    local bindir attempt
    bindir="$(pg_bindir)" || {
        echo "error: PostgreSQL server programs not found (Debian: apt-get install postgresql)" >&2
        return 1
    }
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || {
            echo "error: running as root but there is no 'postgres' user to run PostgreSQL as" >&2
            return 1
        }
        # The postgres user must reach the directory, so keep it out of root's home.
        PG_TMPDIR="$(mktemp -d /tmp/equityplan-pg.XXXXXX)"
        chown postgres: "$PG_TMPDIR"
    else
        PG_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/equityplan-pg.XXXXXX")"
    fi
    chmod 700 "$PG_TMPDIR"

    if ! _as_pg "$bindir/initdb" -D "$PG_TMPDIR/data" -U postgres -A trust -E UTF8 --locale=C -N \
        >"$PG_TMPDIR/initdb.log" 2>&1; then
        cat "$PG_TMPDIR/initdb.log" >&2
        echo "error: initdb failed" >&2
        return 1
    fi

    # A port free now may be taken before the server binds it: try a few.
    for attempt in 1 2 3; do
        PG_PORT="$(free_port)"
        if _pg_server_start "$bindir" "$PG_TMPDIR" "$PG_PORT"; then
            break
        fi
        PG_PORT=""
        echo "warning: PostgreSQL did not start (attempt $attempt); log:" >&2
        tail -n 20 "$PG_TMPDIR/postgres.log" >&2 || true
    done
    if [ -z "$PG_PORT" ]; then
        echo "error: could not start PostgreSQL" >&2
        return 1
    fi
    PG_PID="$(_pg_postmaster_pid "$PG_TMPDIR")"

    if ! "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DBNAME"; then
        echo "error: createdb $PG_DBNAME failed" >&2
        return 1
    fi
    if ! "$bindir/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DBNAME" \
        -c "CREATE ROLE equityplan_owner LOGIN CREATEDB; CREATE ROLE equityplan_app LOGIN;" >/dev/null; then
        echo "error: creating the owner and application roles failed" >&2
        return 1
    fi
    export PG_TMPDIR PG_PORT PG_PID PG_BINDIR="$bindir"
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DBNAME"
    export PG_OWNER_ROLE=equityplan_owner PG_APP_ROLE=equityplan_app
}

# Stop the server by its PID (fast shutdown: clients are cut off) and start it on the same port.
pg_restart() {
    local dir="$1" port="$2" bindir pid i
    bindir="$(pg_bindir)" || return 1
    pid="$(_pg_postmaster_pid "$dir")" || return 1
    kill -INT "$pid"
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    _pg_server_start "$bindir" "$dir" "$port"
}

pg_stop() {
    local dir="${1:-${PG_TMPDIR:-}}" bindir pid i
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    pid="$(_pg_postmaster_pid "$dir" || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        bindir="$(pg_bindir || true)"
        if [ -z "$bindir" ] || ! _as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
    if [ "$dir" = "${PG_TMPDIR:-}" ]; then
        PG_TMPDIR=""
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
    start)
        pg_start || {
            pg_stop
            exit 1
        }
        echo "PG_TMPDIR=$PG_TMPDIR"
        echo "PG_PORT=$PG_PORT"
        echo "PG_PID=$PG_PID"
        echo "DATABASE_URL=$DATABASE_URL"
        ;;
    stop)
        [ -n "${2:-}" ] || die "usage: scripts/postgres.sh stop DIR"
        pg_stop "$2"
        ;;
    restart)
        [ -n "${2:-}" ] && [ -n "${3:-}" ] || die "usage: scripts/postgres.sh restart DIR PORT"
        pg_restart "$2" "$3"
        ;;
    *) die "usage: scripts/postgres.sh start | stop DIR | restart DIR PORT" ;;
    esac
fi
