"""Excel in: the template, the refusals (whole file and row by row, each naming the row
and the column), all-or-nothing, the explicit partial import, the error report, updates,
landlords, scope, a failure halfway, the command line, the pages and the API — and one
test through a real Celery worker on Redis."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from fangkong.areas.models import Area
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.core.crypto import decrypt
from fangkong.core.identity import (
    mask_document,
    mask_phone,
    normalize_phone,
    resident_id_check_digit,
)
from fangkong.registry.imports import checking, writing
from fangkong.registry.imports.excel import (
    COLUMNS,
    MAX_UPLOAD_BYTES,
    REASON_HEADER,
    ROW_HEADER,
    open_sheet,
)
from fangkong.registry.imports.selectors import progress_key
from fangkong.registry.imports.services import (
    import_apply,
    import_cancel,
    import_confirm,
    import_run,
    import_upload,
    import_validate,
)
from fangkong.registry.imports.template import template_workbook
from fangkong.registry.models import (
    Address,
    ImportJob,
    ImportStatus,
    Person,
    Residence,
    ResidenceKind,
    Whereabouts,
)
from fangkong.units.models import Unit
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World

# As exported (人员编号 first, empty for new people); the template is IMPORT_COLUMNS.
HEADERS = [c.title for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


def rid(i: int, born: dt.date = dt.date(1970, 1, 1)) -> str:
    """A valid resident ID, different for every i."""
    first17 = f"110106{born + dt.timedelta(days=i // 900):%Y%m%d}{100 + i % 900:03d}"
    return first17 + resident_id_check_digit(first17)


def person_row(i: int, **values: Any) -> dict[str, Any]:
    row = {
        "name": f"测试{i}",
        "document_number": rid(i),
        "phone": f"139{i:08d}",
        "area": WANPING_ZONE,
        "building": "3号院",
        "room": str(100 + i),
    }
    row.update(values)
    return row


def sheet_bytes(
    rows: list[dict[str, Any]],
    *,
    headers: list[str] = HEADERS,
    keys: list[str] = KEYS,
    before: list[list[Any]] | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    for line in before or []:
        ws.append(line)
    ws.append(headers)
    for row in rows:
        ws.append([row.get(k, "") for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(actor: Any, data: bytes, *, area: str = WANPING, name: str = "摸排表.xlsx") -> ImportJob:
    return import_upload(
        actor=actor,
        area=Area.objects.get(code=area),
        file=SimpleUploadedFile(name, data),
        background=False,
    )


def validated(actor: Any, rows: list[dict[str, Any]], *, area: str = WANPING) -> ImportJob:
    return import_validate(job=upload(actor, sheet_bytes(rows), area=area))


def imported(
    actor: Any, rows: list[dict[str, Any]], *, area: str = WANPING, partial: bool = False
) -> ImportJob:
    job = validated(actor, rows, area=area)
    assert job.status == ImportStatus.VALIDATED, job.message
    import_confirm(actor=actor, job=job, partial=partial, background=False)
    return import_apply(job=job)


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Address.objects.count(),
        Residence.objects.count(),
        Unit.objects.count(),
    )


@pytest.fixture
def eager_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks run in-process whatever the environment says (FANGKONG_REDIS_URL in CI)."""
    from fangkong.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


