"""Every write to holders: one function per action, each leaving one HolderEvent with its actor.

The events are built by the constructors of `holders.events`.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies.models import Company
from equityplan.bulk import clean_given
from equityplan.clock import check_not_future, today

from . import events, my_number
from .access import HOLDER_ROLE
from .models import Heir, Holder, HolderAddress, HolderLogin, Position
from .tally import tally_change

__all__ = [
    "DETAIL_FIELDS",
    "NewHolder",
    "heir_record",
    "holder_change_address",
    "holder_create",
    "holder_login_create",
    "holder_my_number_read",
    "holder_my_number_set",
    "holder_record_death",
    "holder_update_details",
    "holders_create_many",
    "position_end",
    "position_start",
]


@transaction.atomic
def holder_create(
    *,
    name: str,
    address: str,
    address_from: date,
    actor: User,
    name_kana: str = "",
    email: str = "",
    phone: str = "",
    language: str = "ja",
) -> Holder:
    holder = _new_holder(name=name, name_kana=name_kana, email=email, phone=phone, language=language)
    holder.full_clean()
    holder.save()
    entry = HolderAddress(holder=holder, address=address.strip(), valid_from=address_from)
    entry.full_clean()
    entry.save()
    events.event_holder_created(holder=holder, address=entry, actor=actor)
    tally_change(holders=1)
    return holder


def _new_holder(*, name: str, name_kana: str, email: str, phone: str, language: str) -> Holder:
    return Holder(
        name=name.strip(),
        name_kana=name_kana.strip(),
        email=email.strip(),
        phone=phone.strip(),
        language=language,
    )


@transaction.atomic
def holder_change_address(*, holder: Holder, address: str, valid_from: date, actor: User) -> HolderAddress:
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    before = holder.address_on(valid_from)
    if HolderAddress.objects.filter(holder=holder, valid_from=valid_from).exists():
        raise ValidationError(_("An address is already registered from that date."), code="duplicate")
    entry = HolderAddress(holder=holder, address=address.strip(), valid_from=valid_from)
    entry.full_clean()
    entry.save()
    events.event_address_changed(address=entry, address_before=before, actor=actor)
    return entry


@transaction.atomic
def position_start(
    *, holder: Holder, company: Company, title: str, started_on: date, actor: User
) -> Position:
    """Office taken at a company; only an office at a series' issuer counts for its rights (11)2."""
    check_not_future(started_on=started_on)
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    _check_alive(holder)
    held = set(
        Position.objects.filter(holder=holder, ended_on__isnull=True).values_list("company_id", "title")
    )
    if (company.pk, title) in held:
        raise ValidationError(_("This holder already holds that position."), code="already_held")
    position = Position(holder=holder, company=company, title=title, started_on=started_on)
    position.full_clean()
    position.save()
    events.event_position_started(position=position, actor=actor)
    if not held:
        tally_change(in_office=1)  # a first office: the holder comes into office
    return position


def _check_alive(holder: Holder) -> None:
    if holder.died_on is not None:
        raise ValidationError(_("A deceased holder cannot take office."), code="deceased")


@dataclass(frozen=True)
class NewHolder:
    """One person for ``holders_create_many``: what ``holder_create`` and ``position_start`` take."""

    name: str
    address: str
    address_from: date
    title: str
    started_on: date
    name_kana: str = ""
    email: str = ""


