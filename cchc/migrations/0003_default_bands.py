"""The default set of colour bands, so that a fresh database colours every rate with a target.

Colours from Paul Tol's high-contrast scheme, told apart by colour-blind readers and in greyscale; the label is
always written beside the colour anyway.
"""

from decimal import Decimal

from django.db import migrations

DEFAULT_BANDS = (
    ("Đạt", "Met", Decimal(0), "#004488"),
    ("Gần đạt", "Nearly met", Decimal(-5), "#DDAA33"),
    ("Chưa đạt", "Not met", None, "#BB5566"),
)


def create_default(apps, schema_editor):
    LegendSet = apps.get_model("cchc", "LegendSet")
    Band = apps.get_model("cchc", "Band")
    if LegendSet.objects.filter(is_default=True).exists():
        return
    legend_set = LegendSet.objects.create(
        name="Đạt / gần đạt (trong 5 điểm) / chưa đạt",
        is_default=True,
        description="Đạt: bằng hoặc vượt chỉ tiêu; gần đạt: thiếu không quá 5 điểm phần trăm; chưa đạt: thiếu hơn.",
    )
    for label, label_en, from_points, colour in DEFAULT_BANDS:
        Band.objects.create(
            legend_set=legend_set, label=label, label_en=label_en, from_points=from_points, colour=colour
        )


class Migration(migrations.Migration):
    dependencies = [("cchc", "0002_targets_and_bands")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
