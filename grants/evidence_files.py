"""What an evidence file is, decided by its content, never by its name or the browser's word
(docs/domain.md reading R56): a PDF, a JPEG or a PNG that opens as one, within the size limit.

Images are opened and verified with Pillow (a truncated or forged image fails); a PDF must start
with the ``%PDF-`` header and end with an ``%%EOF`` trailer, and a PDF carrying JavaScript or a
launch action is refused (a reader would run it when the file is opened).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b")


@dataclass(frozen=True)
class CheckedFile:
    media_type: str
    extension: str


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def _image(data: bytes, expected: str) -> None:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                found = image.format
        except Exception as exc:  # Pillow raises many kinds for a broken file
            raise ValidationError(
                _("The image cannot be opened: it is damaged or not an image."), code="broken"
            ) from exc
    if {"JPEG": JPEG, "PNG": PNG}.get(found or "") != expected:
        raise ValidationError(
            _("The image is not the JPEG or PNG its first bytes announce."), code="mismatch"
        )


def _pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF is incomplete (it has no end-of-file marker)."), code="broken")
    if ACTIVE_PDF.search(data):
        raise ValidationError(
            _("The PDF carries JavaScript, a launch action or an embedded file: print it to PDF again."),
            code="active",
        )


def check_file(data: bytes) -> CheckedFile:
    """The file's media type from its content, or a ValidationError saying why it is refused."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; the limit is %(max)s.")
            % {"size": f"{len(data):,}", "max": f"{limit:,}"},
            code="too_large",
        )
    if data.startswith(b"%PDF-"):
        _pdf(data)
        media = PDF
    elif data.startswith(b"\xff\xd8\xff"):
        _image(data, JPEG)
        media = JPEG
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        _image(data, PNG)
        media = PNG
    else:
        raise ValidationError(_("Only PDF, JPEG and PNG files can be attached."), code="type")
    return CheckedFile(media_type=media, extension=EXTENSIONS[media])
