"""The 日报 workbook, in the shape district offices circulate: a title, the issuing area and
the date in the header, one row per child area, a totals row; a second sheet says what each
column means. A few dozen rows: an ordinary openpyxl workbook (merged title cells)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from fangkong.access.models import Reason
from fangkong.reports.figures import FIGURES
from fangkong.reports.selectors import Day

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="EEEEEE")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def title(day: Day) -> str:
    return f"{day.area.name}疫情防控工作日报"


def filename(day: Day) -> str:
    return f"{day.area.name}日报-{day.on:%Y%m%d}.xlsx"


def daily_workbook(day: Day) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "日报"
    columns = ["序号", "区域", *(f"{f.label}（{f.unit}）" for f in FIGURES)]
    width = len(columns)
    last = get_column_letter(width)

    ws.append([title(day)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    built = timezone.localtime(day.build.built_at)  # Beijing time, not the stored UTC
    state = "已定稿" if day.build.final else f"截至 {built:%H:%M}（当日数据，仍在更新）"
    ws.append(
        [f"填报单位：{day.area.name}（{day.area.code}）    日期：{day.on:%Y年%m月%d日}    {state}"]
    )
    ws.merge_cells(f"A2:{last}2")

    ws.append(columns)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = CENTER
        cell.border = BOX
    ws.row_dimensions[3].height = 36

    for n, child in enumerate(day.children, start=1):
        name = f"{child.area.name}（本级）" if child.own else child.area.name
        ws.append([n, name, *(child.values[f.key] for f in FIGURES)])
    ws.append(["", "合计", *(day.figures[f.key] for f in FIGURES)])
    # A median is a number of hours with its digits; an empty one stays an empty cell.
    decimals = {
        i: "0." + "0" * f.digits if f.digits else "0"
        for i, f in enumerate(FIGURES, start=3)
        if f.median_of
    }
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        for cell in row:
            cell.border = BOX
            if cell.column in decimals:
                cell.number_format = decimals[cell.column]
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL

    if day.denials_by_reason:
        ws.append([])
        ws.append(
            [
                "",
                "禁止通行原因",
                *(f"{Reason(c).label}：{n} 次" for c, n in day.denials_by_reason.items()),
            ]
        )

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 22
    for i in range(3, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    notes = wb.create_sheet("指标说明")
    notes.append(["指标", "单位", "含义"])
    for f in FIGURES:
        notes.append([str(f.label), str(f.unit), str(f.help)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 60

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
