"""Signing in with the second factor in tests: devices, current TOTP codes, verified sessions."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from equityplan.middleware import needs_second_factor


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator device (created when missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test app", confirmed=True)


def current_code(device: TOTPDevice, *, drift: int = 0) -> str:
    """The code the app would show now (``drift`` steps away), computed as RFC 6238 says."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + drift * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_session(client, user) -> None:
    """Mark the client's session as having given the second factor, as django_otp.login does."""
    if not needs_second_factor(user):
        return
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: django-otp refuses a code twice, so a second sign-in
    within one 30-second step uses the next step's code (within the tolerance), else waits for it."""
    import time

    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    drift = max(0, device.last_t + 1 - now)
    if drift > device.tolerance:
        time.sleep(device.step * (drift - device.tolerance))
        return fresh_code(device)
    return current_code(device, drift=drift)


def browser_log_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the real pages: the password, then the authenticator code where one is asked."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    device = totp_device(user) if needs_second_factor(user) else None
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        page.wait_for_url("**/login/second-factor/**")
        page.fill("#id_token", fresh_code(device))
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/dashboard/")
