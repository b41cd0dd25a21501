"""Area lookup on the real edition: names, codes, suffixes, and the two municipalities whose
names differ only in a diacritic (Habo 0643 in Jönköpings län, Håbo 0305 in Uppsala län)."""

from __future__ import annotations

import pytest

from koldioxidbudget.areas import find_area
from koldioxidbudget.errors import AreaNotFound
from koldioxidbudget.schema import Tables


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("habo", "0643"),
        ("Habo", "0643"),
        ("HABO", "0643"),
        ("Habo kommun", "0643"),
        ("håbo", "0305"),
        ("Håbo", "0305"),
        ("HÅBO", "0305"),
        ("Håbo kommun", "0305"),
        ("0305", "0305"),
        ("643", "0643"),
        ("goteborg", "1480"),
        ("Göteborg", "1480"),
        ("Uppsala", "0380"),
        ("Uppsala län", "03"),
        ("orebro", "1880"),
        ("Örebro län", "18"),
        ("Region Gotland", "0980"),
        ("Gotlands kommun", "0980"),
        ("Gotlands län", "09"),
        ("Falu kommun", "2080"),
        ("Faluns kommun", "2080"),
        ("Sverige", "00"),
    ],
)
def test_find_area(real: Tables, query: str, code: str) -> None:
    assert find_area(real.areas, query).code == code


def test_a_diacritic_typed_wrongly_is_not_guessed(real: Tables) -> None:
    with pytest.raises(AreaNotFound) as e:
        find_area(real.areas, "Habö")
    assert sorted(e.value.suggestions) == ["Habo", "Håbo"]
    assert "Habo, Håbo" in e.value.localized("sv")


def test_every_area_is_found_by_its_name_and_its_code(real: Tables) -> None:
    for r in real.areas.itertuples(index=False):
        assert find_area(real.areas, r.name).code == r.code, r.name
        assert find_area(real.areas, r.code).code == r.code