# --- the template ----------------------------------------------------------------------
def test_it_offers_a_template_with_chinese_headers_an_example_and_a_help_sheet(
    world: World,
) -> None:
    response = world.client(world.wanping_worker).get("/registry/imports/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["人员", "填写说明"]
    header, example = list(wb["人员"].iter_rows(values_only=True))[:2]
    assert header[:3] == ("姓名*", "证件类型", "证件号码") and "区域代码*" in header
    assert "人员编号" not in header  # export only
    assert example[header.index("区域代码*")] == WANPING
    assert any(
        "带 * 的列必填" in (c.value or "") for row in wb["填写说明"].iter_rows() for c in row
    )


def test_the_templates_example_row_imports(world: World) -> None:
    out = io.BytesIO()
    template_workbook(area_code=WANPING).save(out)
    job = import_validate(job=upload(world.wanping_worker, out.getvalue()))
    assert (job.status, job.total_rows, job.error_rows) == (ImportStatus.VALIDATED, 1, 0)


# --- refusing a whole file -------------------------------------------------------------
def test_it_refuses_a_text_file_renamed_xlsx(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        upload(world.wanping_worker, "姓名,证件号码\n张三,1\n".encode(), name="名单.xlsx")
    assert "文件不是有效的 Excel 工作簿" in err.value.messages[0]
    assert ImportJob.objects.count() == 0


def test_it_refuses_a_zip_that_is_not_a_workbook(world: World) -> None:
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    job = import_validate(job=upload(world.wanping_worker, data.getvalue()))
    assert job.status == ImportStatus.FAILED
    assert "文件不是有效的 Excel 工作簿" in job.message


def test_it_refuses_an_empty_sheet(world: World) -> None:
    out = io.BytesIO()
    Workbook().save(out)
    job = import_validate(job=upload(world.wanping_worker, out.getvalue()))
    assert job.status == ImportStatus.FAILED and "空" in job.message


def test_it_refuses_a_sheet_with_only_its_header(world: World) -> None:
    job = validated(world.wanping_worker, [])
    assert job.status == ImportStatus.FAILED and "没有数据行" in job.message


def test_it_names_a_missing_required_column(world: World) -> None:
    headers = [h for h in HEADERS if h != "区域代码*"]
    keys = [k for k in KEYS if k != "area"]
    data = sheet_bytes([person_row(1)], headers=headers, keys=keys)
    job = import_validate(job=upload(world.wanping_worker, data))
    assert job.status == ImportStatus.FAILED
    assert "缺少必填列：区域代码" in job.message


def test_it_refuses_files_over_the_upload_limit(world: World) -> None:
    assert MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    data = sheet_bytes([person_row(i) for i in range(30)])
    with override_settings(IMPORT_MAX_BYTES=len(data) - 1), pytest.raises(ValidationError) as err:
        upload(world.wanping_worker, data)
    assert "超过" in err.value.messages[0] and "MB" in err.value.messages[0]


def test_it_finds_the_header_below_a_title_row_and_counts_excel_rows(world: World) -> None:
    data = sheet_bytes(
        [person_row(1), person_row(2, phone="139")],
        before=[["宛平城社区摸排登记表"], []],
    )
    job = import_validate(job=upload(world.wanping_worker, data))
    assert job.error_rows == 1
    assert job.errors[0]["row"] == 5  # title, blank, header, row 1, then this one


# --- refusing rows, each with its row and column ---------------------------------------
BAD_ROWS = [
    (
        "wrong check digit",
        {"document_number": rid(5)[:17] + ("0" if rid(5)[17] != "0" else "1")},
        "证件号码",
        "校验位",
    ),
    ("17 characters", {"document_number": rid(5)[:17]}, "证件号码", "应为 18 位，现为 17 位"),
    (
        "birth date 2031-02-30",
        {"document_number": "110106203102300011"},
        "证件号码",
        "2031-02-30 不存在",
    ),
    ("a 10-digit phone", {"phone": "1390000000"}, "手机号", "11 位"),
    ("an unknown area code", {"area": "110106999999"}, "区域代码", "不存在或不在本次导入的区域"),
    ("an area outside the import", {"area": ZHENGUOSI}, "区域代码", "不存在或不在本次导入的区域"),
    ("no building", {"building": ""}, "楼栋/院", "不能为空"),
    ("not back without where", {"whereabouts": "未返京"}, "未返京所在地", "填写"),
    ("an unknown residence kind", {"residence_kind": "借住"}, "居住类型", "不是可选值"),
    ("a future move-in date", {"since": "2999-01-01"}, "入住日期", "晚于今天"),
    ("an ID typed as a number", {"document_number": 110106197001011234.0}, "证件号码", "文本"),
]


@pytest.mark.parametrize(
    ("case", "values", "column", "reason"), BAD_ROWS, ids=[case for case, *_ in BAD_ROWS]
)
def test_it_explains_a_bad_row_by_row_and_column(
    world: World, case: str, values: dict[str, Any], column: str, reason: str
) -> None:
    job = validated(world.wanping_worker, [person_row(1), person_row(2, **values)])
    assert (job.total_rows, job.valid_rows, job.error_rows) == (2, 1, 1), case
    assert any(
        e["row"] == 3 and e["column"] == column and reason in e["reason"] for e in job.errors
    ), job.errors
    assert job.preview[1]["action"] == "error" and job.preview[1]["errors"]


def test_people_are_registered_at_a_community_or_zone_not_a_street(world: World) -> None:
    job = validated(world.admin, [person_row(1, area="110106014")], area="110106014")
    assert job.errors[0]["column"] == "区域代码"
    assert "人员须登记到社区、村或片区" in job.errors[0]["reason"]


def test_the_preview_and_errors_hold_no_number_in_clear(world: World) -> None:
    rows = [
        person_row(1),
        person_row(2, phone="1391234567"),
        person_row(3, document_number=rid(3)[:17] + "Y"),
    ]
    job = validated(world.wanping_worker, rows)
    stored = json.dumps([job.preview, job.errors], ensure_ascii=False)
    for row in rows:
        assert row["document_number"] not in stored and row["phone"] not in stored
    assert job.preview[0]["document"] == mask_document(rid(1))
    assert job.preview[0]["phone"] == "139****0001"


def test_it_finds_a_document_twice_in_the_sheet(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1), person_row(2, document_number=rid(1))])
    assert job.errors == [
        {"row": 3, "column": "证件号码", "cell": "D3", "reason": "与第 2 行证件号码重复"}
    ]


