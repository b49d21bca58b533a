import pytest

from tests.factories import auditor_user, legal_user, secretary_user


@pytest.fixture
def legal(db):
    return legal_user()


@pytest.fixture
def secretary(db):
    return secretary_user()


@pytest.fixture
def auditor(db):
    return auditor_user()
