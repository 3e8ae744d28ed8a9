"""Reading the report pages the way an officer reads them, and what the database holds about reports.

Only the standard library's HTML parser, so that the tests need nothing the project does not install.
"""

import re
from html.parser import HTMLParser

from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent

VOID_ELEMENTS = {"input", "br", "img", "hr", "meta", "link", "source", "col", "wbr"}
REPORT = "/dossiers/874/2024Q1/"


def _text(parts):
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _close(stack, tag):
    """Close ``tag`` on the ``stack`` of open elements, with any left open inside it; ``False`` for an end tag
    that closes nothing (of a void element, or stray)."""
    if tag in VOID_ELEMENTS or tag not in stack:
        return False
    while stack:
        if stack.pop() == tag:
            break
    return True


class _FieldParser(HTMLParser):
    """The control named ``name``: its attributes, and the ``invalid-feedback`` messages beside it (in the same
    parent element, after it)."""

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.stack = []
        self.attrs = None
        self.parent_depth = None  # depth of the control's parent while it is open
        self.feedback_depth = None
        self.feedback = []
        self.messages = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select") and attrs.get("name") == self.name and self.attrs is None:
            self.attrs = attrs
            self.parent_depth = len(self.stack)
        classes = (attrs.get("class") or "").split()
        if (
            self.parent_depth is not None
            and self.feedback_depth is None
            and len(self.stack) == self.parent_depth
            and "invalid-feedback" in classes
        ):
            self.feedback_depth = len(self.stack)
            self.feedback = []
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not _close(self.stack, tag):
            return
        if self.feedback_depth is not None and len(self.stack) == self.feedback_depth:
            self.messages.append(_text(self.feedback))
            self.feedback_depth = None
        if self.parent_depth is not None and len(self.stack) < self.parent_depth:
            self.parent_depth = None

    def handle_data(self, data):
        if self.feedback_depth is not None:
            self.feedback.append(data)


def _field(response_or_html, name):
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    parser = _FieldParser(name)
    parser.feed(html)
    if parser.attrs is None:
        raise AssertionError(f"no control named {name!r} on the page")
    return parser


def field_errors(response, name):
    """The error messages shown beside the control ``name``."""
    return _field(response, name).messages


def field_is_marked_invalid(response, name):
    return "is-invalid" in (_field(response, name).attrs.get("class") or "").split()


def field_value(response, name):
    """What the control ``name`` shows (its ``value``, or "" when it has none)."""
    return _field(response, name).attrs.get("value") or ""


def field_attributes(response, name):
    """The HTML attributes of the control ``name``."""
    return _field(response, name).attrs


def field_is_disabled(response, name):
    return "disabled" in _field(response, name).attrs


def figure_shown(response, name):
    """The whole number the figure input ``name`` shows (17.800 and 17800 both read 17800), or ``None``."""
    value = field_value(response, name).replace(".", "").replace(" ", "")
    return int(value) if value else None


class _TestIdParser(HTMLParser):
    def __init__(self, testid):
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.stack = []
        self.depth = None
        self.parts = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        self.stack.append(tag)
        if self.depth is None and dict(attrs).get("data-testid") == self.testid:
            self.depth = len(self.stack)
            self.parts = []

    def handle_endtag(self, tag):
        if not _close(self.stack, tag):
            return
        if self.depth is not None and len(self.stack) < self.depth:
            self.found.append(_text(self.parts))
            self.depth = None

    def handle_data(self, data):
        if self.depth is not None:
            self.parts.append(data)


def texts_by_testid(response, testid):
    """The text of every element marked ``data-testid=testid``."""
    parser = _TestIdParser(testid)
    parser.feed(response.content.decode())
    return parser.found


def text_by_testid(response, testid):
    found = texts_by_testid(response, testid)
    assert len(found) == 1, f"{len(found)} elements {testid!r}"
    return found[0]


class _RowsParser(HTMLParser):
    """The body rows of the first table whose attributes ``wanted`` accepts, each as (cell texts, links)."""

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.in_table = False
        self.in_body = False
        self.row = None
        self.cell = None
        self.rows = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.wanted(attrs):
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.row = ([], [])
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []
        elif self.row is not None and tag == "a" and attrs.get("href"):
            self.row[1].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row[0].append(_text(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, testid):
    """The body rows of the table marked ``data-testid=testid``, each as (cell texts, links)."""
    parser = _RowsParser(lambda attrs: attrs.get("data-testid") == testid)
    parser.feed(response.content.decode())
    return parser.rows


def review_rows(response):
    """The rows of the province's review list (a django-tables2 table), each as cell texts."""
    parser = _RowsParser(lambda attrs: "table-hover" in (attrs.get("class") or "").split())
    parser.feed(response.content.decode())
    return [cells for cells, _links in parser.rows]


def messages(response):
    """The messages (success, error …) the page shows once, as text."""
    return [str(message) for message in response.context["messages"]]


def alerts(response):
    """The text of the page's red alerts (form errors)."""
    html = response.content.decode()
    return [
        _text([re.sub(r"<[^>]+>", " ", part)])
        for part in re.findall(r'class="alert alert-danger"[^>]*>(.*?)</div>', html, re.S)
    ]


def database_dump():
    """Everything stored about reports: their rows, figures, status changes and the history of both."""
    models = [QuarterlyReport, LevelFigures, ReportEvent, QuarterlyReport.history.model, LevelFigures.history.model]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def events(report):
    """The report's status changes, oldest first: (from, to, by whom, comment)."""
    return list(
        ReportEvent.objects.filter(report=report)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "by__username", "comment")
    )
