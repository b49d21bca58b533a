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
