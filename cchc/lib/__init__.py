"""The base layer: periods, roles, dates, numbers, spreadsheets and archives, versioned records.

Every app may import it; it imports no app (the `layers` contract in pyproject.toml keeps it so), the way
Healthchecks keeps `hc/lib/`.
"""
