"""The base layer: periods, roles, dates, numbers (rounding, reading and writing figures), spreadsheets and the
machinery of the imports, exports of list pages, evidence files and archives, versioned records, form styling.

Every app may import it; it imports no app (the ``base`` contract in pyproject.toml keeps it so), the way
Healthchecks keeps ``hc/lib/``.
"""
