"""load_demo (docs/domain.md reading R45): never under production settings, never changing an existing user."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from grants.demo import DEMO_TOTP_SECRET
from grants.roles import AUDITOR, ensure_roles
from tests.infra.signing_in import current_code

pytestmark = pytest.mark.django_db


def test_refused_where_the_demo_is_not_allowed(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_an_existing_user_is_left_as_it_is():
    ensure_roles()
    admin = User.objects.create_user("admin", password="the-owners-own-passphrase")
    admin.groups.add(Group.objects.get(name=AUDITOR))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    admin.refresh_from_db()
    assert admin.check_password("the-owners-own-passphrase")
    assert not admin.check_password("admin-demo-pass")
    assert not admin.is_superuser and not admin.is_staff
    assert list(admin.groups.values_list("name", flat=True)) == [AUDITOR]
    assert not TOTPDevice.objects.filter(user=admin).exists()
    # The users it created have the demo's passwords, and the secretary the demo authenticator.
    secretary = User.objects.get(username="secretary")
    assert secretary.check_password("secretary-demo-pass")
    device = TOTPDevice.objects.get(user=secretary, confirmed=True)
    assert device.verify_token(current_code(device))
    assert DEMO_TOTP_SECRET in out.getvalue()
    # Run again: still nothing changed for anyone.
    secretary.set_password("changed-by-its-owner")
    secretary.save()
    call_command("load_demo", stdout=io.StringIO())
    secretary.refresh_from_db()
    assert secretary.check_password("changed-by-its-owner")
    assert TOTPDevice.objects.filter(user=secretary).count() == 1
