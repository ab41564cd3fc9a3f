"""A one-sheet workbook streamed as it is written, for exports of any size.

openpyxl's write-only mode writes ~4,000 rows a second here and hands out nothing until
the whole file is zipped: a 1,000,000-row export would run four minutes before its first
byte, past any proxy's timeout. This writer turns each row into XML and pushes it through
a deflating zip stream at once, so the response starts at the first rows and memory stays
the same whatever the count. One sheet, inline strings, two styles (bold, text).

Columns are anything with `title` (the header cell), `width` and `text` (keep as text in
Excel: long digit strings must not become numbers)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Protocol

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

EXCEL_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxColumn(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def width(self) -> int: ...

    @property
    def text(self) -> bool: ...


EXCEL_MAX_ROWS: Final = 1_048_576  # Excel's own limit, header included

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_BOLD, _TEXT = 1, 2
# XML 1.0 cannot carry most control characters; a cell typed with one loses it.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL_XML.sub("", text)


class _Sink:
    """Where the zip stream writes; the generator drains it after each batch of rows."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    columns: Sequence[XlsxColumn],
    title: str = "人员",
    batch: int = 1000,
) -> Iterator[bytes]:
    """The bytes of a one-sheet workbook: `columns` as the header, then `rows` (values:
    str, int, float or None/"" for an empty cell). Text columns stay text in Excel."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    text_style = [c.text for c in columns]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(title=_xml_text(title)))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        yield sink.take()
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"'
                + (f' style="{_TEXT}"' if c.text else "")
                + "/>"
                for i, c in enumerate(columns, start=1)
            )
            head = "".join(
                f'<c r="{letter}1" t="inlineStr" s="{_BOLD}"><is><t>'
                f"{_xml_text(c.title)}</t></is></c>"
                for letter, c in zip(letters, columns, strict=True)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f'<cols>{cols}</cols><sheetData><row r="1">{head}</row>'
                ).encode()
            )
            parts: list[str] = []
            number = 1
            for number, row in enumerate(rows, start=2):
                if number > EXCEL_MAX_ROWS:
                    raise ValueError("more rows than an Excel sheet holds")
                cells = [f'<row r="{number}">']
                for letter, is_text, value in zip(letters, text_style, row, strict=False):
                    if value is None or value == "":
                        continue
                    if isinstance(value, bool):
                        value = "是" if value else "否"
                    if isinstance(value, int | float):
                        cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                        continue
                    text = _xml_text(str(value))
                    space = ' xml:space="preserve"' if text != text.strip() else ""
                    style = f' s="{_TEXT}"' if is_text else ""
                    cells.append(
                        f'<c r="{letter}{number}" t="inlineStr"{style}><is>'
                        f"<t{space}>{text}</t></is></c>"
                    )
                cells.append("</row>")
                parts.append("".join(cells))
                if len(parts) >= batch:
                    sheet.write("".join(parts).encode())
                    parts.clear()
                    data = sink.take()
                    if data:
                        yield data
            sheet.write(("".join(parts) + "</sheetData></worksheet>").encode())
    yield sink.take()