# --- all or nothing, or explicitly the valid rows ---------------------------------------
def test_it_imports_nothing_while_a_row_is_bad(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1), person_row(2, phone="123")])
    with pytest.raises(ValidationError) as err:
        import_confirm(actor=world.wanping_worker, job=job, background=False)
    assert "整表未导入" in err.value.messages[0]
    assert counts() == (0, 0, 0, 0)


def test_it_imports_the_valid_rows_only_when_asked_explicitly(world: World) -> None:
    job = imported(
        world.wanping_worker,
        [person_row(1), person_row(2, phone="123"), person_row(3)],
        partial=True,
    )
    assert (job.status, job.created_count, job.partial) == (ImportStatus.DONE, 2, True)
    assert sorted(Person.objects.values_list("name", flat=True)) == ["测试1", "测试3"]
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="registry.importjob")
    assert "新增 2 人" in event.detail and "1 行有误" in event.detail


def test_the_error_report_has_the_refused_rows_and_a_reason_column(world: World) -> None:
    rows = [person_row(1), person_row(2, phone="123"), person_row(3, area="110106999999")]
    job = validated(world.wanping_worker, rows)
    wb = load_workbook(job.error_report_path)
    header, *body = list(wb.active.iter_rows(values_only=True))
    assert list(header) == [*HEADERS, REASON_HEADER, ROW_HEADER]
    assert [r[header.index(ROW_HEADER)] for r in body] == [3, 4]
    assert "手机号：" in body[0][header.index(REASON_HEADER)]
    assert body[1][header.index("证件号码")] == rid(3)  # as typed, still text

    # Fixed in Excel, the report itself goes back in.
    fixed = Workbook()
    ws = fixed.active
    ws.append(list(header))
    for line in body:
        line = list(line)
        line[header.index("手机号")] = "13900000002"
        line[header.index("区域代码*")] = WANPING_ZONE
        ws.append(line)
    data = io.BytesIO()
    fixed.save(data)
    again = import_validate(job=upload(world.wanping_worker, data.getvalue()))
    assert (again.valid_rows, again.error_rows) == (2, 0)


# --- what an import writes -------------------------------------------------------------
def test_it_creates_people_their_homes_and_landlords(world: World) -> None:
    landlord = rid(50)
    rows = [
        person_row(
            1,
            residence_kind="租住",
            landlord_document=landlord,
            residency="流动人口",
            employer="丰台建筑公司",
        ),
        person_row(2, whereabouts="未返京", away_from="湖北省武汉市", building="5号院", room=""),
        person_row(50, name="房东", residence_kind="自有住房"),  # the landlord comes later
    ]
    job = imported(world.wanping_worker, rows)
    assert (job.status, job.created_count) == (ImportStatus.DONE, 3)
    tenant = Person.objects.get(name="测试1")
    assert decrypt(tenant.document_cipher) == rid(1)
    assert tenant.phone_masked == "139****0001" and tenant.residency == "migrant"
    assert tenant.birth_date == dt.date(1970, 1, 1) and tenant.employer.name == "丰台建筑公司"
    home = tenant.residences.get(until__isnull=True)
    assert home.kind == ResidenceKind.TENANT and home.landlord.name == "房东"
    assert str(home.address) == "3号院 101" and home.address.area.code == WANPING_ZONE
    away = Person.objects.get(name="测试2")
    assert (away.whereabouts, away.away_from) == (Whereabouts.NOT_BACK, "湖北省武汉市")
    assert job.created_by == world.wanping_worker and tenant.created_by == world.wanping_worker


