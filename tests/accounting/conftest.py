import pytest

from tests.factories import legal_user, secretary_user
from tests.factories.books import Books, build_books


@pytest.fixture
def legal(db):
    return legal_user()


@pytest.fixture
def secretary(db):
    return secretary_user()


@pytest.fixture
def books(legal, secretary) -> Books:
    """The small issuer of tests/factories/books.py."""
    return build_books(legal, secretary)
