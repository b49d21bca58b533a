"""Demo data: the seed notice's 3rd series (shared/seed/notice-3rd-series-2013.txt) with fictional people.

The issuer and every term come from the notice; the 17 holders, their addresses and contacts are
invented and say so. Each step is idempotent, so `load_demo` can run on every start.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from equityplan.middleware import needs_second_factor
from holders import services as holder_services
from holders.models import Holder, Position

from . import services
from .models import AllotmentCategory, Company, Series
from .roles import AUDITOR, BOARD_SECRETARY, LEGAL_STAFF, ensure_roles


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str | None
    full_name: str


DEMO_USERS = (
    DemoUser("legal", "legal-demo-pass", LEGAL_STAFF, "Hanako Legal (demo)"),
    DemoUser("secretary", "secretary-demo-pass", BOARD_SECRETARY, "Jiro Secretary (demo)"),
    DemoUser("auditor", "auditor-demo-pass", AUDITOR, "Aiko Auditor (demo)"),
    DemoUser("admin", "admin-demo-pass", None, "Administrator (demo)"),
)

# The demo's second factor (docs/domain.md reading R46) for the users who need one: an authenticator app
# keyed with DEMO_TOTP_SECRET (RFC 6238's test key, in base32, as printed in the README), and one
# recovery code each. Like the passwords, public: the demo never runs in production (R45).
DEMO_TOTP_KEY = b"12345678901234567890".hex()
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
DEMO_RECOVERY_CODES = {"secretary": "secretaryrecover", "admin": "adminrecovery001"}

SEED_RESOLUTION = date(2013, 6, 26)
SEED_ALLOTMENT = date(2013, 7, 11)
OFFICE_SINCE = date(2013, 6, 21)  # fictional: appointed at the AGM before the resolution

# Fictional people: 7 directors with 95 rights and 10 executive officers with 40, clause (15).
DEMO_DIRECTORS = (
    ("Ichiro Sample (fictional)", 25),
    ("Keiko Example (fictional)", 15),
    ("Masato Fabricated (fictional)", 15),
    ("Naoko Demo (fictional)", 10),
    ("Osamu Testdata (fictional)", 10),
    ("Rika Imaginary (fictional)", 10),
    ("Shun Invented (fictional)", 10),
)
DEMO_OFFICERS = tuple(
    (f"Officer {n} Madeup (fictional)", 4) for n in ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J")
)


def ensure_demo_users() -> dict[str, User]:
    """The demo's users, created when missing; a user that exists is never changed (docs/domain.md reading R45):
    no password reset, no superuser flag, no group, whatever its name."""
    ensure_roles()
    User = get_user_model()
    users = {}
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            first, _, last = demo.full_name.partition(" ")
            # An address for the morning digest (docs/domain.md reading R52); example.invalid never delivers.
            user = User(
                username=demo.username,
                first_name=first,
                last_name=last,
                email=f"{demo.username}@example.invalid",
            )
            user.is_staff = demo.role is None
            user.is_superuser = demo.role is None
            user.set_password(demo.password)
            user.save()
            if demo.role:
                user.groups.set([Group.objects.get(name=demo.role)])
            if needs_second_factor(user):
                enrol_demo_devices(user)
        users[demo.username] = user
    return users


def enrol_demo_devices(user: User) -> None:
    """The demo authenticator and recovery code of a user load_demo has just created."""
    TOTPDevice.objects.create(user=user, name="demo authenticator", key=DEMO_TOTP_KEY, confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token=DEMO_RECOVERY_CODES[user.username])


def seed_issuer(*, actor: User) -> Company:
    """The issuer of the seed notice, entered (once) as it stood on the day of the resolution."""
    return Company.objects.filter(securities_code="3774").first() or services.company_create(
        name="Internet Initiative Japan Inc.",
        name_ja="株式会社インターネットイニシアティブ",
        securities_code="3774",
        address="Iidabashi Grand Bloom, 2-10-2 Fujimi, Chiyoda-ku, Tokyo",
        # A fictional name, like the demo's holders: the extract and notices print the representative.
        representative="Representative Director and President Taro Demo (fictional)",
        effective_date=SEED_RESOLUTION,
        actor=actor,
    )


@transaction.atomic
def load_seed_series(*, users: dict) -> Series:
    """The 3rd series exactly as the notice states it, resolved and allotted to 17 fictional people."""
    legal, secretary = users["legal"], users["secretary"]
    company = seed_issuer(actor=legal)
    existing = Series.objects.filter(company=company, number=3).first()
    if existing is not None:
        return existing
    series = services.series_create(
        company=company,
        number=3,
        name="Internet Initiative Japan Inc. Stock Acquisition Rights (3rd series)",
        name_ja="株式会社インターネットイニシアティブ第3回新株予約権",
        max_rights=135,
        shares_per_right=200,
        exercise_price_per_share_yen=Decimal("1"),
        exercise_period_start=date(2013, 7, 12),
        exercise_period_end=date(2043, 7, 11),
        allotment_date=SEED_ALLOTMENT,
        payment_date=SEED_ALLOTMENT,
        share_class="common stock",
        transfer_requires_board_approval=True,
        transfer_prohibited_by_allotment_terms=True,
        certificates_issued=False,
        departure_window_days=10,
        heir_window_months=6,
        rounding_rule=Series.Rounding.TOTAL_CEIL,
        valuation_spot_rule=Series.SpotRule.CLOSE_ELSE_NEXT_BASE,
        valuation_term_years=Decimal("15"),
        volatility_frequency=Series.VolatilityFrequency.WEEKLY,
        volatility_window_start=date(2005, 12, 2),
        dividend_fiscal_year_end=date(2013, 3, 31),
        planned=[(AllotmentCategory.DIRECTOR, 7, 95), (AllotmentCategory.EXECUTIVE_OFFICER, 10, 40)],
        actor=legal,
    )
    series = services.series_resolve(
        series=series,
        resolution_date=SEED_RESOLUTION,
        resolution_reference="Board of Directors, 26 Jun 2013 (notice of issuance)",
        actor=secretary,
    )
    people = [(name, rights, AllotmentCategory.DIRECTOR) for name, rights in DEMO_DIRECTORS] + [
        (name, rights, AllotmentCategory.EXECUTIVE_OFFICER) for name, rights in DEMO_OFFICERS
    ]
    for index, (name, rights, category) in enumerate(people, start=1):
        holder = Holder.objects.filter(name=name).first() or holder_services.holder_create(
            name=name,
            address=f"{index}-1 Fictional-cho, Chiyoda-ku, Tokyo (demo address)",
            address_from=date(2010, 4, 1),
            email=f"holder{index}@example.invalid",
            actor=legal,
        )
        title = (
            Position.Title.DIRECTOR
            if category == AllotmentCategory.DIRECTOR
            else Position.Title.EXECUTIVE_OFFICER
        )
        if not holder.positions.exists():
            holder_services.position_start(
                holder=holder, company=series.company, title=title, started_on=OFFICE_SINCE, actor=legal
            )
        services.allotment_create(series=series, holder=holder, rights=rights, category=category, actor=legal)
    return services.series_close_allotment(series=series, actor=legal)


# Further demo steps (market data, valuations, lifecycle cases) append themselves here;
# each takes (users=..., series=...) and must be idempotent.
EXTRA_STEPS: list = []

from .demo_lifecycle import load_demo_lifecycle  # noqa: E402  (registers itself after the list exists)

EXTRA_STEPS.append(load_demo_lifecycle)
