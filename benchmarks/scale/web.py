"""gunicorn with the production settings on loopback, a signed-in HTTP session, and RSS sampling.

Production redirects plain HTTP to HTTPS and marks its cookies Secure; on loopback the requests say
they came through a TLS proxy (X-Forwarded-Proto, as SECURE_PROXY_SSL_HEADER reads it) and the
session sends its cookies back over plain HTTP (`resend_secure_cookies`).
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "equityplan.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MY_NUMBER_KEY": "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE=",
        "PYTHONUNBUFFERED": "1",
    }


class Gunicorn:
    """gunicorn equityplan.wsgi with gunicorn.conf.py and 2 workers, as the Procfile runs it; stopped by its PID."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "equityplan.wsgi",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--no-control-socket"],
            cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait()

    def _wait(self) -> None:
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                requests.get(self.url + "/login/", headers=PROXY, timeout=5)
                if len(self.workers()) >= 2:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in 120 s; see {self.log}")

    def workers(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.Error:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()


PROXY = {"X-Forwarded-Proto": "https"}


def resend_secure_cookies(session: requests.Session) -> None:
    for cookie in session.cookies:
        cookie.secure = False


class Browser:
    """A signed-in session: GET and POST with the CSRF token and the headers production expects."""

    def __init__(self, base_url: str, username: str, password: str):
        self.base = base_url
        self.session = requests.Session()
        self.session.headers.update({**PROXY, "Referer": base_url.replace("http:", "https:") + "/"})
        self.get("/login/")
        response = self.post("/login/", {"username": username, "password": password}, allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"sign-in as {username} failed: HTTP {response.status_code}")

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 600)
        response = self.session.get(self.base + path, **kwargs)
        resend_secure_cookies(self.session)
        return response

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 600)
        token = self.session.cookies.get("csrftoken", "")
        response = self.session.post(self.base + path, data={"csrfmiddlewaretoken": token, **data}, **kwargs)
        resend_secure_cookies(self.session)
        return response


@dataclass
class Timed:
    status: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    @property
    def ok(self) -> bool:
        return bool(self.status) and all(s == 200 for s in self.status) and not self.error


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[k]


def time_get(
    browser: Browser, path: str, n: int, *, timeout: float = 120, stream: bool = False, budget: float = 60
) -> Timed:
    """``n`` GETs of ``path`` one after another (a failure or a timeout is recorded, not raised);
    fewer when they have taken ``budget`` seconds (at least 3), so a slow page costs minutes, not hours."""
    out = Timed()
    begun = time.perf_counter()
    for i in range(n):
        if i >= 3 and time.perf_counter() - begun > budget:
            break
        started = time.perf_counter()
        try:
            response = browser.get(path, timeout=timeout, stream=stream)
            size = (
                sum(len(chunk) for chunk in response.iter_content(1 << 16))
                if stream
                else len(response.content)
            )
        except requests.RequestException as exc:
            out.error = f"{type(exc).__name__}: {exc}"[:200]
            out.seconds.append(time.perf_counter() - started)
            break
        out.seconds.append(time.perf_counter() - started)
        out.status.append(response.status_code)
        out.sizes.append(size)
        if response.status_code >= 500:
            break  # one server error says it; the next 29 would only cost time
    return out


class RssSampler:
    """Peak resident memory of some processes, sampled every 20 ms in a thread."""

    def __init__(self, processes: list[psutil.Process]):
        self.processes = processes
        self.peak: dict[int, int] = {p.pid: 0 for p in processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for p in self.processes:
                try:
                    self.peak[p.pid] = max(self.peak[p.pid], p.memory_info().rss)
                except psutil.Error:
                    pass
            self._stop.wait(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def max_mib(self) -> float:
        return max(self.peak.values(), default=0) / 2**20
