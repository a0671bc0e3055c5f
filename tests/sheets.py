"""Reading back the reports' downloads: a CSV's rows and a workbook's rows in the same terms,
so a test can hold the two to the same table."""

from __future__ import annotations

import csv
import io

import openpyxl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(text: str) -> list[list[object]]:
    """A CSV's rows with its cells read back: empty as None, numbers and booleans as such."""
    def cell(text: str) -> object:
        if text in ("", "True", "False"):
            return {"": None, "True": True, "False": False}[text]
        for number in (int, float):
            try:
                return number(text)
            except ValueError:
                pass
        return text
    return [[cell(c) for c in row] for row in csv.reader(io.StringIO(text))]


def workbook_rows(content: bytes) -> list[list[object]]:
    """A downloaded workbook's one sheet, checked for its bold, frozen header row."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    header, *body = list(sheet.iter_rows())
    assert all(c.font.b for c in header) and not any(c.font.b for row in body for c in row)
    return [[c.value for c in row] for row in (header, *body)]
