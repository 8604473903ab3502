"""CSV cells that a spreadsheet opens as text, never as a formula.

Excel, LibreOffice and Google Sheets evaluate a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some read
a leading tab or carriage return the same way), so a contribution titled ``=HYPERLINK("http://…","Click")`` or
``=cmd|' /C calc'!A0`` in an open-data file would run as a formula on the researcher's machine. Following OWASP's
rule for CSV injection, such a text cell gets a single quote in front: spreadsheets show it as typed, and a
program reading the file can drop the quote (the data dictionary says so). Numbers are written as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a cell no spreadsheet evaluates: a string beginning a formula gets ``'`` in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose rows are neutralised cell by cell (the header is ours, never a formula)."""

    def writerow(self, rowdict):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})