@transaction.atomic
def holders_create_many(*, people: Sequence[NewHolder], company: Company, actor: User) -> list[Holder]:
    """``holder_create`` then ``position_start`` at ``company`` for each person, with bulk inserts: the
    same records and events in the same order. Each is checked as those services check one (a new
    holder is alive and holds no office yet); a refusal names the person, counted from 1, and writes
    nothing. The records' foreign keys and constraints are checked by the database at the insert."""
    holders = []
    for number, person in enumerate(people, start=1):
        with _row(number):
            check_not_future(started_on=person.started_on)
            holder = _new_holder(
                name=person.name, name_kana=person.name_kana, email=person.email, phone="", language="ja"
            )
            clean_given(holder)
            _check_alive(holder)
            holders.append(holder)
    Holder.objects.bulk_create(holders)
    addresses, positions = [], []
    for number, (person, holder) in enumerate(zip(people, holders, strict=True), start=1):
        with _row(number):
            entry = HolderAddress(
                holder=holder, address=person.address.strip(), valid_from=person.address_from
            )
            position = Position(
                holder=holder, company=company, title=person.title, started_on=person.started_on
            )
            clean_given(entry)
            clean_given(position)
        addresses.append(entry)
        positions.append(position)
    HolderAddress.objects.bulk_create(addresses)
    Position.objects.bulk_create(positions)
    trail = []
    for holder, entry, position in zip(holders, addresses, positions, strict=True):
        trail.append(events.holder_created_row(holder=holder, address=entry, actor=actor))
        trail.append(events.position_started_row(position=position, actor=actor))
    events.holder_event_record_many(trail)
    tally_change(holders=len(holders), in_office=len(holders))
    return holders


@contextmanager
def _row(number: int) -> Iterator[None]:
    """A refusal while one row is handled names the row (counted from 1)."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(
            _("Row %(row)d: %(reason)s"), code="row", params={"row": number, "reason": " ".join(exc.messages)}
        ) from exc


@transaction.atomic
def position_end(*, position: Position, ended_on: date, reason: str, actor: User) -> Position:
    check_not_future(ended_on=ended_on)
    # The holder first, then the position, in the order of every service that changes their office:
    # their office, and so the tally's step, is decided under the holder's lock (holders/tally.py).
    Holder.objects.select_for_update(of=("self",)).get(positions__pk=position.pk)
    position = Position.objects.select_for_update().select_related("holder").get(pk=position.pk)
    if position.ended_on is not None:
        raise ValidationError(_("This position has already ended."), code="already_ended")
    if ended_on < position.started_on:
        raise ValidationError(_("A position cannot end before it started."), code="before_start")
    if reason not in Position.EndReason.values:
        raise ValidationError(_("Choose why the position ended."), code="reason")
    position.ended_on = ended_on
    position.end_reason = reason
    position.full_clean()
    position.save(update_fields=["ended_on", "end_reason"])
    events.event_position_ended(position=position, actor=actor)
    if not Position.objects.filter(holder_id=position.holder_id, ended_on__isnull=True).exists():
        tally_change(in_office=-1)  # the last office ended
    return position


@transaction.atomic
def holder_record_death(*, holder: Holder, died_on: date, actor: User) -> Holder:
    """Record a holder's death: open positions end that day with reason death (not a departure, (11)2)."""
    check_not_future(died_on=died_on)
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    if holder.died_on is not None:
        raise ValidationError(_("This holder's death is already recorded."), code="already_dead")
    open_positions = list(Position.objects.select_for_update().filter(holder=holder, ended_on__isnull=True))
    for position in open_positions:
        if died_on < position.started_on:
            raise ValidationError(_("The date of death is before a position started."), code="before_start")
    for position in open_positions:
        position.ended_on = died_on
        position.end_reason = Position.EndReason.DEATH
        position.full_clean()
        position.save(update_fields=["ended_on", "end_reason"])
    holder.died_on = died_on
    holder.full_clean()
    holder.save(update_fields=["died_on"])
    events.event_holder_died(holder=holder, positions_ended=open_positions, actor=actor)
    tally_change(deceased=1, in_office=-1 if open_positions else 0)
    return holder


@transaction.atomic
def heir_record(
    *, deceased: Holder, heir: Holder, designated_on: date, actor: User, relationship: str = ""
) -> Heir:
    """Record the one legal heir of a deceased holder, notice (11)3; the database refuses a second."""
    check_not_future(designated_on=designated_on)
    deceased = Holder.objects.select_for_update().get(pk=deceased.pk)
    if deceased.died_on is None:
        raise ValidationError(_("An heir can be designated only for a deceased holder."), code="not_dead")
    if heir.pk == deceased.pk:
        raise ValidationError(_("A holder cannot be their own heir."), code="self")
    if heir.died_on is not None:
        raise ValidationError(_("A deceased person cannot be designated as heir."), code="heir_dead")
    if Heir.objects.filter(deceased=deceased).exists():
        raise ValidationError(
            _("An heir is already designated: only one heir may succeed."), code="second_heir"
        )
    entry = Heir(deceased=deceased, heir=heir, designated_on=designated_on, relationship=relationship.strip())
    entry.full_clean(validate_constraints=False)  # the unique constraint is the database's backstop
    entry.save()
    events.event_heir_designated(heir=entry, actor=actor)
    return entry


