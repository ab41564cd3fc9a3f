"""The screening sheet (摸排表) as a spreadsheet: one column definition shared by the
template, the import and the export, a streaming reader and the writers.

Reading is python-calamine only: it reads ~15× faster than openpyxl here. calamine holds
the sheet's cells in Rust while rows are handed to Python one at a time, so Python's
share stays flat; the upload limit (50 MB) bounds the rest. Writing is openpyxl in
write-only mode, which streams rows to disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from django.conf import settings
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]
    DataValidation,
)
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.models import DocumentType, ResidenceKind, Residency, Sex, Whereabouts

MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
SHEET_TITLE: Final = "人员"
HELP_TITLE: Final = "填写说明"
REASON_HEADER: Final = "错误原因"
ROW_HEADER: Final = "原表行号"
# A title row or two above the header is common in office sheets; look this far for it.
HEADER_SEARCH_ROWS: Final = 10


def upload_limit() -> int:
    """Bytes; FANGKONG's settings may lower it (tests do), never raise it past sanity."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES))


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    required: bool = False
    export_only: bool = False  # written by the export; optional on import (matches a person)
    text: bool = False  # keep as text in Excel: long digit strings must not become numbers
    width: int = 12
    example: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The header cell as written: required columns carry a star."""
        return f"{self.header}*" if self.required else self.header


def _labels(choices: Any) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices.choices)


def _example_id() -> str:
    first17 = "11010619900307123"
    return first17 + resident_id_check_digit(first17)


COLUMNS: Final[tuple[Column, ...]] = (
    Column(
        "id",
        "人员编号",
        export_only=True,
        width=10,
        help="导出时填写，用于再次导入时更新同一人；新增人员留空",
    ),
    Column("name", "姓名", required=True, width=10, example="张三"),
    Column(
        "document_type",
        "证件类型",
        width=12,
        example="居民身份证",
        choices=_labels(DocumentType),
        help="留空视为居民身份证",
    ),
    Column(
        "document_number",
        "证件号码",
        text=True,
        width=22,
        example=_example_id(),
        help="请用文本格式填写；身份证号会校验出生日期和校验位",
    ),
    Column(
        "phone",
        "手机号",
        text=True,
        width=14,
        example="13800138000",
        help="11 位手机号，或带区号的固定电话",
    ),
    Column(
        "sex",
        "性别",
        width=6,
        example="男",
        choices=_labels(Sex),
        help="有身份证号时可留空，按证件号计算",
    ),
    Column(
        "birth_date",
        "出生日期",
        width=12,
        example="1990-03-07",
        help="年-月-日；有身份证号时可留空",
    ),
    Column("residency", "人员类别", width=10, example="常住人口", choices=_labels(Residency)),
    Column("whereabouts", "是否在京", width=10, example="在京", choices=_labels(Whereabouts)),
    Column("away_from", "未返京所在地", width=16, help="未返京人员必填，如：湖北省武汉市"),
    Column(
        "area",
        "区域代码",
        required=True,
        text=True,
        width=16,
        help="社区或片区代码，须在本次导入的区域内",
    ),
    Column("building", "楼栋/院", required=True, width=12, example="1号院"),
    Column("entrance", "单元", width=8),
    Column("room", "房间", width=8, example="101"),
    Column(
        "residence_kind",
        "居住类型",
        width=10,
        example="自有住房",
        choices=_labels(ResidenceKind),
        help="留空时：填了房东视为租住，否则为自有住房",
    ),
    Column("since", "入住日期", width=12, help="年-月-日，可留空"),
    Column(
        "landlord_document",
        "房东证件号码",
        text=True,
        width=22,
        help="租住人员填写；房东须已登记，或在本表中一并登记",
    ),
    Column("employer", "工作单位", width=20, help="单位名称；辖区内没有的单位会新建"),
)
BY_KEY: Final = {c.key: c for c in COLUMNS}
HEADER_OF: Final = {c.key: c.header for c in COLUMNS}
IMPORT_COLUMNS: Final = tuple(c for c in COLUMNS if not c.export_only)


class SheetError(Exception):
    """The whole file is refused (not Excel, empty, a required column missing, too big).
    `sheets`: the workbook's worksheets, when it could be opened — another may be the one."""

    def __init__(self, message: str, code: str, sheets: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.sheets = sheets or []


def normalize_header(value: Any) -> str:
    """ "姓名*", " 姓 名 ", "证件号码（必填）" → the bare header text."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(ch for ch in text if not ch.isspace())
    for mark in ("(必填)", "必填"):
        text = text.replace(mark, "")
    return text.rstrip("*")


_ALIASES: Final = {
    "手机号码": "phone",
    "电话": "phone",
    "联系电话": "phone",
    "身份证号": "document_number",
    "身份证号码": "document_number",
    "证件号": "document_number",
    "楼栋": "building",
    "院": "building",
    "楼号": "building",
    "房号": "room",
    "房间号": "room",
    "房东身份证号": "landlord_document",
    "编号": "id",
}
_BY_HEADER: Final = {c.header: c.key for c in COLUMNS} | _ALIASES


def cell_text(value: Any) -> str:
    """A cell as text: 13812345678.0 → "13812345678", dates → ISO, None → ""."""
    if type(value) is str:  # nearly every cell: skip the checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Sheet:
    """One worksheet as a person sees it, positioned after its header row: merged ranges
    give every row they cover their value, and lines holding nothing but pre-filled
    序号 / 区域代码 are skipped (and counted)."""

    name: str  # the worksheet read
    sheets: list[dict[str, Any]]  # every worksheet: {"name", "visible"}
    header_row: int  # Excel row number of the header (1-based)
    headers: list[str]  # the header cells as written, for the error report
    index: dict[str, int]  # column key → position in each row
    estimated_rows: int  # data rows including blank ones, for the progress bar
    _rows: Iterator[tuple[int, list[Any]]] = field(repr=False)
    _workbook: CalamineWorkbook = field(repr=False)
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # Excel rows, 0-based cols
    skipped: int = 0  # pre-filled lines without a person

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, cells) for every data row that names a person."""
        # The name first: it is filled in nearly every row, and the test stops there.
        content = sorted(
            (i for key, i in self.index.items() if key != "area"),
            key=lambda i: i != self.index.get("name"),
        )
        first = content[0]
        lines = self._merged_filled(self._rows) if self.merged else self._rows
        try:
            for number, cells in lines:
                width = len(cells)
                value = cells[first] if first < width else None
                if (value is not None and value != "") or any(
                    cells[i] not in ("", None) for i in content if i < width
                ):
                    yield number, cells
                elif any(c not in ("", None) for c in cells):
                    self.skipped += 1
        finally:
            self.close()

    def _merged_filled(
        self, lines: Iterator[tuple[int, list[Any]]]
    ) -> Iterator[tuple[int, list[Any]]]:
        """Each merged range's top-left value written into every cell it covers (Excel
        keeps it in the first cell only), for the ranges below the header."""
        pending = sorted(m for m in self.merged if m[1] > m[0] or m[3] > m[2])
        active: list[tuple[int, int, int, Any]] = []  # last row, first col, last col, value
        for number, cells in lines:
            while pending and pending[0][0] <= number:
                first, last, col0, col1 = pending.pop(0)
                if first == number and last > self.header_row:
                    value = cells[col0] if col0 < len(cells) else ""
                    active.append((last, col0, col1, value))
            if active:
                for _last, col0, col1, value in active:
                    if len(cells) <= col1:
                        cells = [*cells, *[""] * (col1 + 1 - len(cells))]
                    for c in range(col0, col1 + 1):
                        cells[c] = value
                active = [a for a in active if a[0] > number]
            yield number, cells

    def close(self) -> None:
        with contextlib.suppress(CalamineError):  # already closed
            self._workbook.close()


_NOT_EXCEL: Final = "文件不是有效的 Excel 工作簿，请上传 .xlsx 或 .xls 文件"


def _sheets(workbook: CalamineWorkbook) -> list[dict[str, Any]]:
    return [
        {"name": m.name, "visible": m.visible == SheetVisibleEnum.Visible}
        for m in workbook.sheets_metadata
        if m.typ == SheetTypeEnum.WorkSheet
    ]


def open_sheet(source: str | Path | IO[bytes], sheet_name: str = "") -> Sheet:
    """Open a worksheet — `sheet_name`, or the first visible one, as Excel opens the file —
    and find its header; SheetError for a file or sheet to refuse."""
    try:
        if isinstance(source, str | Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        sheets = _sheets(workbook)
    except (CalamineError, OSError, ValueError) as exc:
        raise SheetError(_NOT_EXCEL, "not_excel") from exc
    except Exception as exc:  # calamine raises its own panics for some broken archives
        raise SheetError(_NOT_EXCEL, "not_excel") from exc
    if sheet_name:
        if not any(s["name"] == sheet_name for s in sheets):
            workbook.close()
            raise SheetError(f"工作簿中没有名为“{sheet_name}”的工作表", "no_such_sheet", sheets)
        name = sheet_name
    else:
        visible = [s["name"] for s in sheets if s["visible"]]
        if not visible:
            workbook.close()
            raise SheetError("工作簿中没有可见的工作表", "empty", sheets)
        name = visible[0]
    try:
        sheet = workbook.get_sheet_by_name(name)
        merged = sheet.merged_cell_ranges or []
    except Exception as exc:
        workbook.close()
        raise SheetError(_NOT_EXCEL, "not_excel", sheets) from exc
    end = sheet.end
    if sheet.height == 0 or end is None:
        workbook.close()
        raise SheetError(f"工作表“{name}”是空的，没有表头也没有数据", "empty", sheets)
    # iter_rows() starts at the sheet's first row (A1), whatever the first used cell.
    rows = enumerate(sheet.iter_rows(), start=1)
    for number, cells in rows:
        headers = [cell_text(c) for c in cells]
        keys = {i: _BY_HEADER.get(normalize_header(h)) for i, h in enumerate(headers)}
        if "name" in keys.values() or number >= HEADER_SEARCH_ROWS:
            break
    else:
        workbook.close()
        raise SheetError(f"工作表“{name}”是空的，没有表头也没有数据", "empty", sheets)
    index: dict[str, int] = {}
    for i, key in keys.items():
        if key is not None and key not in index:
            index[key] = i
    missing = [c.header for c in IMPORT_COLUMNS if c.required and c.key not in index]
    if missing:
        workbook.close()
        raise SheetError(
            f"工作表“{name}”缺少必填列：{'、'.join(missing)}（表头须在前 {HEADER_SEARCH_ROWS} "
            "行内，请下载模板对照）",
            "missing_column",
            sheets,
        )
    estimated = max(0, end[0] + 1 - number)
    if estimated == 0:
        workbook.close()
        raise SheetError("表中只有表头，没有数据行", "empty", sheets)
    return Sheet(
        name=name,
        sheets=sheets,
        header_row=number,
        headers=headers,
        index=index,
        estimated_rows=estimated,
        _rows=rows,
        _workbook=workbook,
        # calamine: ((first row, first col), (last row, last col)), 0-based → Excel rows.
        merged=[(r0 + 1, r1 + 1, c0, c1) for (r0, c0), (r1, c1) in merged],
    )


def cell_name(row: int, index: int) -> str:
    """The cell as Excel names it: row 5, column 2 → "C5"."""
    return f"{get_column_letter(index + 1)}{row}"


# --- writing ---------------------------------------------------------------------------
_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def header_cells(ws: Any, columns: Iterable[Column], extra: Iterable[str] = ()) -> list[Any]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cells.append(cell)
    for title in extra:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def set_widths(ws: Any, widths: Iterable[int]) -> None:
    """Column widths; write-only sheets take them before the first row."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def text_cell(ws: Any, value: Any) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "@"
    return cell


def add_choice_lists(ws: Any, columns: list[Column], rows: int = 20000) -> None:
    for i, column in enumerate(columns, start=1):
        if column.choices:
            letter = get_column_letter(i)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            dv.add(f"{letter}2:{letter}{rows}")
            ws.data_validations.append(dv)


class ErrorReport:
    """The refused rows as uploaded, plus a 错误原因 column, streamed to a file: fix them
    and upload the report itself again. Nothing is created until the first refused row."""

    def __init__(self, path: Path, headers: list[str]) -> None:
        self.path = path
        self.rows = 0
        self._headers = headers
        self._width = len(headers)
        self._wb: Workbook | None = None
        self._ws: Any = None

    def _start(self) -> Any:
        self._wb = new_workbook()
        ws = self._ws = self._wb.create_sheet(SHEET_TITLE)
        set_widths(ws, [14] * self._width + [60, 10])
        cells = [WriteOnlyCell(ws, value=h) for h in [*self._headers, REASON_HEADER, ROW_HEADER]]
        for cell in cells:
            cell.font = _HEADER_FONT
        ws.append(cells)
        return ws

    def add(self, number: int, cells: list[Any], reason: str) -> None:
        ws = self._ws if self._ws is not None else self._start()
        padded = list(cells[: self._width]) + [""] * (self._width - len(cells))
        # Long digit strings stay text so that Excel does not round them.
        values = [text_cell(ws, v) if isinstance(v, str) and v.isdigit() else v for v in padded]
        ws.append([*values, reason, number])
        self.rows += 1

    def save(self) -> None:
        if self._wb is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._wb.save(self.path)
