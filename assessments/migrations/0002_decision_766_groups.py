"""The groups of the national indicator set as Decision 766/QĐ-TTg (2022) issued them, out of 100 points.

Kept as data: the portal has since shown "online service" as online provision (12) and online payment (10);
an administrator closes a group (its last year) and adds its successors from the year they took effect.
"""

from decimal import Decimal

from django.db import migrations

GROUPS = (
    ("publicity", "Công khai, minh bạch", 18),
    ("progress", "Tiến độ giải quyết", 20),
    ("online_service", "Dịch vụ công trực tuyến", 22),
    ("satisfaction", "Mức độ hài lòng", 18),
    ("digitisation", "Số hóa hồ sơ", 22),
)


def add_groups(apps, schema_editor):
    ScoreGroup = apps.get_model("assessments", "ScoreGroup")
    for position, (code, name, points) in enumerate(GROUPS, start=1):
        ScoreGroup.objects.get_or_create(
            code=code,
            valid_from_year=2022,
            defaults={"name": name, "max_points": Decimal(points), "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
