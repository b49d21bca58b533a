#!/usr/bin/env bash
# `make test`: every check, in this order, each run even when an earlier one failed:
#   0. the runtime packages alone (requirements.txt, as `make run` installs them) import and check;
#      in the background from the start (it mostly waits on pip), reported after the last step
#   1. ruff check .            2. ruff format --check .
#   2b. lint-imports           (the architecture's import contracts, pyproject.toml)
#   3. mypy                    (django-stubs; the packages listed in pyproject.toml [tool.mypy])
#   4. pytest on SQLite        (all but `postgres` and `browser` tests; parallel, pytest-xdist)
#   5. pytest browser tests    (real Chromium against Django's live server; one process)
#   6. pytest on PostgreSQL 15 (all but `browser` tests, `postgres` ones included, and only the tests
#                              that can reach the database: the others ran in step 4, tests/README.md),
#                              on a throwaway server started here and stopped by its PID whatever happens
# The summary gives each step's result and how long it took.
# Exits non-zero when any step fails. Environment knobs:
#   PYTEST_WORKERS=2 (0 = no xdist)    TEST_STEP_TIMEOUT=1800 (seconds per pytest step)
#   PYTEST_ARGS="..." (appended to every pytest run, e.g. "-x" or "-k allot")
set -uo pipefail
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/postgres.sh"
cd "$REPO_ROOT" || exit 1

[ -x "$VENV/bin/python" ] || die "no .venv: run scripts/bootstrap.sh test first (make test does)"
export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=equityplan.settings.test
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export PYTHONDONTWRITEBYTECODE=1
# The SQLite steps must not reach a database or a Redis from the caller's environment.
unset DATABASE_URL REDIS_URL

workers="${PYTEST_WORKERS:-2}"
step_timeout="${TEST_STEP_TIMEOUT:-1800}"
read -r -a extra_args <<<"${PYTEST_ARGS:-}"
junit_dir="test-artifacts/junit"
# WhiteNoise warns on every request when STATIC_ROOT is missing (a fresh clone); tests need no
# collected files, only the directory.
mkdir -p staticfiles
rm -rf "$junit_dir"
mkdir -p "$junit_dir"

trap 'pg_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

names=()
results=()
seconds=()
failed=0
step_started=$SECONDS

# start_step: the clock of the next recorded step starts now.
start_step() { step_started=$SECONDS; }

# record NAME EXIT_CODE [NO_TESTS_OK]: pytest's 5 (no test collected) fails unless NO_TESTS_OK.
record() {
    local name="$1" rc="$2" no_tests_ok="${3:-}" result
    case "$rc" in
    0) result="ok" ;;
    5) if [ -n "$no_tests_ok" ]; then result="ok (no tests selected)"; else result="FAILED (no tests collected)"; fi ;;
    124 | 137) result="FAILED (timed out after ${step_timeout}s)" ;;
    *) result="FAILED (exit $rc)" ;;
    esac
    [[ "$result" == FAILED* ]] && failed=1
    names+=("$name")
    results+=("$result")
    seconds+=($((SECONDS - step_started)))
    log "$name: $result ($((SECONDS - step_started))s)"
}

# loadgroup: tests marked xdist_group (a module-scoped data set) stay on one worker, the others are
# handed out one by one as workers free up (the slow sweeps are first in line, tests/conftest.py).
xdist_args() {
    if [ "$workers" != 0 ]; then echo "-n $workers --dist loadgroup"; fi
}

# run_pytest NAME JUNIT_NAME NO_TESTS_OK ARGS...: one pytest run under a time limit, recorded.
run_pytest() {
    local name="$1" junit="$2" no_tests_ok="$3" rc
    shift 3
    start_step
    log "$name: pytest $*"
    timeout --foreground -k 30 "$step_timeout" \
        pytest "$@" --junitxml="$junit_dir/$junit.xml" "${extra_args[@]}"
    rc=$?
    record "$name" "$rc" "$no_tests_ok"
}

