"""The throwaway PostgreSQL of the test command (scripts/postgres.sh): where it is, and a restart."""

import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def throwaway_server() -> tuple[str, str]:
    """(data directory, port) of the server scripts/postgres.sh started, from its environment."""
    tmpdir, port = os.environ.get("PG_TMPDIR"), os.environ.get("PG_PORT")
    assert tmpdir and port, "PG_TMPDIR and PG_PORT are set by scripts/postgres.sh pg_start (make test does)"
    return tmpdir, port


def restart_postgres() -> None:
    """Stop the server by its PID (fast shutdown) and start it again on the same port and data dir."""
    tmpdir, port = throwaway_server()
    subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "postgres.sh"), "restart", tmpdir, port], check=True, timeout=120
    )
