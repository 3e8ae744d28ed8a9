"""What a page with formsets posts besides its rows: each formset's management form (the admin's inlines, the plan
and session editors)."""


def management(prefix, total=0, initial=0, max_num=1000):
    """The management form of the formset ``prefix``: ``total`` rows sent, the first ``initial`` of them saved
    before; ``max_num`` as the page renders it (Django's default 1000)."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(max_num),
    }


def report_admin_inlines(rows=0, initial=0):
    """The quarterly report admin's two inlines: ``rows`` level rows (three at most), no status change."""
    return {**management("levels", rows, initial, max_num=3), **management("events", max_num=0)}
