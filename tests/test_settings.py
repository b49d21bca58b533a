"""Production settings refuse to start without their secrets, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-varied-0123456789",
    "ALLOWED_HOSTS": "equityplan.example.invalid",
    "DATABASE_URL": "postgres://user:pw@127.0.0.1:1/equityplan",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "MY_NUMBER_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS1ub3QtcmVhbC0hISE=",
    "ADMIN_PATH": "office-7f3a/",
    "TRUSTED_PROXY_COUNT": "1",
}


def run_check(
    env_overrides: dict[str, str], command: tuple[str, ...] = ("check", "--deploy", "--fail-level", "WARNING")
) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="equityplan.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_and_names_what_is_missing():
    result = run_check({k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"})
    assert result.returncode != 0
    assert "without these environment variables: REDIS_URL" in result.stderr


def test_production_refuses_to_start_without_the_my_number_key():
    result = run_check({k: v for k, v in PRODUCTION_ENV.items() if k != "MY_NUMBER_KEY"})
    assert result.returncode != 0
    assert "without these environment variables: MY_NUMBER_KEY" in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_ask_for_the_admin_path_and_the_proxy_count():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("ADMIN_PATH", "TRUSTED_PROXY_COUNT")}
    result = run_check(env)
    assert result.returncode != 0
    assert "equityplan.W001" in result.stderr and "equityplan.W002" in result.stderr


def test_load_demo_refuses_under_production_settings():
    result = run_check(PRODUCTION_ENV, command=("load_demo",))
    assert result.returncode != 0
    assert "load_demo refuses to run" in result.stderr
