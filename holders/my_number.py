"""My Number (個人番号): the check digit, encryption at rest and the masked form.

The Act on the Use of Numbers (番号法) limits who may see the number and why; the clear number is
kept only encrypted (Fernet, key from settings.MY_NUMBER_KEY) and shown only on a deliberate reveal
that is written to the holder's trail (docs/domain.md §7.5).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DIGITS = 12


def check_digit(first_eleven: str) -> int:
    """The 12th digit, Ordinance of the Ministry of Internal Affairs No. 85 of 2014, Art 5.

    P_n is the n-th digit counted from the right of the first eleven; Q_n = n + 1 for n <= 6 and
    n - 5 for n >= 7; the check digit is 0 when the sum mod 11 is at most 1, else 11 minus it.
    """
    total = sum(int(p) * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(first_eleven), start=1))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def normalised(value: str) -> str:
    """The number without the spaces or hyphens people type between its groups."""
    return "".join(ch for ch in value if ch not in " -\u3000")


def is_valid(value: str) -> bool:
    number = normalised(value)
    return (
        len(number) == DIGITS
        and number.isascii()
        and number.isdigit()
        and (check_digit(number[:11]) == int(number[11]))
    )


def _fernet() -> Fernet:
    key = getattr(settings, "MY_NUMBER_KEY", "")
    if not key:
        raise ImproperlyConfigured("MY_NUMBER_KEY is not set: My Number cannot be stored or read.")
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("My Number cannot be decrypted with MY_NUMBER_KEY (wrong key?).") from exc
