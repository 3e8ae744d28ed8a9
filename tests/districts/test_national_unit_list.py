"""The national official list across the 2025 reform in one file: 63 → 34 provinces, 693 districts abolished,
10,600 → 3,321 communes, codes reused, successors given. Imported in one transaction (no time is asserted here:
the time is measured by ``make bench`` and reported in docs/performance.md).

The file is generated here, not committed. Its shape (invented codes, real sizes):
- old provinces 01–63, 11 districts each (001–693), communes 00001–10600 spread over the districts in turn, all
  until 30/06/2025;
- new provinces 01–34 from 01/07/2025, reusing the first 34 province codes; old province p is succeeded by new
  province ((p − 1) mod 34) + 1, a district by its province's successor;
- new commune k (0 … 3,320) from 01/07/2025 under new province (k mod 34) + 1, taking the code of the first old
  commune merged into it: the old communes i with ⌊i × 3,321 / 10,600⌋ = k merge into it.
"""

import pytest

from cchc.lib.imports import read_table
from districts.imports import COLUMNS, REQUIRED, import_units
from districts.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

OLD_PROVINCES, DISTRICTS_EACH, OLD_COMMUNES = 63, 11, 10_600
NEW_PROVINCES, NEW_COMMUNES = 34, 3_321
OLD_DISTRICTS = OLD_PROVINCES * DISTRICTS_EACH  # 693


def new_commune_of(i):
    return i * NEW_COMMUNES // OLD_COMMUNES


def national_list():
    header = ["code", "name", "kind", "parent_code", "valid_from", "valid_until", "successor_codes"]
    first_old_commune = {}
    for i in range(OLD_COMMUNES):
        first_old_commune.setdefault(new_commune_of(i), i)
    new_commune_code = {k: f"{i + 1:05d}" for k, i in first_old_commune.items()}
    rows = [header]
    # The new units first: parents and successors may come anywhere in the file.
    for j in range(NEW_PROVINCES):
        rows.append([f"{j + 1:02d}", f"Tỉnh mới {j + 1}", "tỉnh", "", "01/07/2025", "", ""])
    for k in range(NEW_COMMUNES):
        rows.append([new_commune_code[k], f"Xã mới {k}", "xã", f"{k % NEW_PROVINCES + 1:02d}", "01/07/2025", "", ""])
    for p in range(1, OLD_PROVINCES + 1):
        successor = f"{(p - 1) % NEW_PROVINCES + 1:02d}"
        rows.append([f"{p:02d}", f"Tỉnh cũ {p}", "tỉnh", "", "", "30/06/2025", successor])
    for d in range(OLD_DISTRICTS):
        province = d // DISTRICTS_EACH + 1
        successor = f"{(province - 1) % NEW_PROVINCES + 1:02d}"
        rows.append([f"{d + 1:03d}", f"Huyện {d + 1}", "huyện", f"{province:02d}", "", "30/06/2025", successor])
    for i in range(OLD_COMMUNES):
        district = f"{i % OLD_DISTRICTS + 1:03d}"
        successor = new_commune_code[new_commune_of(i)]
        rows.append([f"{i + 1:05d}", f"Xã cũ {i + 1}", "xã", district, "", "30/06/2025", successor])
    return rows


def test_the_national_list_across_the_reform_imports_in_one_transaction():
    rows = national_list()
    table = read_table(
        "\n".join(",".join(row) for row in rows).encode(), "danh-muc.csv", columns=COLUMNS, required=REQUIRED
    )

    result = import_units(table)

    assert result.saved and result.errors == []
    # 63 + 693 + 10,600 = 11,356 old units, 34 + 3,321 = 3,355 new ones: 14,711 rows, each a new unit.
    assert result.counts == {"new": 14_711, "changed": 0, "unchanged": 0}
    assert Unit.objects.filter(valid_until__isnull=False).count() == 11_356
    assert Unit.objects.filter(valid_from__isnull=False).count() == 3_355
    # Codes 01–34 and the 3,321 commune codes taken by new communes are held twice.
    assert Unit.objects.filter(code="01").count() == 2
    # Every old unit has exactly one successor: 11,356 links.
    assert Unit.successors.through.objects.count() == 11_356
    # Old commune 00004 (i = 3): ⌊3 × 3,321 / 10,600⌋ = 0, merged into new commune 0, which took code 00001.
    old = Unit.objects.get(code="00004")
    assert [successor.code for successor in old.successors.all()] == ["00001"]
    assert old.successors.get().valid_from.isoformat() == "2025-07-01"


def test_the_same_national_list_again_is_previewed_as_unchanged():
    rows = national_list()
    content = "\n".join(",".join(row) for row in rows).encode()
    import_units(read_table(content, "danh-muc.csv", columns=COLUMNS, required=REQUIRED))

    again = import_units(read_table(content, "danh-muc.csv", columns=COLUMNS, required=REQUIRED), commit=False)

    assert again.errors == []
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 14_711}
