"""A transfer list from Excel: matched to members, previewed with an error report, then
recorded all or nothing — or, explicitly, only the rows without error."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from fangkong.party.models import Donation, DonationImport
from tests.conftest import World
from tests.party.conftest import Party


def _sheet(rows: list[list[Any]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["南方庄社区党员捐款转账名单"])
    ws.append(["序号", "姓名", "金额（元）", "转账时间", "交易单号", "身份证号"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("转账名单.xlsx", buffer.getvalue())


GOOD = [
    [1, "党员0", 100, "2020-02-28", "WX001", "110106195001011234"],
    [2, "党员1", 88.88, "2020/2/28", "WX002", ""],
    [3, "党员3", "0.01", "2020年2月28日", "WX003", ""],
]


def test_a_clean_list_is_previewed_then_recorded(world: World, party: Party) -> None:
    api = world.api(party.treasurer)
    r = api.post(
        "/api/v1/donations/imports/",
        {"org": party.community.pk, "file": _sheet(GOOD)},
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["errors"] == 0 and body["valid_amount"] == "188.89"
    assert Donation.objects.count() == 0
    job = DonationImport.objects.get()
    assert "110106195001011234" not in str(job.rows) and "身份证号" not in job.headers
    done = api.post(f"/api/v1/donations/imports/{body['id']}/confirm/", {}, format="json")
    assert done.status_code == 200 and done.json()["recorded"] == 3
    assert sorted(d.amount for d in Donation.objects.all()) == [
        Decimal("0.01"),
        Decimal("88.88"),
        Decimal("100.00"),
    ]
    again = api.post(f"/api/v1/donations/imports/{body['id']}/confirm/", {}, format="json")
    assert again.status_code == 409


def test_errors_are_reported_and_nothing_is_recorded_without_partial(
    world: World, party: Party
) -> None:
    bad = [
        *GOOD,
        [4, "不存在", 50, "2020-02-28", "WX004", ""],
        [5, "党员4", "12.345", "2020-02-28", "WX005", ""],
        [6, "党员4", "-5", "2020-02-28", "WX006", ""],
        [7, "党员4", 10, "2020-02-31", "WX007", ""],
        [8, "党员4", 10, "2020-02-28", "WX001", ""],
        [9, "镇国寺党员", 10, "2020-02-28", "WX009", ""],
    ]
    c = world.client(party.treasurer)
    r = c.post(f"/party/orgs/{party.community.pk}/import/", {"file": _sheet(bad)})
    assert r.status_code == 302
    job = DonationImport.objects.get()
    assert job.errors == 6
    errors = {row["row"]: row["error"] for row in job.rows if row["error"]}
    assert "不是本组织在册党员" in errors[6] and "金额" in errors[7] and "金额" in errors[8]
    assert "日期" in errors[9] and "重复" in errors[10] and "不是本组织在册党员" in errors[11]
    page = c.get(f"/party/imports/{job.pk}/").content.decode()
    assert 'data-row-error="6"' in page
    report = load_workbook(io.BytesIO(c.get(f"/party/imports/{job.pk}/errors.xlsx").content))
    ws = report.worksheets[0]
    assert ws.max_row == 7 and ws.cell(1, ws.max_column - 1).value == "错误原因"
    api = world.api(party.treasurer)
    refused = api.post(f"/api/v1/donations/imports/{job.pk}/confirm/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "partial"
    assert Donation.objects.count() == 0
    partial = api.post(
        f"/api/v1/donations/imports/{job.pk}/confirm/", {"partial": True}, format="json"
    )
    assert partial.status_code == 200 and partial.json()["recorded"] == 3
    assert Donation.objects.count() == 3


def test_a_file_that_is_not_a_list_is_400_naming_file(world: World, party: Party) -> None:
    api = world.api(party.treasurer)
    junk = SimpleUploadedFile("x.xlsx", b"not excel")
    r = api.post(
        "/api/v1/donations/imports/", {"org": party.community.pk, "file": junk}, format="multipart"
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "file"
    wb = Workbook()
    wb.active.append(["名字", "钱"])
    buffer = io.BytesIO()
    wb.save(buffer)
    r = api.post(
        "/api/v1/donations/imports/",
        {"org": party.community.pk, "file": SimpleUploadedFile("y.xlsx", buffer.getvalue())},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "missing_column"
    zg = world.api(party.zg_treasurer)
    r = zg.post(
        "/api/v1/donations/imports/",
        {"org": party.community.pk, "file": _sheet(GOOD)},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "org"
