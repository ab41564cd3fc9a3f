"""A workbook as offices make it, on a 375 px phone: a cover sheet first, the people on the
second sheet and an old hidden sheet. The import reads the first visible sheet, says which
sheet it read and why it failed, and the worker picks the right one from the list."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from fangkong.registry.imports.excel import COLUMNS
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone
from tests.browser.test_import_browser import eager_tasks, log_in, person_row  # noqa: F401
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def workbook() -> bytes:
    wb = Workbook()
    old = wb.active
    old.title = "旧表"
    old.append([c.title for c in COLUMNS])
    old.sheet_state = "hidden"
    cover = wb.create_sheet("说明")
    cover.append(["宛平城社区返京人员摸排表（2月10日）"])
    people = wb.create_sheet("摸排表")
    people.append([c.title for c in COLUMNS])
    for i in (1, 2, 3):
        row = person_row(i)
        people.append([row.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_worker_picks_the_sheet_with_the_people(
    world: World,
    live_server: Any,
    phone: Any,
    tmp_path: Path,
    eager_tasks: None,  # noqa: F811
) -> None:
    sheet = tmp_path / "宛平摸排表.xlsx"
    sheet.write_bytes(workbook())
    log_in(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/imports/")
    phone.set_input_files("#import-file", str(sheet))
    phone.get_by_role("button", name="上传并校验").click()
    phone.wait_for_url(re.compile(r".*/registry/imports/\d+/$"))
    # The first visible sheet was read (not the hidden one), and the page says so.
    assert "说明" in phone.locator('[data-role="sheet"]').inner_text()
    assert "说明" in phone.locator('[data-role="message"]').inner_text()
    choices = phone.get_by_label("改读另一个工作表：")
    options = choices.locator("option").all_inner_texts()
    # Visible sheets first, hidden ones last and marked.
    assert "摸排表" in options and "旧表" in options[-1] and "隐藏" in options[-1]
    assert fits_the_phone(phone)
    screenshot(phone, "import-sheet-choice-375")
    choices.select_option("摸排表")
    phone.get_by_role("button", name="重新校验").click()
    phone.wait_for_selector('[data-stat="valid"]')
    assert phone.locator('[data-stat="valid"]').inner_text() == "3"
    assert "摸排表" in phone.locator('[data-role="sheet"]').inner_text()
    assert phone.console_errors == []
