"""Writing text into a spreadsheet safely: the one rule shared by the exports and the import template.

A cell a user typed (a unit's name, a comment) that starts like a formula would run as one when the file is
opened: ``=HYPERLINK("http://…","Bấm vào đây")`` becomes a live link, ``=cmd|…`` worse. Such text is written
with an apostrophe in front, which spreadsheets show as plain text.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
