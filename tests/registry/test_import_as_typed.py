# ruff: noqa: E501  (sheet lines read best one per line, as in the sheet)
"""Workbooks as community offices make them: the visible sheet, merged cells, dates and
words as typed, padded names, pre-filled lines, an .xls file — each checked on what is
stored, not only on the counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import xlwt  # type: ignore[import-untyped]
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from fangkong.core.dates import typed_date
from fangkong.core.identity import resident_id_check_digit, validate_resident_id
from fangkong.registry.imports.excel import IMPORT_COLUMNS
from fangkong.registry.imports.services import import_choose_sheet, import_validate
from fangkong.registry.imports.template import template_workbook
from fangkong.registry.models import (
    DocumentType,
    ImportStatus,
    Person,
    Residence,
    ResidenceKind,
    Sex,
    Whereabouts,
)
from fangkong.registry.people.cleaning import normalize_name
from tests.conftest import WANPING_ZONE, World
from tests.registry.test_import import imported, person_row, rid, upload

TODAY = dt.date.today()
HEADER = ["序号", "姓名", "证件类型", "证件号码", "手机号", "性别", "出生日期", "是否在京",
          "未返京所在地", "区域代码", "楼栋/院", "房间", "居住类型", "入住日期", "房东证件号码"]  # fmt: skip
COL = {h: i for i, h in enumerate(HEADER)}


def line(n: int, **values: Any) -> list[Any]:
    cells: list[Any] = [""] * len(HEADER)
    cells[COL["序号"]] = n
    for header, value in values.items():
        cells[COL[header]] = value
    return cells


def book(lines: list[list[Any]], merges: tuple[str, ...] = (), hidden_first: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    if hidden_first:
        ws.title = "旧表"
        ws.append(["姓名", "区域代码", "楼栋/院"])
        ws.append(["旧表里的人", WANPING_ZONE, "9号院"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("人员")
    ws.append(HEADER)
    for cells in lines:
        ws.append(cells)
    for merge in merges:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def check(world: World, data: bytes, name: str = "摸排表.xlsx") -> Any:
    return import_validate(job=upload(world.wanping_worker, data, name=name))


def apply(world: World, data: bytes, name: str = "摸排表.xlsx") -> Any:
    from fangkong.registry.imports.services import import_apply, import_confirm

    job = check(world, data, name)
    assert job.status == ImportStatus.VALIDATED and job.error_rows == 0, (job.message, job.errors)
    import_confirm(actor=world.wanping_worker, job=job, background=False)
    return import_apply(job=job)


def person(document: str) -> Person:
    return Person.objects.get(document_masked=validate_resident_id(document).number[:6] + "********" + document[14:])  # fmt: skip


BASE = {"区域代码": WANPING_ZONE, "楼栋/院": "3号院"}


# --- merged cells -------------------------------------------------------------------------
def test_a_merged_range_gives_every_row_it_covers_its_value(world: World) -> None:
    family = [rid(i) for i in (1, 2, 3)]
    landlord, tenants = rid(4), [rid(5), rid(6)]
    lines = [
        line(1, 姓名="父", 证件号码=family[0], 是否在京="未返京", 未返京所在地="湖北省武汉市", 房间="101", **BASE),
        line(2, 姓名="母", 证件号码=family[1], 房间="101", **BASE),
        line(3, 姓名="子", 证件号码=family[2], 房间="101", **BASE),
        line(4, 姓名="房东", 证件号码=landlord, 房间="201", **BASE),
        line(5, 姓名="租客甲", 证件号码=tenants[0], 居住类型="租住", 房东证件号码=landlord, 房间="202", **BASE),
        line(6, 姓名="租客乙", 证件号码=tenants[1], 房间="202", **BASE),
    ]  # fmt: skip
    # Rows 2-4 share 是否在京 (H) and 未返京所在地 (I); rows 6-7 居住类型 (M) and 房东 (O).
    data = book(lines, merges=("H2:H4", "I2:I4", "M6:M7", "O6:O7"))
    job = apply(world, data)
    assert job.created_count == 6
    for number in family:
        who = person(number)
        assert (who.whereabouts, who.away_from) == (Whereabouts.NOT_BACK, "湖北省武汉市")
    owner = person(landlord)
    for number in tenants:
        home = Residence.objects.get(person=person(number))
        assert (home.kind, home.landlord_id) == (ResidenceKind.TENANT, owner.pk)


# --- which sheet ----------------------------------------------------------------------------
def test_a_hidden_first_sheet_is_not_what_gets_imported(world: World) -> None:
    data = book([line(1, 姓名="可见的人", 证件号码=rid(11), **BASE)], hidden_first=True)
    job = check(world, data)
    assert job.status == ImportStatus.VALIDATED and job.sheet_name == "人员"
    assert job.sheets == [{"name": "旧表", "visible": False}, {"name": "人员", "visible": True}]
    assert [p["name"] for p in job.preview] == ["可见的人"]
    page = world.client(world.wanping_worker).get(f"/registry/imports/{job.pk}/").content.decode()
    assert "读取的工作表" in page and "旧表 （隐藏）" in page
    # The worker may still choose the hidden one: the job is checked again from it.
    response = world.api(world.wanping_worker).post(
        f"/api/v1/imports/{job.pk}/sheet/", {"sheet": "旧表"}, format="json"
    )
    assert response.status_code == 202, response.json()
    job.refresh_from_db()
    job = import_validate(job=job)
    assert job.sheet_name == "旧表" and [p["name"] for p in job.preview] == ["旧表里的人"]
    unknown = world.api(world.wanping_worker).post(
        f"/api/v1/imports/{job.pk}/sheet/", {"sheet": "没有"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "sheet"


def test_a_sheet_without_the_header_names_the_sheet_and_offers_the_others(world: World) -> None:
    wb = Workbook()
    wb.active.title = "封面"
    wb.active.append(["宛平城社区摸排表（封面）"])
    people = wb.create_sheet("名单")
    people.append(HEADER)
    people.append(line(1, 姓名="名单上的人", 证件号码=rid(12), **BASE))
    out = io.BytesIO()
    wb.save(out)
    job = check(world, out.getvalue())
    assert job.status == ImportStatus.FAILED and "“封面”" in job.message
    assert [s["name"] for s in job.sheets] == ["封面", "名单"]
    job = import_validate(job=import_choose_sheet(actor=world.wanping_worker, job=job, sheet="名单", background=False))  # fmt: skip
    assert job.status == ImportStatus.VALIDATED and job.valid_rows == 1


# --- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2020/2/3", dt.date(2020, 2, 3)),
        ("2020-2-3", dt.date(2020, 2, 3)),
        ("2020.2.3", dt.date(2020, 2, 3)),
        ("2020年2月3日", dt.date(2020, 2, 3)),
        ("２０２０－０２－０３", dt.date(2020, 2, 3)),
        ("1985/3/15", dt.date(1985, 3, 15)),
        ("2020/02/03", dt.date(2020, 2, 3)),
        (dt.date(2020, 2, 3), dt.date(2020, 2, 3)),
        (43864, dt.date(2020, 2, 3)),  # a date cell shown as a number
    ],
)
def test_dates_as_offices_type_them(world: World, typed: Any, day: dt.date) -> None:
    apply(world, book([line(1, 姓名="住户", 证件号码=rid(20), 入住日期=typed, **BASE)]))
    assert Residence.objects.get().since == day


def test_a_future_date_is_refused_as_a_cell_and_as_text(world: World) -> None:
    next_year = TODAY.replace(year=TODAY.year + 1, day=1)
    passport = {"证件类型": "护照", "证件号码": "E12345678"}
    lines = [
        line(1, 姓名="甲", 证件号码=rid(21), 入住日期=next_year, **BASE),
        line(2, 姓名="乙", 证件号码=rid(22), 入住日期=next_year.isoformat(), **BASE),
        line(3, 姓名="丙", 出生日期=next_year, **passport, **BASE),
    ]
    job = check(world, book(lines))
    assert job.error_rows == 3
    cells = {(e["cell"], e["column"]) for e in job.errors}
    assert cells == {("N2", "入住日期"), ("N3", "入住日期"), ("G4", "出生日期")}
    assert all("晚于今天" in e["reason"] for e in job.errors)


def test_typed_date_rules() -> None:
    today = dt.date(2020, 3, 1)
    assert typed_date("2020/2/30", today=today) == "日期“2020/2/30”不存在或格式不对，应为 年-月-日，如 2020-02-03"  # fmt: skip
    assert typed_date("1899-12-31", today=today) == "日期 1899-12-31 早于 1900-01-01"
    assert typed_date("20200203", today=today) == dt.date(2020, 2, 3)
    assert isinstance(typed_date(43864.5, today=today), str)


# --- words and names ------------------------------------------------------------------------
def test_ordinary_wording_is_read_for_coded_columns(world: World) -> None:
    lines = [
        line(1, 姓名="甲", 证件类型="身份证", 证件号码=rid(31), 是否在京="是", 性别="男", 居住类型="租房", **BASE),
        line(2, 姓名="乙", 证件类型="居民身份证", 证件号码=rid(30), 是否在京="否", 未返京所在地="河北省", **BASE),
        line(3, 姓名="丙", 证件类型="护照", 证件号码="E76543210", 性别="女", 是否在京=" 在京 ", **BASE),
    ]  # fmt: skip
    apply(world, book(lines))
    first, second = person(rid(31)), person(rid(30))
    third = Person.objects.get(name="丙")
    assert (first.document_type, first.whereabouts, first.sex) == (
        DocumentType.RESIDENT_ID,
        Whereabouts.IN_BEIJING,
        Sex.MALE,
    )
    assert Residence.objects.get(person=first).kind == ResidenceKind.TENANT
    assert (second.whereabouts, second.away_from) == (Whereabouts.NOT_BACK, "河北省")
    assert (third.document_type, third.sex, third.whereabouts) == (
        DocumentType.PASSPORT,
        Sex.FEMALE,
        Whereabouts.IN_BEIJING,
    )


def test_an_unknown_word_is_still_refused_naming_the_cell(world: World) -> None:
    job = check(world, book([line(1, 姓名="甲", 证件号码=rid(32), 是否在京="也许", **BASE)]))
    assert job.errors[0]["cell"] == "H2" and "不是可选值" in job.errors[0]["reason"]


def test_padded_names_are_tidied(world: World) -> None:
    lines = [
        line(1, 姓名="何　芳", 证件号码=rid(40), **BASE),
        line(2, 姓名="\u3000王小明\u00a0", 证件号码=rid(41), **BASE),
        line(3, 姓名="John   Smith", 证件类型="护照", 证件号码="E11112222", **BASE),
    ]
    apply(world, book(lines))
    assert sorted(Person.objects.values_list("name", flat=True)) == ["John Smith", "何芳", "王小明"]
    assert normalize_name("阿依古丽·买买提") == "阿依古丽·买买提"


# --- pre-filled lines --------------------------------------------------------------------------
def test_lines_with_only_a_number_and_an_area_are_skipped_and_counted(world: World) -> None:
    lines = [line(1, 姓名="甲", 证件号码=rid(50), **BASE)]
    lines += [line(n, 区域代码=WANPING_ZONE) for n in range(2, 30)]
    job = apply(world, book(lines))
    assert (job.created_count, job.skipped_rows, job.total_rows, job.error_rows) == (1, 28, 1, 0)
    page = world.client(world.wanping_worker).get(f"/registry/imports/{job.pk}/").content.decode()
    assert "跳过 28 行" in page


# --- the template ------------------------------------------------------------------------------
def test_the_template_keeps_ids_and_phones_as_text_on_every_row_and_lists_the_words() -> None:
    out = io.BytesIO()
    template_workbook(area_code=WANPING_ZONE).save(out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    ws = wb["人员"]
    letters = {c.header: chr(ord("A") + i) for i, c in enumerate(IMPORT_COLUMNS)}
    for header in ("证件号码", "手机号", "区域代码", "房东证件号码"):
        letter = letters[header]
        assert ws.column_dimensions[letter].number_format == "@", header
        assert ws[f"{letter}500"].number_format == "@", header
    assert ws[f"{letters['姓名']}500"].number_format == "General"
    listed = {str(dv.sqref).split(":")[0][0] for dv in ws.data_validations.dataValidation}
    assert {letters["证件类型"], letters["是否在京"], letters["居住类型"]} <= listed
    notes = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "居民身份证：身份证" in notes and "在京：是" in notes and "2020年2月3日" in notes


# --- resident ID regions ------------------------------------------------------------------------
def _id(region: str, born: str) -> str:
    first17 = f"{region}{born}123"
    return first17 + resident_id_check_digit(first17)


def test_a_region_no_division_ever_had_is_refused_and_an_abolished_one_passes(
    world: World,
) -> None:
    lines = [
        line(1, 姓名="甲", 证件号码=_id("110199", "19900101"), **BASE),  # no such county
        line(2, 姓名="乙", 证件号码=_id("422201", "19500101"), **BASE),  # 孝感市, 1983-1993
        line(3, 姓名="丙", 证件号码=_id("110103", "19600101"), **BASE),  # 崇文区, until 2010
        line(4, 姓名="丁", 证件号码=_id("330114", "20000101"), **BASE),  # 钱塘区, since 2021
    ]
    job = check(world, book(lines))
    assert job.error_rows == 1 and job.errors[0]["cell"] == "D2"
    assert "地区码 110199" in job.errors[0]["reason"]


# --- .xls ------------------------------------------------------------------------------------
def test_an_xls_workbook_with_merged_cells_and_a_date_cell(world: World) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("人员")
    for i, header in enumerate(HEADER):
        ws.write(0, i, header)
    rows = [
        line(1, 姓名="甲", 证件号码=rid(60), **BASE),
        line(2, 姓名="乙", 证件号码=rid(61), **BASE),
    ]
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells):
            if value != "" and HEADER[c] not in ("是否在京", "未返京所在地", "入住日期"):
                ws.write(r, c, value)
    ws.write_merge(1, 2, COL["是否在京"], COL["是否在京"], "否")
    ws.write_merge(1, 2, COL["未返京所在地"], COL["未返京所在地"], "湖北省孝感市")
    ws.write(1, COL["入住日期"], dt.date(2019, 5, 6), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    out = io.BytesIO()
    wb.save(out)
    job = apply(world, out.getvalue(), name="摸排表.xls")
    assert job.created_count == 2
    for number in (rid(60), rid(61)):
        who = person(number)
        assert (who.whereabouts, who.away_from) == (Whereabouts.NOT_BACK, "湖北省孝感市")
    assert Residence.objects.get(person=person(rid(60))).since == dt.date(2019, 5, 6)


def test_the_old_sheet_rows_still_import(world: World) -> None:
    job = imported(world.wanping_worker, [person_row(70), person_row(71)])
    assert job.created_count == 2