# --- 0: the runtime packages alone ----------------------------------------------------------------
# The test environment adds packages that can hide a missing runtime dependency (kombu's Redis
# transport imports `packaging` without declaring it): check the app, the Celery app and its tasks
# in a virtual environment built from requirements.txt only, kept between runs by a hash stamp.
runtime_check() {
    local venv="$REPO_ROOT/.venv-runtime" want tmp rc
    want="$(python3 --version 2>&1) $(sha256sum requirements.txt | cut -d' ' -f1)"
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$want" ]; then
        rm -rf "$venv"
        # --no-compile: the check imports a few modules once; byte-compiling every file took half the time.
        python3 -m venv "$venv" && "$venv/bin/pip" install -q --no-compile -r requirements.txt 2> >(grep -v "^WARNING: Location" >&2) || return 1
        echo "$want" >"$venv/.stamp"
    fi
    tmp="$(mktemp -d)"
    DJANGO_SETTINGS_MODULE=equityplan.settings.local DATABASE_URL="sqlite:///$tmp/check.sqlite3" \
        "$venv/bin/python" -c '
import django
django.setup()
import kombu.transport.redis  # noqa: F401  (the broker transport the worker loads)
from django.core.management import call_command
from equityplan.celery import app
app.loader.import_default_modules()
call_command("check")
call_command("migrate", verbosity=0)
print("runtime packages: app, migrations and", len([t for t in app.tasks if not t.startswith("celery.")]), "tasks load")
'
    rc=$?
    rm -rf "$tmp"
    return $rc
}
log "runtime packages: requirements.txt alone (in the background; its output comes after the last step)"
runtime_log="$(mktemp)"
(
    started=$SECONDS
    runtime_check >"$runtime_log" 2>&1
    echo "$? $((SECONDS - started))" >"$runtime_log.rc"
) &
runtime_pid=$!
trap 'kill "$runtime_pid" 2>/dev/null; pg_stop' EXIT

# --- 1, 2: lint and format -------------------------------------------------------------------
log "ruff check"
start_step
ruff check .
record "ruff check" $?
log "ruff format --check"
start_step
ruff format --check .
record "ruff format" $?

# --- 2b: the architecture ------------------------------------------------------------------
log "lint-imports (pyproject.toml [tool.importlinter])"
start_step
lint-imports
record "import contracts" $?

# --- 3: types --------------------------------------------------------------------------------
log "mypy"
start_step
mypy
record "mypy" $?

# --- 4: SQLite -------------------------------------------------------------------------------
# shellcheck disable=SC2046
run_pytest "pytest sqlite" sqlite "" -m "not postgres and not browser" $(xdist_args)

# --- 5: browser ------------------------------------------------------------------------------
# Live server and Chromium per process: run these in one process, not under xdist.
run_pytest "pytest browser" browser yes -m "browser and not postgres" -p no:xdist

# --- 6: PostgreSQL ---------------------------------------------------------------------------
if pg_bindir >/dev/null; then
    log "starting a throwaway PostgreSQL"
    if pg_start; then
        log "PostgreSQL $(basename "$(dirname "$(pg_bindir)")") on 127.0.0.1:$PG_PORT (pid $PG_PID, $PG_TMPDIR)"
        # shellcheck disable=SC2046
        run_pytest "pytest postgres" postgres "" -m "not browser and not restarts_postgres" \
            --database-tests-only $(xdist_args)
        # The restart drill stops the shared server: alone, after the parallel run.
        run_pytest "pytest postgres restart" postgres-restart yes -m "restarts_postgres" -p no:xdist
    else
        names+=("pytest postgres")
        results+=("FAILED (could not start PostgreSQL)")
        seconds+=("")
        failed=1
    fi
    pg_stop
    unset DATABASE_URL
elif [ "${CI:-}" = true ]; then
    names+=("pytest postgres")
    results+=("FAILED (PostgreSQL is not installed; scripts/bootstrap.sh test installs it as root)")
    seconds+=("")
    failed=1
else
    warn "PostgreSQL is not installed: the postgres step is NOT run (it fails in CI)"
    names+=("pytest postgres")
    results+=("NOT RUN (PostgreSQL is not installed)")
    seconds+=("")
fi

# --- 0, reported: the runtime packages -------------------------------------------------------
wait "$runtime_pid"
log "runtime packages: requirements.txt alone"
cat "$runtime_log"
read -r runtime_rc runtime_seconds <"$runtime_log.rc" || runtime_rc=1 runtime_seconds=0
rm -f "$runtime_log" "$runtime_log.rc"
step_started=$((SECONDS - runtime_seconds))
record "runtime packages" "$runtime_rc"

# --- summary ---------------------------------------------------------------------------------
printf '\n==> summary\n'
for i in "${!names[@]}"; do
    if [ -n "${seconds[$i]:-}" ]; then
        printf '%-24s %-28s %4ds\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
    else
        printf '%-24s %s\n' "${names[$i]}" "${results[$i]}"
    fi
done
printf '%-24s %-28s %4ds\n' "total" "" "$SECONDS"
python - "$junit_dir" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

passed = failed = skipped = 0
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for suite in root.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - bad - skip
        failed += bad
        skipped += skip
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$failed"
