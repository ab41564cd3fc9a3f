"""Excel out: what the account may see, with the list's filters, masked unless a role
that may see full numbers asks, audited, streamed; and an edited export imports back
as an update of the same people."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.core.crypto import decrypt
from fangkong.core.xlsx import stream_xlsx
from fangkong.registry.imports.excel import COLUMNS, Column
from fangkong.registry.imports.services import (
    import_apply,
    import_confirm,
    import_upload,
    import_validate,
)
from fangkong.registry.models import ImportStatus, Person, Residence
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World
from tests.registry.test_import import imported, person_row, rid

HEADERS = [c.title for c in COLUMNS]


def rows_of(response: Any) -> list[dict[str, Any]]:
    data = b"".join(response.streaming_content)
    header, *body = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert list(header) == HEADERS
    return [dict(zip(header, line, strict=True)) for line in body]


@pytest.fixture
def people(world: World) -> World:
    imported(
        world.wanping_worker,
        [
            person_row(1, whereabouts="未返京", away_from="湖北省"),
            person_row(2, name="李四", residence_kind="租住", landlord_document=rid(3)),
            person_row(3, name="房东王", building="7号院"),
        ],
    )
    imported(world.zhenguosi_worker, [person_row(9, area=ZHENGUOSI)], area=ZHENGUOSI)
    return world


def test_it_exports_what_the_account_may_see_masked_and_audited(people: World) -> None:
    response = people.client(people.wanping_worker).get("/registry/people/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    rows = rows_of(response)
    assert sorted(r["姓名*"] for r in rows) == ["房东王", "李四", "测试1"]  # not Zhenguosi's
    tenant = next(r for r in rows if r["姓名*"] == "李四")
    assert tenant["证件号码"] == rid(2)[:6] + "********" + rid(2)[-4:]
    assert tenant["手机号"] == "139****0002" and tenant["房东证件号码"].count("*") == 8
    assert tenant["居住类型"] == "租住" and tenant["区域代码*"] == WANPING_ZONE
    assert tenant["人员编号"] == Person.objects.get(name="李四").pk
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.detail, event.object_type) == (
        people.wanping_worker,
        "3 行",
        "registry.person",
    )


def test_zhenguosi_exports_nothing_of_wanping(people: World) -> None:
    rows = rows_of(people.client(people.zhenguosi_worker).get("/registry/people/export.xlsx"))
    assert [r["姓名*"] for r in rows] == ["测试9"]
    refused = people.client(people.zhenguosi_worker).get(
        f"/registry/people/export.xlsx?area={WANPING}"
    )
    assert refused.status_code == 302  # back to the list, with the reason
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=people.zhenguosi_worker).count()
        == 1
    )


def test_it_applies_the_lists_filters(people: World) -> None:
    page = people.client(people.wanping_officer)
    assert [
        r["姓名*"] for r in rows_of(page.get("/registry/people/export.xlsx?whereabouts=not_back"))
    ] == ["测试1"]
    assert [r["姓名*"] for r in rows_of(page.get("/registry/people/export.xlsx?q=李"))] == ["李四"]
    assert len(rows_of(page.get(f"/registry/people/export.xlsx?area={WANPING_ZONE}"))) == 3
    assert rows_of(page.get("/registry/people/export.xlsx?area=110106014001Z2")) == []
    assert [
        r["姓名*"] for r in rows_of(page.get("/registry/people/export.xlsx?residence_kind=tenant"))
    ] == ["李四"]


def test_full_numbers_only_for_a_role_that_may_see_them_and_audited(people: World) -> None:
    officer = people.client(people.wanping_officer)  # a street officer: masked only
    assert officer.get("/registry/people/export.xlsx?full=1").status_code == 403
    rows = rows_of(people.client(people.wanping_worker).get("/registry/people/export.xlsx?full=1"))
    tenant = next(r for r in rows if r["姓名*"] == "李四")
    assert (tenant["证件号码"], tenant["手机号"], tenant["房东证件号码"]) == (
        rid(2),
        "+8613900000002",
        rid(3),
    )
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, object_type="registry.person.full"
        ).count()
        == 1
    )
    view = AuditEvent.objects.get(action=AuditAction.VIEW_RECORD)
    assert "完整证件号和电话 3 行" in view.detail


def test_an_edited_export_imports_back_as_an_update(people: World) -> None:
    worker = people.wanping_worker
    before = {p.pk: p for p in Person.objects.all()}
    data = b"".join(people.client(worker).get("/registry/people/export.xlsx").streaming_content)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) + 1 for h in header}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["姓名*"]).value == "测试1":  # back in Beijing, a new phone
            ws.cell(r, col["是否在京"]).value = "在京"
            ws.cell(r, col["未返京所在地"]).value = None
            ws.cell(r, col["手机号"]).value = "13688889999"
        if ws.cell(r, col["姓名*"]).value == "李四":  # moved within the zone
            ws.cell(r, col["楼栋/院*"]).value = "8号院"
    edited = io.BytesIO()
    wb.save(edited)

    job = import_upload(
        actor=worker,
        area=people.areas[WANPING],
        file=SimpleUploadedFile("人员.xlsx", edited.getvalue()),
        background=False,
    )
    import_validate(job=job)
    assert (job.status, job.error_rows) == (ImportStatus.VALIDATED, 0), job.errors
    assert {p["action"] for p in job.preview} == {"update"}
    import_confirm(actor=worker, job=job, background=False)
    import_apply(job=job)
    assert (job.created_count, job.updated_count) == (0, 3)
    after = {p.pk: p for p in Person.objects.all()}
    assert after.keys() == before.keys()
    back = Person.objects.get(name="测试1")
    assert (back.whereabouts, back.away_from) == ("in_beijing", "")
    assert decrypt(back.phone_cipher) == "+8613688889999"
    assert decrypt(back.document_cipher) == rid(1)  # the masked number changed nothing
    tenant = Person.objects.get(name="李四")
    home = tenant.residences.get(until__isnull=True)
    assert str(home.address) == "8号院 102" and home.landlord.name == "房东王"
    assert Residence.objects.filter(person=tenant).count() == 2
    unchanged = Person.objects.get(name="房东王")
    assert unchanged.document_index == before[unchanged.pk].document_index
    assert unchanged.phone_masked == before[unchanged.pk].phone_masked


def test_a_masked_number_cannot_create_a_person(people: World) -> None:
    data = b"".join(
        people.client(people.wanping_worker).get("/registry/people/export.xlsx").streaming_content
    )
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 1).value = None  # 人员编号 removed: the rows would be new people
    out = io.BytesIO()
    wb.save(out)
    job = import_validate(
        job=import_upload(
            actor=people.wanping_worker,
            area=people.areas[WANPING],
            file=SimpleUploadedFile("x.xlsx", out.getvalue()),
            background=False,
        )
    )
    assert job.error_rows == 3
    assert all("已遮挡" in e["reason"] for e in job.errors)


def test_the_streaming_writer_makes_a_workbook_excel_readers_open(tmp_path: Any) -> None:
    columns = [Column("a", "文本", text=True), Column("b", "数字"), Column("c", "备注")]
    rows = [["0123", 42, "a & b <c> \x01"], ["", 1.5, " 前后空格 "], [None, None, None]]
    data = b"".join(stream_xlsx(iter(rows), columns=columns, batch=1))
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == ["文本", "数字", "备注"]
    assert [c.value for c in ws[2]] == ["0123", 42, "a & b <c> "]
    assert ws["A2"].number_format == "@" and ws["C3"].value == " 前后空格 "
    path = tmp_path / "s.xlsx"
    path.write_bytes(data)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert list(sheet.iter_rows())[1] == ["0123", 42.0, "a & b <c> "]


def test_the_export_is_a_stream_not_a_file_built_first(people: World) -> None:
    response = people.client(people.wanping_worker).get("/registry/people/export.xlsx")
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1 and chunks[0].startswith(b"PK")


def test_a_guard_may_not_export(people: World) -> None:
    assert people.client(people.guard).get("/registry/people/export.xlsx").status_code == 403


def test_an_empty_export_still_has_its_header(world: World) -> None:
    assert rows_of(world.client(world.wanping_worker).get("/registry/people/export.xlsx")) == []


def test_a_workbook_with_the_export_columns_imports_into_the_template_shape(world: World) -> None:
    # A hand-made sheet in the export's column order, without 人员编号 values, creates people.
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(
        [
            None,
            "新人",
            "居民身份证",
            rid(40),
            "13900000040",
            None,
            None,
            "常住人口",
            "在京",
            None,
            WANPING_ZONE,
            "1号院",
            None,
            "1",
            "自有住房",
            None,
            None,
            None,
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    job = import_validate(
        job=import_upload(
            actor=world.wanping_worker,
            area=world.areas[WANPING],
            file=SimpleUploadedFile("n.xlsx", out.getvalue()),
            background=False,
        )
    )
    assert (job.valid_rows, job.preview[0]["action"]) == (1, "create")
