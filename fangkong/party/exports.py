"""The donations workbook in the shape offices use: one sheet of the organisation and its
children (members, donors, amount, participation, above suggested; the day and to date),
one sheet of the day's donations. Amounts are written as Decimal (exact), shown 0.00."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from fangkong.audit.services import audit_export
from fangkong.party.models import Donation, Organisation
from fangkong.party.selectors import Figures, summary

_BOLD = Font(bold=True)
_MONEY = "#,##0.00"


def _figures_row(f: Figures) -> list[Any]:
    assert f.org is not None
    return [
        f.org.name,
        f.org.get_kind_display(),
        f.members,
        f.donors,
        f.amount,
        float(f.participation),
        f.above_suggested,
        f.total_donors,
        f.total_amount,
    ]


def build_workbook(org: Organisation, on: dt.date) -> tuple[Workbook, int]:
    top = summary(org, on)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("捐款汇总")
    ws.append([_("%(org)s 党员自愿捐款情况（%(on)s）") % {"org": org.name, "on": on}])
    ws["A1"].font = _BOLD
    headers = [
        _("党组织"), _("类型"), _("党员人数"), _("当日捐款人数"), _("当日捐款金额（元）"),
        _("参与率"), _("超过建议金额人次"), _("累计捐款人数"), _("累计捐款金额（元）"),
    ]  # fmt: skip
    ws.append(headers)
    for cell in ws[2]:
        cell.font = _BOLD
    rows = [*top.children, top]
    for f in rows:
        ws.append(_figures_row(f))
    for row in ws.iter_rows(min_row=3):
        row[4].number_format = row[8].number_format = _MONEY
        row[5].number_format = "0.0%"
    ws.cell(ws.max_row, 1).font = _BOLD
    for letter, width in zip("ABCDEFGHI", (28, 10, 10, 12, 16, 8, 14, 12, 16), strict=True):
        ws.column_dimensions[letter].width = width
    detail = wb.create_sheet(_("当日捐款明细"))
    detail.append(
        [
            _("党支部"),
            _("姓名"),
            _("金额（元）"),
            _("方式"),
            _("收据号 / 流水号"),
            _("日期"),
            _("备注"),
        ]
    )
    for cell in detail[1]:
        cell.font = _BOLD
    donations = (
        Donation.objects.filter(branch__path__startswith=org.path, on=on)
        .select_related("branch", "member__person")
        .order_by("branch__path", "pk")
    )
    count = 0
    for d in donations.iterator(chunk_size=2000):
        detail.append(
            [d.branch.name, d.member.person.name, d.amount, d.get_channel_display(),
             d.receipt_no, d.on, d.note]
        )  # fmt: skip
        detail.cell(detail.max_row, 3).number_format = _MONEY
        detail.cell(detail.max_row, 6).number_format = "yyyy-mm-dd"
        count += 1
    return wb, count + len(rows)


def summary_workbook(request: HttpRequest, org: Organisation, on: dt.date) -> HttpResponse:
    wb, rows = build_workbook(org, on)
    buffer = io.BytesIO()
    wb.save(buffer)
    audit_export(
        actor=request.user, what="party.donation", rows=rows, request=request, area=org.area
    )
    name = f"{org.name}党员捐款{on:%Y%m%d}.xlsx"
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
