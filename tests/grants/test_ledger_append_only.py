import pytest
from django.db import DatabaseError, connection, transaction

from equityplan.appendonly import AppendOnlyError
from grants.models import LedgerEvent
from holders.models import HolderEvent
from tests.factories import allot, make_holder, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    allot(series=series, holder=holder, rights=3, actor=legal)
    return LedgerEvent.objects.get(event_type="allotted")


def test_orm_refuses_to_edit_or_delete_a_ledger_event(event):
    event.rights_delta = 300
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.filter(pk=event.pk).update(rights_delta=300)
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.rights_delta == 3


def test_database_refuses_raw_sql_updates(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE grants_ledgerevent SET rights_delta = 300 WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.rights_delta == 3


def test_database_refuses_raw_sql_updates_of_holder_events(legal):
    make_holder(actor=legal)
    pk = HolderEvent.objects.values_list("pk", flat=True).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE holders_holderevent SET effective_date = '2000-01-01' WHERE id = %s", [pk])


@pytest.mark.postgres
def test_postgresql_refuses_raw_sql_deletes(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM grants_ledgerevent WHERE id = %s", [event.pk])
    assert LedgerEvent.objects.filter(pk=event.pk).exists()