def test_a_tenant_whose_landlord_is_nowhere_is_refused(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1, landlord_document=rid(77))])
    assert job.errors[0]["column"] == "房东证件号码" and "未在登记中找到" in job.errors[0]["reason"]


def test_a_second_sheet_updates_people_found_by_document(world: World) -> None:
    imported(world.wanping_worker, [person_row(1), person_row(2)])
    first = Person.objects.get(name="测试1")
    job = imported(
        world.wanping_worker,
        [
            person_row(
                1, name="测试一", phone="13911112222", whereabouts="未返京", away_from="河北省"
            ),
            person_row(2, building="9号院", since="2024-05-01"),
            person_row(3),
        ],
    )
    assert (job.created_count, job.updated_count) == (1, 2)
    first.refresh_from_db()
    assert (first.name, first.phone_masked, first.away_from) == ("测试一", "139****2222", "河北省")
    assert first.residences.count() == 1  # same home: nothing to change
    moved = Person.objects.get(name="测试2")
    assert moved.residences.count() == 2
    assert str(moved.residences.get(until__isnull=True).address) == "9号院 102"
    assert moved.residences.get(until__isnull=False).until == dt.date(2024, 5, 1)


def test_a_sheet_imported_again_rewrites_only_the_people_it_changes(world: World) -> None:
    rows = [person_row(1), person_row(2), person_row(3)]
    imported(world.wanping_worker, rows)
    stored = {p["name"]: p for p in Person.objects.values()}
    Person.objects.update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    rows[1] = person_row(2, name="测试二")
    rows[2] = person_row(3, phone="13911112222")
    job = imported(world.wanping_worker, rows)
    assert (job.created_count, job.updated_count) == (0, 3)  # each row matched its person
    after = {p["id"]: p for p in Person.objects.values()}
    same = after[stored["测试1"]["id"]]
    assert same["updated_at"].year == 2020  # equal in every field: left as stored
    assert bytes(same["document_cipher"]) == bytes(stored["测试1"]["document_cipher"])
    renamed, rephoned = after[stored["测试2"]["id"]], after[stored["测试3"]["id"]]
    assert renamed["name"] == "测试二" and renamed["updated_at"].year > 2020
    assert rephoned["phone_masked"] == "139****2222" and rephoned["updated_at"].year > 2020
    assert decrypt(rephoned["phone_cipher"]) == "+8613911112222"
    assert decrypt(renamed["document_cipher"]) == rid(2)


def test_blank_cells_keep_a_persons_values_on_update(world: World) -> None:
    imported(
        world.wanping_worker,
        [
            person_row(
                1, whereabouts="未返京", away_from="湖北省", residency="流动人口", employer="某店"
            )
        ],
    )
    job = imported(world.wanping_worker, [person_row(1, phone="", employer="")])
    person = Person.objects.get()
    assert job.updated_count == 1
    assert (person.whereabouts, person.away_from, person.residency) == (
        "not_back",
        "湖北省",
        "migrant",
    )
    assert person.phone_masked == "139****0001" and person.employer.name == "某店"


