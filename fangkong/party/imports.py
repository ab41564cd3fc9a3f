"""Transfer lists from Excel (微信群转账名单, 银行流水): read as a person sees them, each row
matched to a member of the organisation's branches, checked, and kept for a preview and
an error report; confirmed all or nothing — or, explicitly, only the rows without error.

Reading reuses the registry import's pieces (headers as people write them, cells as
text) and core.dates for days as people type them. An amount cell that Excel stored as a
number is read through its shortest decimal text ("88.88"), then parsed like any other
amount: exact to the fen or refused."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook

from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.dates import typed_date
from fangkong.core.errors import Conflict, invalid
from fangkong.core.scoping import ensure_visible, subtree_q
from fangkong.party.models import (
    Channel,
    Donation,
    DonationImport,
    ImportStatus,
    Member,
    Organisation,
    to_fen,
)
from fangkong.party.money import parse_amount, yuan
from fangkong.registry.imports.excel import cell_text, normalize_header, upload_limit

MAX_ROWS: Final = 5000
HEADER_ROWS: Final = 10
_COLUMNS: Final = {
    "姓名": "name", "党员姓名": "name", "捐款人": "name", "转账人": "name", "昵称": "name",
    "金额": "amount", "金额（元）": "amount", "金额(元)": "amount", "捐款金额": "amount",
    "转账金额": "amount",
    "日期": "on", "捐款日期": "on", "转账日期": "on", "时间": "on", "转账时间": "on",
    "交易单号": "receipt_no", "流水号": "receipt_no", "收据号": "receipt_no", "单号": "receipt_no",
    "方式": "channel", "捐款方式": "channel",
    "备注": "note",
}  # fmt: skip
_CHANNELS: Final = {str(label): value for value, label in Channel.choices} | {
    "微信": Channel.TRANSFER, "支付宝": Channel.TRANSFER, "银行转账": Channel.BANK,
}  # fmt: skip


def _open(source: IO[bytes]) -> tuple[list[str], dict[str, int], list[tuple[int, list[Any]]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(source)
        sheet = workbook.get_sheet_by_index(0)
        lines = list(enumerate(sheet.to_python(skip_empty_area=False), start=1))
    except Exception as exc:  # calamine raises its own errors for broken archives
        raise invalid(
            "file", _("文件不是有效的 Excel 工作簿，请上传 .xlsx 或 .xls 文件"), "not_excel"
        ) from exc
    for number, cells in lines[:HEADER_ROWS]:
        headers = [cell_text(c) for c in cells]
        index: dict[str, int] = {}
        for i, h in enumerate(headers):
            key = _COLUMNS.get(normalize_header(h))
            if key and key not in index:
                index[key] = i
        if "name" in index and "amount" in index:
            rows = [(n, list(c)) for n, c in lines[number:] if any(x not in ("", None) for x in c)]
            return headers, index, rows
    raise invalid("file", _("找不到表头：需要“姓名”和“金额”两列（在前 10 行内）"), "missing_column")


def _matcher(org: Organisation) -> dict[str, list[Member]]:
    by_name: dict[str, list[Member]] = {}
    members = Member.objects.filter(subtree_q("branch__path", org.path), active=True)
    for m in members.select_related("person", "branch"):
        by_name.setdefault(m.person.name, []).append(m)
    return by_name


def _check(
    cells: list[Any], index: dict[str, int], by_name: dict[str, list[Member]], today: dt.date
) -> tuple[dict[str, Any], list[str]]:
    def get(key: str) -> Any:
        i = index.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    problems: list[str] = []
    name = cell_text(get("name"))
    row: dict[str, Any] = {"name": name, "amount": "", "fen": 0, "on": "", "member": None}
    matched = by_name.get(name, [])
    if not name:
        problems.append(_("姓名为空"))
    elif not matched:
        problems.append(_("“%(name)s”不是本组织在册党员") % {"name": name})
    elif len(matched) > 1:
        problems.append(
            _("有 %(n)s 名党员叫“%(name)s”，请逐笔登记") % {"n": len(matched), "name": name}
        )
    else:
        row["member"] = matched[0].pk
        row["branch"] = matched[0].branch.name
    raw = cell_text(get("amount")).replace("¥", "").replace("￥", "")
    row["amount"] = raw
    try:
        amount = parse_amount(raw)
        row["amount"], row["fen"] = yuan(amount), to_fen(amount)
    except ValidationError as exc:
        problems.append(_("金额：%(reason)s") % {"reason": " ".join(exc.messages)})
    value = get("on")
    day = typed_date(value, today=today) if value not in ("", None) else today
    if isinstance(day, str):
        problems.append(day)
    else:
        row["on"] = day.isoformat()
    channel = cell_text(get("channel"))
    row["channel"] = _CHANNELS.get(channel, Channel.TRANSFER) if channel else Channel.TRANSFER
    if channel and channel not in _CHANNELS:
        problems.append(_("方式“%(v)s”应为现金、转账或银行") % {"v": channel})
    row["receipt_no"] = cell_text(get("receipt_no"))[:40]
    row["note"] = cell_text(get("note"))[:200]
    return row, problems


@transaction.atomic
def import_read(
    *, actor: Any, org: Organisation, file: IO[bytes], name: str = ""
) -> DonationImport:
    """Read a transfer list into a preview: every row matched and checked; nothing is
    recorded until `import_confirm`."""
    ensure_visible(org, actor, field="org")
    size = getattr(file, "size", None)
    if size is not None and size > upload_limit():
        raise invalid("file", _("文件过大"), "too_large")
    headers, index, lines = _open(file)
    if not lines:
        raise invalid("file", _("表中只有表头，没有数据行"), "empty")
    if len(lines) > MAX_ROWS:
        raise invalid("file", _("一次最多导入 %(n)s 行") % {"n": MAX_ROWS}, "too_many_rows")
    by_name = _matcher(org)
    today = timezone.localdate()
    seen: set[str] = set()
    booked = set(
        Donation.objects.filter(
            subtree_q("branch__path", org.path), reverses__isnull=True, reversed=False
        )
        .exclude(receipt_no="")
        .values_list("receipt_no", flat=True)
    )
    # Only the columns read are kept (a list may carry phones or ID numbers: not stored).
    kept = sorted(index.values())
    rows = []
    for number, cells in lines:
        row, problems = _check(cells, index, by_name, today)
        receipt = row["receipt_no"]
        if receipt and receipt in seen:
            problems.append(_("单号“%(no)s”在表中重复") % {"no": receipt})
        elif receipt and receipt in booked:
            problems.append(_("单号“%(no)s”已登记过") % {"no": receipt})
        seen.add(receipt)
        row["row"] = number
        row["cells"] = [cell_text(cells[i]) if i < len(cells) else "" for i in kept]
        row["error"] = "；".join(problems)
        rows.append(row)
    job = DonationImport.objects.create(
        org=org,
        file_name=name[:200],
        headers=[headers[i] for i in kept],
        rows=rows,
        errors=sum(1 for r in rows if r["error"]),
        by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=job, area=org.area, detail="import read"
    )
    return job


@transaction.atomic
def import_confirm(*, actor: Any, job: DonationImport, partial: bool = False) -> DonationImport:
    """Record the preview's donations in one transaction. With rows in error, nothing is
    recorded unless `partial` says to record the others (and only them)."""
    from fangkong.party.services import branch_days_rebuild, donation_record

    ensure_visible(job.org, actor)
    job = DonationImport.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.PREVIEW:
        raise Conflict("import", _("这份名单已经处理过了"), code="not_preview")
    if job.errors and not partial:
        raise invalid(
            "partial",
            _("有 %(n)s 行有误：改好后重新上传，或选择只导入无误的行") % {"n": job.errors},
            "has_errors",
        )
    members = {m.pk: m for m in Member.objects.filter(pk__in=[r["member"] for r in job.valid_rows])}
    for row in job.valid_rows:
        donation_record(
            actor=actor,
            member=members[row["member"]],
            amount=row["amount"],
            channel=row["channel"],
            receipt_no=row["receipt_no"],
            on=dt.date.fromisoformat(row["on"]),
            note=row["note"],
            recount=False,
        )
    branch_days_rebuild({m.branch_id for m in members.values()})
    job.status = ImportStatus.DONE
    job.recorded = len(job.valid_rows)
    job.save(update_fields=["status", "recorded"])
    return job


def error_report(job: DonationImport) -> bytes:
    """The refused rows as uploaded with a 错误原因 column: fix them and upload again."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("有误的行")
    ws.append([*job.headers, _("错误原因"), _("原行号")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in job.error_rows:
        ws.append([*row["cells"], row["error"], row["row"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
