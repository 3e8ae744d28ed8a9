"""Thanh Bình's report for 2024Q1 as the tests enter it, and a client logged in as someone."""

from django.test import Client

# Thanh Bình's 2024Q1, as typed on the form (thousands dots). Worked out by hand, every identity holds:
#   district: 120 + 1.500 − 1.400 = 220 pending; 1.400 = 1.365 in time + 35 late; 600 online + 100 by post ≤ 1.500
#   commune:   30 + 2.000 − 1.980 =  50 pending; 1.980 = 1.980 in time + 0 late
#   procedures: 36 simplified ≤ 181 reviewed ≤ 456 in the catalogue (seed 000's counts)
GOOD_FIGURES = {
    "district__carried_over": "120",
    "district__received": "1.500",
    "district__received_online": "600",
    "district__received_postal": "100",
    "district__resolved": "1.400",
    "district__resolved_in_time": "1.365",
    "district__resolved_late": "35",
    "district__pending": "220",
    "district__pending_overdue": "10",
    "district__apology_letters": "35",
    "commune__carried_over": "30",
    "commune__received": "2.000",
    "commune__resolved": "1.980",
    "commune__resolved_in_time": "1.980",
    "commune__resolved_late": "0",
    "commune__pending": "50",
    "procedures_total": "456",
    "procedures_reviewed": "181",
    "procedures_simplified": "36",
}
# The same figures as the database keeps them, by level.
GOOD_LEVELS = {
    "district": {
        "carried_over": 120,
        "received": 1500,
        "received_online": 600,
        "received_postal": 100,
        "resolved": 1400,
        "resolved_in_time": 1365,
        "resolved_late": 35,
        "pending": 220,
        "pending_overdue": 10,
        "apology_letters": 35,
    },
    "commune": {
        "carried_over": 30,
        "received": 2000,
        "resolved": 1980,
        "resolved_in_time": 1980,
        "resolved_late": 0,
        "pending": 50,
    },
}


def form_data(action="save", *, version, **changes):
    """What the report form posts: Thanh Bình's good figures, with ``changes`` (field name → text typed)."""
    return {"action": action, "version": str(version), "note": "", **GOOD_FIGURES, **changes}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client
