"""The file to fill in: the columns in the order the reader expects, with one example row."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from .rows import COLUMNS

EXAMPLE = (
    "山田 花子",
    "ヤマダ ハナコ",
    "東京都千代田区丸の内1-1-1",
    "hanako@example.jp",
    "director",
    "2026-04-01",
    "120",
)


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "holders"
    sheet.append([english for _key, english, _ja, _required in COLUMNS])
    sheet.append(list(EXAMPLE))
    for column, width in zip("ABCDEFG", (18, 18, 40, 26, 18, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("notes")
    notes.append(["column", "見出し", "required"])
    for _key, english, japanese, required in COLUMNS:
        notes.append([english, japanese, "yes" if required else ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([english for _key, english, _ja, _required in COLUMNS])
    writer.writerow(EXAMPLE)
    return out.getvalue().encode("utf-8-sig")
