"""Factories for tests. Records that the app writes through services are built through the services,
so a test's data carries the same ledger events real data would."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from grants import services
from grants.models import AllotmentCategory, Company, Series
from grants.roles import AUDITOR, BOARD_SECRETARY, LEGAL_STAFF, ensure_roles
from holders import services as holder_services
from holders.models import Holder, Position


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw")
        if create:
            self.save(update_fields=["password"])


def user_with_role(role: str, username: str | None = None):
    ensure_roles()
    user = UserFactory(username=username or role.lower().replace(" ", "_"))
    user.groups.add(Group.objects.get(name=role))
    return user


def legal_user(username: str = "legal_staff"):
    return user_with_role(LEGAL_STAFF, username)


def secretary_user(username: str = "board_secretary"):
    return user_with_role(BOARD_SECRETARY, username)


def auditor_user(username: str = "auditor"):
    return user_with_role(AUDITOR, username)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Example Holdings {n} Inc.")
    securities_code = factory.Sequence(lambda n: f"{9000 + n}")


SEED_TERMS = dict(
    max_rights=135,
    shares_per_right=200,
    exercise_price_per_share_yen=Decimal("1"),
    exercise_period_start=date(2013, 7, 12),
    exercise_period_end=date(2043, 7, 11),
    allotment_date=date(2013, 7, 11),
    payment_date=date(2013, 7, 11),
    volatility_window_start=date(2005, 12, 2),
    dividend_fiscal_year_end=date(2013, 3, 31),
)


def issuer() -> Company:
    """The company tests work at unless they name one: the latest one entered, or a new one."""
    return Company.objects.order_by("-pk").first() or CompanyFactory()


def make_series(
    *, actor, company=None, number=None, name=None, resolve=True, resolver=None, **terms
) -> Series:
    """A series with the seed's terms unless overridden; resolved by default so rights can be allotted,
    by ``resolver`` or a board secretary of its own (four eyes: not the one who recorded it)."""
    company = company or issuer()
    number = number or (Series.objects.filter(company=company).count() + 3)
    values = {**SEED_TERMS, **terms}
    series = services.series_create(
        company=company,
        number=number,
        name=name or f"{company.name} Stock Acquisition Rights ({number})",
        actor=actor,
        **values,
    )
    if resolve:
        series = services.series_resolve(
            series=series,
            resolution_date=date(2013, 6, 26),
            resolution_reference="Board 2013-06-26",
            actor=resolver or secretary_user("series_resolver"),
        )
    return series


def make_holder(
    *,
    actor,
    name: str | None = None,
    title: str = Position.Title.DIRECTOR,
    since: date = date(2013, 6, 21),
    company: Company | None = None,
) -> Holder:
    """A holder in office (at ``company``, else at the tests' issuer) since ``since``."""
    holder = holder_services.holder_create(
        name=name or f"Holder {Holder.objects.count() + 1} (test)",
        address="1-1 Test-cho, Chiyoda-ku, Tokyo",
        address_from=date(2010, 4, 1),
        actor=actor,
    )
    holder_services.position_start(
        holder=holder, company=company or issuer(), title=title, started_on=since, actor=actor
    )
    return holder


def allot(*, series, holder, rights: int, actor, category: str = AllotmentCategory.DIRECTOR):
    return services.allotment_create(
        series=series, holder=holder, rights=rights, category=category, actor=actor
    )
