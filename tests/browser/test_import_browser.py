"""Excel in, in a phone-sized Chromium: upload, preview with reasons, error report."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.imports.excel import COLUMNS
from fangkong.registry.models import ImportStatus, Person
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, WANPING_ZONE, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rid(i: int) -> str:
    first17 = f"110106{dt.date(1970, 1, 1) + dt.timedelta(days=i // 900):%Y%m%d}{100 + i % 900:03d}"
    return first17 + resident_id_check_digit(first17)


def person_row(i: int, **values: Any) -> dict[str, Any]:
    return {
        "name": f"测试{i}",
        "document_number": rid(i),
        "phone": f"139{i:08d}",
        "area": WANPING_ZONE,
        "building": "3号院",
        "room": str(100 + i),
        **values,
    }


def sheet_bytes(rows: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    wb.active.append([c.title for c in COLUMNS])
    for row in rows:
        wb.active.append([row.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def eager_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    from fangkong.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_a_worker_uploads_a_sheet_with_two_bad_rows_and_downloads_the_report(
    world: World, live_server: Any, phone: Any, tmp_path: Path, eager_tasks: None
) -> None:
    sheet = tmp_path / "宛平摸排表.xlsx"
    sheet.write_bytes(
        sheet_bytes(
            [
                person_row(1),
                person_row(2, phone="1390000000"),  # 10 digits
                person_row(3),
                person_row(4, document_number=rid(4)[:17]),  # 17 characters
            ]
        )
    )
    log_in(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/imports/")
    assert phone.get_by_role("heading", name="导入摸排表").is_visible()
    phone.set_input_files("#import-file", str(sheet))
    phone.get_by_role("button", name="上传并校验").click()
    phone.wait_for_url(re.compile(r".*/registry/imports/\d+/$"))

    errors = phone.locator('[data-role="errors"] li')
    assert errors.count() == 2
    assert "第 3 行" in errors.nth(0).inner_text() and "手机号" in errors.nth(0).inner_text()
    assert "第 5 行" in errors.nth(1).inner_text()
    assert "应为 18 位，现为 17 位" in errors.nth(1).inner_text()
    preview = phone.locator('[data-role="preview"] .list-group-item')
    assert preview.count() == 4
    assert phone.locator('[data-role="preview"] .list-group-item-danger').count() == 2
    assert phone.locator('[data-stat="errors"]').inner_text() == "2"
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "import-preview-375")

    with phone.expect_download() as info:
        phone.locator('[data-role="report"]').first.click()
    report = info.value
    assert report.suggested_filename.endswith("错误报告.xlsx")
    saved = tmp_path / "report.xlsx"
    report.save_as(saved)
    header, *rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    reasons = [row[header.index("错误原因")] for row in rows]
    assert len(rows) == 2
    assert reasons[0].startswith("E3 手机号：") and "11 位" in reasons[0]
    assert reasons[1].startswith("D5 证件号码：") and "17 位" in reasons[1]
    assert [row[header.index("原表行号")] for row in rows] == [3, 5]

    # Nothing is imported unless the worker explicitly takes the valid rows only.
    phone.get_by_label(re.compile("只导入无误的 2 行")).check()
    phone.get_by_role("button", name="导入无误的行").click()
    phone.wait_for_selector('[data-role="result"]')
    assert "新增 2 人" in phone.locator('[data-role="result"]').inner_text()
    assert Person.objects.count() == 2
    assert phone.console_errors == []


def test_the_progress_bar_polls_until_the_check_is_done(
    world: World, live_server: Any, phone: Any, tmp_path: Path
) -> None:
    """A job still waiting for its worker shows a bar that htmx refreshes every second;
    when the job moves on, the page reloads by itself."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fangkong.registry.imports.services import import_upload, import_validate

    job = import_upload(
        actor=world.wanping_worker,
        area=world.areas["110106014001"],
        file=SimpleUploadedFile("a.xlsx", sheet_bytes([person_row(1)])),
        background=False,
    )
    log_in(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/imports/{job.pk}/")
    assert phone.locator("#import-progress .progress").is_visible()
    import_validate(job=job)  # what the worker would do meanwhile
    phone.wait_for_selector('[data-stat="valid"]', timeout=10_000)
    assert phone.locator("#import-progress").get_attribute("data-status") == (
        ImportStatus.VALIDATED
    )
    assert phone.get_by_role("button", name="确认导入").is_visible()
    screenshot(phone, "import-validated-375")
    assert phone.console_errors == []