# --- scope -----------------------------------------------------------------------------
def test_a_worker_of_another_community_cannot_import_into_wanping(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        upload(world.zhenguosi_worker, sheet_bytes([person_row(1)]), area=WANPING)
    assert "不在您的管辖范围内" in err.value.messages[0]


def test_a_wanping_area_code_is_a_row_error_for_zhenguosi(world: World) -> None:
    imported(world.wanping_worker, [person_row(1)])
    wanping_person = Person.objects.get()
    job = validated(
        world.zhenguosi_worker,
        [
            person_row(2, area=WANPING_ZONE),  # an area outside the uploader's scope
            person_row(1, area=ZHENGUOSI),  # a document registered in Wanping
            person_row(3, area=ZHENGUOSI, id=wanping_person.pk),  # a Wanping person's id
            person_row(4, area=ZHENGUOSI),
        ],
        area=ZHENGUOSI,
    )
    assert (job.valid_rows, job.error_rows) == (1, 3)
    reasons = {e["row"]: (e["column"], e["reason"]) for e in job.errors}
    assert reasons[2][0] == "区域代码" and "不存在或不在本次导入的区域" in reasons[2][1]
    assert reasons[3] == ("证件号码", "该证件号码已在您辖区以外登记，请联系其所在社区")
    assert reasons[4][0] == "人员编号" and "不在您的管辖范围内" in reasons[4][1]
    assert "宛平" not in json.dumps(job.errors, ensure_ascii=False)


def test_import_pages_of_wanping_are_404_for_zhenguosi(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1)])
    page = world.client(world.zhenguosi_worker)
    for url in (
        f"/registry/imports/{job.pk}/",
        f"/registry/imports/{job.pk}/progress/",
        f"/registry/imports/{job.pk}/errors.xlsx",
    ):
        assert page.get(url).status_code == 404
    assert world.api(world.zhenguosi_worker).get(f"/api/v1/imports/{job.pk}/").status_code == 404


# --- a failure halfway leaves nothing behind ---------------------------------------------
def _fail_after(monkeypatch: pytest.MonkeyPatch, chunks: int) -> list[int]:
    """The writer raises on its `chunks`+1-th chunk, after writing the first ones."""
    calls = []
    original = writing.Writer._residences

    def failing(self: Any, *args: Any) -> None:
        calls.append(1)
        if len(calls) > chunks:
            raise RuntimeError("disk full")
        original(self, *args)

    monkeypatch.setattr(writing.Writer, "_residences", failing)
    return calls


