"""The import's two ways of writing agree: PostgreSQL's one pass (rows checked while a
second connection writes the previous chunk, foreign keys checked per statement) leaves
exactly the registry that checking first and writing afterwards leaves. And the
shortcuts the checks take for speed say what the slow way says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from fangkong.core.crypto import decrypt
from fangkong.core.identity import (
    plain_resident_id,
    resident_id_check_digit,
    validate_resident_id,
)
from fangkong.registry.imports import checking, matching, writing
from fangkong.registry.imports.rows import RowCheck
from fangkong.registry.imports.services import import_run
from fangkong.registry.models import Address, ImportStatus, Person, Residence
from fangkong.registry.people.cleaning import clean_person
from fangkong.units.models import Unit
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.registry.test_import import imported, person_row, rid, sheet_bytes

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _sheet_rows() -> list[dict[str, Any]]:
    """Creates, updates (by document, by 人员编号 with masked numbers), a duplicate within
    the sheet, refused rows, tenants whose landlord is above, below or already
    registered, employers old and new."""
    people = {p.name: p for p in Person.objects.all()}
    rows = [
        person_row(0, name="改名零", whereabouts="未返京", away_from="河北省", employer="新单位"),
        {
            "id": str(people["测试1"].pk),
            "name": "测试一",
            "document_number": people["测试1"].document_masked,
            "phone": people["测试1"].phone_masked,
            "area": WANPING_ZONE,
            "building": "",
        },
        person_row(
            2, building="9号院", since="2024-05-01", residence_kind="租住", landlord_document=rid(0)
        ),
    ]
    for i in range(10, 40):
        values: dict[str, Any] = {"employer": f"单位{i % 4}"} if i % 3 == 0 else {}
        if i % 5 == 4:
            values |= {"residence_kind": "租住", "landlord_document": rid(i - 3 if i > 14 else 45)}
        rows.append(person_row(i, **values))
    rows.append(person_row(12, name="重复"))  # a document twice in the sheet
    rows.append(person_row(60, phone="12"))  # refused: a bad phone
    rows.append(person_row(61, residence_kind="租住", landlord_document=rid(999)))  # nowhere
    rows.append(person_row(45, name="后面的房东"))  # the landlord of row 14, further down
    return rows


def _registry() -> Any:
    """Everything the import wrote, named by documents, not by ids."""

    def document(person: Person | None) -> str:
        return decrypt(person.document_cipher) if person and person.document_cipher else ""

    people = sorted(
        (
            document(p),
            p.name,
            p.document_type,
            p.document_index,
            p.document_masked,
            decrypt(p.phone_cipher) if p.phone_cipher else "",
            p.phone_index,
            p.phone_masked,
            p.sex,
            p.birth_date,
            p.residency,
            p.whereabouts,
            p.away_from,
            p.area.code,
            p.employer.name if p.employer else "",
            p.created_by_id,
        )
        for p in Person.objects.select_related("area", "employer")
    )
    homes = sorted(
        (
            document(r.person),
            r.address.area.code,
            r.address.building,
            r.address.entrance,
            r.address.room,
            r.kind,
            r.since,
            r.until,
            document(r.landlord),
        )
        for r in Residence.objects.select_related("person", "landlord", "address__area")
    )
    households = sorted(
        (a.area.code, a.building, a.entrance, a.room) for a in Address.objects.all()
    )
    units = sorted(Unit.objects.values_list("name", "area__code"))
    return people, homes, households, units


def _clear() -> None:
    Residence.objects.all().delete()
    Person.objects.all().delete()
    Address.objects.all().delete()
    Unit.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_one_pass_import_writes_what_the_two_phase_import_writes(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-pass import runs on PostgreSQL")
    monkeypatch.setattr(checking, "CHUNK", 7)  # many chunks: landlords across them
    passes: list[int] = []
    start = writing.Pipeline.start
    monkeypatch.setattr(writing.Pipeline, "start", lambda self: (passes.append(1), start(self)))
    outcomes = []
    for one_pass in (True, False):
        _clear()
        imported(
            world.wanping_worker, [person_row(0, employer="老单位"), person_row(1), person_row(2)]
        )
        path = tmp_path / "sheet.xlsx"
        path.write_bytes(sheet_bytes(_sheet_rows()))
        if not one_pass:  # what the command line does where it cannot pipeline
            monkeypatch.setattr("fangkong.registry.imports.services.can_pipeline", lambda: False)
        job = import_run(
            actor=world.wanping_worker,
            area=world.areas[WANPING],
            path=path,
            partial=True,
            today=dt.date(2026, 3, 1),
        )
        assert job.status == ImportStatus.DONE, job.message
        outcomes.append(
            (job.created_count, job.updated_count, job.error_rows, job.errors, _registry())
        )
    assert passes == [1]  # the first import went through the pipeline, the second not
    assert outcomes[0][:3] == (31, 3, 3)
    assert outcomes[0] == outcomes[1]


# --- the shortcuts ----------------------------------------------------------------------
def test_the_check_digit_is_the_weighted_sum_of_the_standard() -> None:
    for first17 in ("11010519491231002", "44052418800101001", "00000000000000000", "9" * 17):
        total = sum(int(d) * w for d, w in zip(first17, _W, strict=True))
        assert resident_id_check_digit(first17) == "10X98765432"[total % 11]


_TODAY = dt.date(2026, 3, 1)
_VALID = rid(7)  # a man born 1970-01-01
_COMMON = {  # a template row: a new person's, every field valid
    "name": "张三",
    "document_type": "",
    "document_number": _VALID,
    "phone": "13912345678",
    "sex": "",
    "birth_date": "",
    "residency": "",
    "whereabouts": "",
    "away_from": "",
}
_VARIANTS = {
    "name": ["", " 李四 ", "名" * 50, "名" * 51],
    "document_type": ["居民身份证", "resident_id", "居民", "护照", "passport", "其他"],
    "document_number": [
        "",
        rid(8, dt.date(1999, 2, 28)),  # a woman
        _VALID[:17] + ("0" if _VALID[17] != "0" else "1"),  # a wrong check digit
        rid(9, dt.date(1970, 1, 2))[:17] + "x",
        " ".join(_VALID),
        "\uff11" + _VALID[1:],  # a full-width digit
        "110106" + "20270101" + "0010",  # born after today
        "110106" + "18991231" + "0010",
        "110106" + "19700230" + "0010",
        "910106" + "19700101" + "0010",
        _VALID[:6] + "********" + _VALID[14:],
        "E1234567",
    ],
    "phone": ["", "139 1234 5678", "+8613912345678", "010-63831234", "12", "139****5678"],
    "sex": ["男", "女", "未知", "male", "female", "人"],
    "birth_date": [
        "1970-01-01",
        "1970/01/01",
        "1970-01-02",
        "1999-02-28",
        "2027-01-01",
        "1970-02-30",
        dt.date(1970, 1, 1),
        dt.datetime(1970, 1, 1, 8, 0),
        dt.date(1999, 2, 28),
        dt.date(2027, 1, 1),
    ],
    "residency": ["常住人口", "流动人口", "流动", "migrant", "外地"],
    "whereabouts": ["在京", "未返京", "not_back", "in_beijing", "未返", "回来了"],
    "away_from": ["河北省", "远" * 120],
}
_CHANGES = [(key, value) for key, values in _VARIANTS.items() for value in values]


def _checked(cells: dict[str, Any], *, shortcut: bool) -> tuple[Any, ...]:
    index = {key: i for i, key in enumerate(cells)}
    checker = checking.RowChecker(area_name="宛平", today=_TODAY, areas={}, index=index)
    if not shortcut:
        checker._clean_common = lambda row: None  # type: ignore[method-assign]
    row = RowCheck(2, list(cells.values()), index)
    checker.clean(row)
    return row.clean, row.problems, row.document_index, row.document_type


def test_the_common_row_shortcut_cleans_as_clean_person_does() -> None:
    """RowChecker's shortcut for a new person's row gives clean_person()'s result, or
    declines (then clean_person runs and names what is wrong): the template row with
    every one and every two of its cells changed."""
    taken = 0
    for i, first in enumerate(_CHANGES):
        for second in [None, *_CHANGES[i + 1 :]]:
            cells = dict(_COMMON, **dict([first] + ([second] if second else [])))
            fast = _checked(cells, shortcut=True)
            assert fast == _checked(cells, shortcut=False), cells
            taken += fast[0] is not None and not fast[1]
    assert taken > 200


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CHANGES), min_size=3, max_size=5))
def test_the_shortcut_agrees_on_rows_with_more_changes(changes: list[tuple[str, Any]]) -> None:
    cells = dict(_COMMON, **dict(changes))
    assert _checked(cells, shortcut=True) == _checked(cells, shortcut=False)


def test_the_common_row_takes_the_shortcut() -> None:
    cells = {"name": "张三", "document_number": _VALID, "phone": "13912345678"}
    index = {key: i for i, key in enumerate(cells)}
    checker = checking.RowChecker(area_name="宛平", today=_TODAY, areas={}, index=index)
    clean = checker._clean_common(RowCheck(2, list(cells.values()), index))
    assert clean is not None
    assert (clean.sex, clean.birth_date, clean.phone) == (
        "male",
        dt.date(1970, 1, 1),
        "+8613912345678",
    )


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[1-9][0-9]{5}(19|20)[0-9]{6}[0-9]{3}[0-9X]", fullmatch=True))
def test_the_plain_resident_id_shortcut_agrees_with_the_full_check(number: str) -> None:
    try:
        full = validate_resident_id(number, today=_TODAY)
    except ValidationError:
        full = None
    assert plain_resident_id(number, today=_TODAY) == full


def test_a_refused_choice_lists_the_labels_of_the_active_language() -> None:
    for language, labels in (("zh-hans", "在京、未返京"), ("en", "In Beijing、Not yet back")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            clean_person(
                {"name": "张三", "whereabouts": "回来了"},
                today=dt.date(2026, 3, 1),
                require_document=False,
            )
        assert labels in str(caught.value), language


def test_a_typed_date_is_read_the_same_every_time() -> None:
    today = dt.date(2026, 3, 1)
    for _ in range(2):  # the second time from the cache
        assert checking._date("2020/03/01", today) == dt.date(2020, 3, 1)
        with pytest.raises(ValidationError, match="晚于今天"):
            checking._date("2027-01-01", today)
        with pytest.raises(ValidationError, match="不存在或格式不对"):
            checking._date("2020-02-30", today)


@pytest.mark.django_db
def test_people_are_matched_by_document_of_their_own_type(world: World) -> None:
    imported(
        world.wanping_worker,
        [person_row(1), person_row(2, document_type="护照", document_number="E1234567")],
    )
    passport = Person.objects.get(document_type="passport")
    resident = Person.objects.get(document_type="resident_id")
    found = Person.objects.filter(
        matching.by_typed_document(
            [
                ("resident_id", resident.document_index),
                ("passport", passport.document_index),
                ("passport", resident.document_index),
            ]
        )
    )
    assert set(found) == {passport, resident}
