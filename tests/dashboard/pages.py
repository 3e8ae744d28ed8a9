"""Reading the dashboard's pages the way a user reads them: tables as rows of cell texts, errors by field.

Only the standard library's HTML parser, so that the tests need nothing the project does not install.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

VOID_ELEMENTS = {"input", "br", "img", "hr", "meta", "link", "source", "col", "wbr"}


def _text(parts):
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


@dataclass
class Cell:
    text: str
    links: list = field(default_factory=list)
    classes: str = ""


@dataclass
class Table:
    header: list  # Cells of the header row
    body: list  # rows, each a list of Cells
    footer: list  # rows, each a list of Cells

    @property
    def columns(self):
        """Each column's name: the ``sort`` parameter of its header link, else its header text."""
        names = []
        for cell in self.header:
            sort = next((parse_qs(urlparse(link).query).get("sort") for link in cell.links), None)
            names.append(sort[0] if sort else cell.text)
        return names

    def as_dict(self, cells):
        return dict(zip(self.columns, (cell.text for cell in cells), strict=True))

    def rows(self):
        return [self.as_dict(cells) for cells in self.body]

    def row_of_unit(self, code):
        """The body row whose first cell links to the unit page of ``code``, as {column: text}."""
        for cells in self.body:
            # A closed unit's link names it by its last day too (/districts/874/?on=2025-06-30).
            if f"/districts/{code}/" in (link.split("?")[0] for link in cells[0].links):
                return self.as_dict(cells)
        raise AssertionError(f"no row for unit {code}")

    def unit_codes(self):
        """The unit codes of the body rows, in the order shown."""
        codes = []
        for cells in self.body:
            match = next((re.match(r"^/districts/(\w+)/(?:\?on=[\d-]+)?$", link) for link in cells[0].links), None)
            codes.append(match.group(1) if match else None)
        return codes

    def total(self):
        assert len(self.footer) == 1, self.footer
        return self.as_dict(self.footer[0])


class _TableParser(HTMLParser):
    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted  # function of a <table>'s attributes
        self.tables = []
        self.depth = 0  # nesting of wanted tables
        self.section = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if self.depth or self.wanted(attrs):
                self.depth += 1
                if self.depth == 1:
                    self.tables.append(Table([], [], []))
            return
        if self.depth != 1:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ([], [], attrs.get("class") or "")
        elif tag == "a" and self.cell is not None and attrs.get("href"):
            self.cell[1].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
            return
        if self.depth != 1:
            return
        table = self.tables[-1]
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(Cell(_text(self.cell[0]), self.cell[1], self.cell[2]))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.section == "thead":
                table.header = self.row
            elif self.section == "tfoot":
                table.footer.append(self.row)
            else:
                table.body.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0].append(data)


def tables(html, wanted):
    parser = _TableParser(wanted)
    parser.feed(html)
    return parser.tables


def dashboard_table(response):
    """The dashboard's table of units (class ``dashboard-table``)."""
    found = tables(response.content.decode(), lambda attrs: "dashboard-table" in (attrs.get("class") or ""))
    assert len(found) == 1, f"{len(found)} dashboard tables"
    return found[0]


def table_by_testid(response, testid):
    found = tables(response.content.decode(), lambda attrs: attrs.get("data-testid") == testid)
    assert len(found) == 1, f"{len(found)} tables {testid!r}"
    return found[0]


class _FieldGroupParser(HTMLParser):
    """The form's field groups (``div.col-…``): the controls each holds and the error messages shown in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.groups = []  # (names, classes by name, errors)
        self.stack = []  # for each open div: whether it opened a group
        self.group = None
        self.error = None  # text parts of the error being read
        self.error_depth = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            opens_group = self.group is None and any(c.startswith("col-") for c in classes)
            if opens_group:
                self.group = ([], {}, [])
            if self.group is not None and "invalid-feedback" in classes:
                self.error = []
                self.error_depth = len(self.stack)
            self.stack.append(opens_group)
        elif tag in ("input", "select", "textarea") and self.group is not None and attrs.get("name"):
            self.group[0].append(attrs["name"])
            self.group[1][attrs["name"]] = classes

    def handle_endtag(self, tag):
        if tag != "div" or not self.stack:
            return
        opened_group = self.stack.pop()
        if self.error is not None and len(self.stack) == self.error_depth:
            self.group[2].append(_text(self.error))
            self.error = None
        if opened_group:
            self.groups.append(self.group)
            self.group = None

    def handle_data(self, data):
        if self.error is not None:
            self.error.append(data)


def field_errors(response, name):
    """The error messages shown beside the form field ``name`` (in the same field group)."""
    parser = _FieldGroupParser()
    parser.feed(response.content.decode())
    for names, _classes, errors in parser.groups:
        if name in names:
            return errors
    raise AssertionError(f"no field {name!r} in the form")


def field_classes(response, name):
    parser = _FieldGroupParser()
    parser.feed(response.content.decode())
    for names, classes, _errors in parser.groups:
        if name in names:
            return classes[name]
    raise AssertionError(f"no field {name!r} in the form")


def rate_and_counts(cell_text):
    """ "86,51% 10.840 / 12.530" → ("86,51%", "10.840 / 12.530"); "—" → ("—", None)."""
    match = re.fullmatch(r"(\S+%) (\S+ / \S+)", cell_text)
    if match is None:
        return cell_text, None
    return match.group(1), match.group(2)