def test_a_failure_in_the_middle_of_an_import_leaves_the_database_as_before(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(world.wanping_worker, [person_row(0, employer="老单位")])
    before = counts()
    existing = Person.objects.values().get()
    monkeypatch.setattr(checking, "CHUNK", 500)
    rows = [person_row(0, name="改名", whereabouts="未返京", away_from="外地", employer="新单位")]
    rows += [
        person_row(i, residence_kind="租住", landlord_document=rid(0), employer=f"单位{i % 7}")
        for i in range(1, 3000)
    ]
    job = validated(world.wanping_worker, rows)
    assert job.valid_rows == 3000
    calls = _fail_after(monkeypatch, 3)
    import_confirm(actor=world.wanping_worker, job=job, background=False)
    with pytest.raises(RuntimeError):
        import_apply(job=job)
    assert len(calls) == 4  # three chunks (1,500 rows) were written before the failure
    assert counts() == before
    assert Person.objects.values().get() == existing
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "未作任何改动" in job.message


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_one_pass_import_rolls_back_on_a_failure_halfway(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-pass import runs on PostgreSQL")
    imported(world.wanping_worker, [person_row(0)])
    before = counts()
    monkeypatch.setattr(checking, "CHUNK", 500)
    path = tmp_path / "big.xlsx"
    path.write_bytes(sheet_bytes([person_row(i) for i in range(1, 3001)]))
    _fail_after(monkeypatch, 3)  # in the writer process, which hands the error back
    with pytest.raises(RuntimeError, match="disk full"):
        import_run(actor=world.wanping_worker, area=world.areas[WANPING], path=path)
    assert counts() == before
    job = ImportJob.objects.latest("id")
    assert job.status == ImportStatus.FAILED and "未作任何改动" in job.message


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_one_pass_import_writes_everything_or_nothing(world: World, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-pass import runs on PostgreSQL")
    path = tmp_path / "sheet.xlsx"
    rows = [person_row(i, residence_kind="租住", landlord_document=rid(0)) for i in range(1, 2500)]
    path.write_bytes(sheet_bytes([*rows, person_row(0), person_row(9999, phone="1")]))
    job = import_run(actor=world.wanping_worker, area=world.areas[WANPING], path=path)
    assert job.status == ImportStatus.FAILED and job.error_rows == 1
    assert counts() == (0, 0, 0, 0)
    job = import_run(actor=world.wanping_worker, area=world.areas[WANPING], path=path, partial=True)
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2500)
    assert Residence.objects.filter(landlord__name="测试0").count() == 2499


# --- the command line ------------------------------------------------------------------
def test_the_command_imports_a_sheet_and_prints_a_summary(world: World, tmp_path: Path) -> None:
    path = tmp_path / "宛平.xlsx"
    path.write_bytes(sheet_bytes([person_row(1), person_row(2)]))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import-people",
        str(path),
        "--area",
        WANPING,
        "--user",
        "wanping_worker",
        stdout=out,
        stderr=err,
    )
    assert "共 2 行" in out.getvalue() and "新增 2 人" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar
    assert Person.objects.filter(created_by=world.wanping_worker).count() == 2


def test_the_command_refuses_a_sheet_with_a_bad_row_and_names_the_report(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(sheet_bytes([person_row(1), person_row(2, document_number=rid(2)[:17])]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 行有误"):
        call_command(
            "import-people",
            str(path),
            "--area",
            WANPING,
            "-v",
            "2",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "第 3 行 证件号码" in out.getvalue() and "错误报告：" in out.getvalue()
    assert Person.objects.count() == 0
    report = out.getvalue().split("错误报告：")[1].split()[0]
    assert Path(report).is_file()
    call_command(
        "import-people",
        str(path),
        "--area",
        WANPING,
        "--partial",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Person.objects.count() == 1


def test_the_command_dry_run_writes_nothing(world: World, tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(sheet_bytes([person_row(1)]))
    out = io.StringIO()
    call_command(
        "import-people", str(path), "--area", WANPING, "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert "试运行" in out.getvalue() and Person.objects.count() == 0


def test_the_command_refuses_a_user_outside_the_area(world: World, tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    path.write_bytes(sheet_bytes([person_row(1)]))
    with pytest.raises(CommandError, match="管辖范围"):
        call_command(
            "import-people",
            str(path),
            "--area",
            WANPING,
            "--user",
            "zhenguosi_worker",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


# --- pages -----------------------------------------------------------------------------
def test_a_worker_uploads_sees_the_preview_and_confirms(
    world: World, eager_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    page = world.client(world.wanping_worker)
    assert "导入摸排表" in page.get("/registry/imports/").content.decode()
    data = sheet_bytes([person_row(1), person_row(2, phone="12345")])
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(
            "/registry/imports/", {"file": SimpleUploadedFile("摸排.xlsx", data), "area": WANPING}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/registry/imports/{job.pk}/"
    body = page.get(response.url).content.decode()
    assert "第 3 行" in body and "手机号" in body and "下载错误报告" in body
    assert "110106********" in body and rid(1) not in body

    # No explicit choice: nothing is imported.
    with django_capture_on_commit_callbacks(execute=True):
        page.post(f"/registry/imports/{job.pk}/confirm/")
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        page.post(f"/registry/imports/{job.pk}/confirm/", {"partial": "1"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 1
    assert "新增 1 人" in page.get(f"/registry/imports/{job.pk}/").content.decode()
    report = page.get(f"/registry/imports/{job.pk}/errors.xlsx")
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")


def test_the_progress_fragment_polls_while_running_and_reloads_when_done(world: World) -> None:
    job = upload(world.wanping_worker, sheet_bytes([person_row(1)]))
    page = world.client(world.wanping_worker)
    fragment = page.get(
        f"/registry/imports/{job.pk}/progress/?was=uploaded", HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    import_validate(job=job)
    fragment = page.get(
        f"/registry/imports/{job.pk}/progress/?was=uploaded", HTTP_HX_REQUEST="true"
    )
    assert fragment["HX-Refresh"] == "true" and "every 1s" not in fragment.content.decode()


def test_a_worker_cancels_a_validated_job(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1)])
    page = world.client(world.wanping_worker)
    page.post(f"/registry/imports/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and not Path(job.spool_path).exists()
    with pytest.raises(ValidationError):
        import_confirm(actor=world.wanping_worker, job=job, background=False)


def test_a_guard_cannot_open_the_import_pages(world: World) -> None:
    assert world.client(world.guard).get("/registry/imports/").status_code == 403
    assert world.api(world.guard).get("/api/v1/imports/").status_code == 403


# --- API -------------------------------------------------------------------------------
def test_the_api_uploads_polls_confirms_and_serves_the_report(
    world: World, eager_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    api = world.api(world.wanping_worker)
    data = sheet_bytes([person_row(1), person_row(2, area="110106999999")])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("a.xlsx", data), "area": WANPING},
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    body = api.get(f"/api/v1/imports/{job_id}/").json()
    assert (body["status"], body["valid_rows"], body["error_rows"]) == ("validated", 1, 1)
    assert body["errors"][0] == {
        "row": 3,
        "column": "区域代码",
        "cell": "K3",
        "reason": "区域代码“110106999999”不存在或不在本次导入的区域（宛平城社区）内",
    }
    assert body["error_report"] == f"/api/v1/imports/{job_id}/errors.xlsx"
    refused = api.post(f"/api/v1/imports/{job_id}/confirm/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "partial"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(f"/api/v1/imports/{job_id}/confirm/", {"partial": True}, format="json")
    assert accepted.status_code == 202
    done = api.get(f"/api/v1/imports/{job_id}/").json()
    assert (done["status"], done["created_count"], done["percent"]) == ("done", 1, 100)
    report = api.get(body["error_report"])
    assert report.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.max_row == 2
    listed = api.get("/api/v1/imports/").json()
    assert [j["id"] for j in listed["results"]] == [job_id]


def test_the_api_names_the_field_of_a_bad_upload(world: World) -> None:
    api = world.api(world.wanping_worker)
    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("a.xlsx", b"plain text"), "area": WANPING},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    outside = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("a.xlsx", sheet_bytes([person_row(1)])), "area": ZHENGUOSI},
        format="multipart",
    )
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "area"


def test_the_import_api_is_in_the_schema(world: World) -> None:
    schema = world.api(world.wanping_worker).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/imports/",
        "/api/v1/imports/{id}/",
        "/api/v1/imports/{id}/confirm/",
        "/api/v1/imports/{id}/errors.xlsx",
    ):
        assert path in schema["paths"], path


# --- the shortcuts taken for speed agree with the library ---------------------------------
@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_the_mobile_shortcut_agrees_with_normalize_phone(number: str) -> None:
    """The shortcut (validity asked once per 10,000-number block) gives what the full
    check gives; where it declines, the full check in clean_person decides."""
    fast = checking._fast_mobile(number)
    try:
        full = normalize_phone(number)
    except ValidationError:
        full = None
    if fast is not None:
        assert fast == full
        assert fast[3:6] + "****" + fast[-4:] == mask_phone(fast)
    elif number[1] in "3456789" and not number.startswith("179"):
        assert full is None  # no valid mobile is sent the slow way


def test_the_mobile_shortcut_keeps_every_block_answer_of_the_library() -> None:
    for number in ("13800138000", "17400000000", "17406000000", "16100000000", "19912345678"):
        try:
            full: str | None = normalize_phone(number)
        except ValidationError:
            full = None
        assert checking._fast_mobile(number) == full, number


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_the_document_mask_shortcut_agrees_with_mask_document(i: int) -> None:
    number = rid(i)
    assert checking._masked_document(number) == mask_document(number)


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_checked_in_worker_processes_come_out_the_same(
    world: World, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    imported(world.wanping_worker, [person_row(0, whereabouts="未返京", away_from="外地")])
    monkeypatch.setattr(checking, "CHUNK", 7)
    rows = [
        person_row(i, residence_kind="租住", landlord_document=rid(i + 3)) for i in range(1, 40)
    ]
    rows += [person_row(0, phone="", whereabouts=""), person_row(3, phone="12")]
    rows += [person_row(i) for i in range(40, 43)]  # the landlords of the last tenants
    rows += [person_row(50, residence_kind="租住", landlord_document=rid(999))]
    job = import_validate(job=upload(world.wanping_worker, sheet_bytes(rows)), workers=workers)
    assert (job.valid_rows, job.error_rows) == (43, 2), job.errors
    assert [(e["row"], e["column"]) for e in job.errors] == [(42, "手机号"), (46, "房东证件号码")]
    assert job.preview[0]["document"] == mask_document(rid(1))
    assert len(job.preview) == 20
    import_confirm(actor=world.wanping_worker, job=job, partial=True, background=False)
    import_apply(job=job)
    assert (job.status, job.created_count, job.updated_count) == ("done", 42, 1), job.message
    assert Residence.objects.filter(landlord__isnull=False).count() == 39
    person = Person.objects.get(document_index=Person.objects.get(name="测试0").document_index)
    assert (person.whereabouts, person.phone_masked) == ("not_back", "139****0000")


def test_the_reader_streams_rows_with_excel_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(sheet_bytes([person_row(1), {}, person_row(2)], before=[["标题"]]))
    sheet = open_sheet(path)
    assert sheet.header_row == 2
    assert [n for n, _ in sheet.rows()] == [3, 5]  # the blank row 4 is skipped


def test_no_number_reaches_the_log(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    imported(world.wanping_worker, [person_row(1), person_row(2)])
    validated(world.wanping_worker, [person_row(3, phone="1391")])
    assert rid(1) not in caplog.text and "13900000001" not in caplog.text


# --- a real worker ---------------------------------------------------------------------
def _redis_url() -> str:
    return os.environ.get("FANGKONG_REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _wait_for(job: ImportJob, statuses: set[str], seconds: float = 90) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds} s")


@pytest.fixture
def celery_worker_process(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A real `celery worker` on its own queue, on the test database, through Redis."""
    from django.conf import settings as django_settings

    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the test database on PostgreSQL")
    url = _redis_url()
    if not _redis_up(url):
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}; CI must run this test")
        pytest.skip(f"Redis is not reachable at {url}")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue_name = f"fangkong-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fangkong.test_settings",
        "FANGKONG_DATABASE_URL": database_url,
        "FANGKONG_REDIS_URL": url,
        "FANGKONG_TASKS_EAGER": "false",
        "FANGKONG_VAR_DIR": str(django_settings.VAR_DIR),
        "FANGKONG_FIELD_KEY": django_settings.FIELD_KEY,
        "FANGKONG_SECRET_KEY": django_settings.SECRET_KEY,
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "fangkong.celery",
            "worker",
            "-Q",
            queue_name,
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield url, queue_name
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        print((tmp_path / "worker.log").read_text()[-3000:])


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_validates_and_imports_through_redis(
    world: World, celery_worker_process: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fangkong.celery import app

    url, queue_name = celery_worker_process
    for key, value in (
        ("task_always_eager", False),
        ("broker_url", url),
        ("result_backend", url),
        ("task_default_queue", queue_name),
    ):
        monkeypatch.setitem(app.conf, key, value)
    app._pool = None  # a pool made earlier in this process would still talk to memory://
    app.amqp._producer_pool = None
    try:
        job = import_upload(
            actor=world.wanping_worker,
            area=world.areas[WANPING],
            file=SimpleUploadedFile("w.xlsx", sheet_bytes([person_row(i) for i in range(1, 51)])),
        )
        job = _wait_for(job, {ImportStatus.VALIDATED, ImportStatus.FAILED})
        assert (job.status, job.valid_rows) == (ImportStatus.VALIDATED, 50), job.message
        import_confirm(actor=world.wanping_worker, job=job)
        job = _wait_for(job, {ImportStatus.DONE, ImportStatus.FAILED})
        assert (job.status, job.created_count) == (ImportStatus.DONE, 50), job.message
        assert Person.objects.filter(area__code=WANPING_ZONE).count() == 50
    finally:  # the next test builds its pools again, on the restored settings
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None


def test_a_stale_running_job_can_be_cancelled(world: World) -> None:
    job = validated(world.wanping_worker, [person_row(1)])
    import_confirm(actor=world.wanping_worker, job=job, background=False)
    with pytest.raises(ValidationError):
        import_cancel(actor=world.wanping_worker, job=job)  # alive: it may be writing
    from django.core.cache import cache

    cache.delete(progress_key(job.pk))
    ImportJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at - dt.timedelta(hours=1))
    job.refresh_from_db()
    assert import_cancel(actor=world.wanping_worker, job=job).status == ImportStatus.CANCELLED