DETAIL_FIELDS = ("name", "name_kana", "email", "phone", "language")


@transaction.atomic
def holder_update_details(*, holder: Holder, effective_date: date, actor: User, **details: str) -> Holder:
    """Correct or change a holder's name and contact details, with the before and after on the trail.

    The name is on the statutory register (Art 249), so a change is never silent: one HolderEvent
    carries the old and new values and the date from which the change applies.
    """
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown holder details: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    before, after = {}, {}
    for field, value in details.items():
        value = (value or "").strip()
        if getattr(holder, field) != value:
            before[field], after[field] = getattr(holder, field), value
            setattr(holder, field, value)
    if not after:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    holder.full_clean()
    holder.save(update_fields=list(after))
    events.event_details_changed(
        holder=holder, before=before, after=after, effective_date=effective_date, actor=actor
    )
    return holder


@transaction.atomic
def holder_my_number_set(*, holder: Holder, number: str, actor: User) -> Holder:
    """Record (or replace) the holder's My Number, encrypted; refused unless its check digit holds.

    The annual report on exercises needs it (Income Tax Act Art 228-2, docs/domain.md §7.5).
    """
    clear = my_number.normalised(number or "")
    if not my_number.is_valid(clear):
        message = _("A My Number is 12 digits whose last digit is its check digit; this one is not.")
        raise ValidationError({"number": ValidationError(message, code="my_number")})
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    replaced = bool(holder.my_number_encrypted)
    holder.my_number_encrypted = my_number.encrypt(clear)
    holder.my_number_last4 = clear[-4:]
    holder.save(update_fields=["my_number_encrypted", "my_number_last4"])
    events.event_my_number_set(holder=holder, replaced=replaced, effective_date=today(), actor=actor)
    return holder


@transaction.atomic
def holder_my_number_read(*, holder: Holder, purpose: str, actor: User) -> str:
    """The clear My Number, for one who has ``holders.view_my_number``; every read is on the trail."""
    if not actor.has_perm("holders.view_my_number"):
        raise ValidationError(_("You may not read My Numbers."), code="permission")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": ValidationError(_("Say why the number is read."), code="required")})
    holder = Holder.objects.get(pk=holder.pk)
    if not holder.my_number_encrypted:
        raise ValidationError(_("No My Number is recorded for this holder."), code="none")
    clear = my_number.decrypt(holder.my_number_encrypted)
    events.event_my_number_read(holder=holder, purpose=purpose, effective_date=today(), actor=actor)
    return clear


@transaction.atomic
def holder_login_create(*, holder: Holder, username: str, password: str, actor: User) -> HolderLogin:
    """Give a holder (or heir) a sign-in to their own view: a new user in the Holder role only.

    The user gets no other role and no company access: every staff page refuses them (403), and the
    holder's pages read this link alone (docs/domain.md reading R54).
    """
    if not actor.has_perm("holders.record_holder_events"):
        raise ValidationError(_("You may not give sign-ins."), code="permission")
    holder = Holder.objects.select_for_update().get(pk=holder.pk)
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": ValidationError(_("Give a user name."), code="required")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ValidationError(_("That user name is taken."), code="duplicate")})
    user = User(username=username, email=holder.email, first_name=holder.name[:150])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    group, _created = Group.objects.get_or_create(name=HOLDER_ROLE)
    user.groups.add(group)
    login = HolderLogin(user=user, holder=holder, created_by=actor)
    login.full_clean()
    login.save()
    events.event_login_granted(login=login, actor=actor)
    return login
