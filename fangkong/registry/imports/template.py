"""The template to fill in (摸排表模板): the header, an example row, text-formatted ID,
phone and code columns, lists for the coded columns, and a 填写说明 sheet that shows the
words each coded column takes (cleaning.WORDING)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from fangkong.registry.imports.excel import (
    _HEADER_FILL,
    _HEADER_FONT,
    _REQUIRED_FILL,
    HELP_TITLE,
    IMPORT_COLUMNS,
    MAX_UPLOAD_BYTES,
    SHEET_TITLE,
    Column,
    add_choice_lists,
)
from fangkong.registry.models import DocumentType, ResidenceKind, Residency, Sex, Whereabouts
from fangkong.registry.people.cleaning import WORDING


def template_workbook(*, area_code: str = "") -> Workbook:
    """The sheet to fill in: the header, one example row, every ID, phone and code column
    formatted as text for all its rows (so Excel keeps 110106… whole as it is typed),
    lists for the coded columns, and a 填写说明 sheet with the words each column takes.
    Small, so built in memory (column formats need the ordinary workbook)."""
    wb = Workbook()
    columns = list(IMPORT_COLUMNS)
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.freeze_panes = "B2"
    for i, column in enumerate(columns, start=1):
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = column.width
        if column.text:
            dimension.number_format = "@"
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
    add_choice_lists(ws, columns)
    example = {c.key: c.example for c in columns}
    example["area"] = area_code or "110106014001Z1"
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=i, value=example[column.key] or None)
        if column.text:
            cell.number_format = "@"
    # The rows below take the column's text format once typed into; give the first
    # thousand their own too, for the spreadsheet programs that look at the cell only.
    text_columns = [i for i, c in enumerate(columns, start=1) if c.text]
    for row in range(3, 1003):
        for i in text_columns:
            ws.cell(row=row, column=i).number_format = "@"
    _instructions(wb.create_sheet(HELP_TITLE), columns)
    return wb


def _instructions(notes: Any, columns: list[Column]) -> None:
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        ("填写说明", "每行一人。带 * 的列必填。第 2 行是示例，导入前请删除或改成真实数据。"),
        (
            "文件",
            f"Excel 工作簿（.xlsx 或 .xls），不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB；"
            "读取第一个可见的工作表（导入时可以改选其他工作表）。合并的单元格对它覆盖的每一行都有效。",
        ),
        (
            "日期",
            "年-月-日，如 2020-02-03；也可写 2020/2/3、2020.2.3、2020年2月3日，"
            "或用 Excel 的日期格式。不能晚于今天。",
        ),
        (
            "姓名",
            "前后的空格（含全角空格）会去掉；为对齐加在两个汉字之间的空格也会去掉，"
            "如“何　芳”记为何芳。",
        ),
        ("空行", "只填了序号或区域代码、没有人员信息的行会跳过，并在结果中说明跳过了几行。"),
        (
            "导入方式",
            "先校验再导入：任何一行有误时整表不导入，可下载错误报告改正后重新上传；"
            "也可明确选择只导入无误的行。错误指明行号和列（如 C5 证件号码）。",
        ),
        (
            "再次导入",
            "从系统导出的表格带“人员编号”，修改后上传即更新对应人员；"
            "遮挡的证件号码、手机号保持不变。",
        ),
    ]
    for row, (title, text) in enumerate(lines, start=1):
        notes.cell(row=row, column=1, value=title).font = _HEADER_FONT
        notes.cell(row=row, column=2, value=text).alignment = wrap
    row = len(lines) + 2
    for i, title in enumerate(("列", "说明；可以填写的词")):
        notes.cell(row=row, column=i + 1, value=title).font = _HEADER_FONT
    words = wording_table()
    for column in columns:
        row += 1
        text = column.help
        if column.key in words:
            listed = "；".join(f"{label}：{'、'.join(w)}" for label, w in words[column.key])
            text = (text + "。" if text else "") + "可填：" + listed
        notes.cell(row=row, column=1, value=column.title)
        notes.cell(row=row, column=2, value=text or "—").alignment = wrap


def wording_table() -> dict[str, list[tuple[str, list[str]]]]:
    """Column key → [(label, the words that mean it)], from cleaning.WORDING."""
    of = {
        "document_type": DocumentType,
        "sex": Sex,
        "residency": Residency,
        "whereabouts": Whereabouts,
        "residence_kind": ResidenceKind,
    }
    out = {}
    with translation.override("zh-hans"):
        for key, choices in of.items():
            words = WORDING.get(choices, {})
            out[key] = [
                (str(label), [w for w in words.get(code, ()) if w != str(label)])
                for code, label in choices.choices
            ]
    return out
