"""Excel in (摸排表导入): upload → validate every row → the worker confirms → one
all-or-nothing transaction that creates or updates people, addresses and residences.

Validation reads the sheet once, row by row, and writes two files next to the upload:
the checked rows (already encrypted: the spool holds no document number or phone in
clear) and the error report. The import then reads only the spool and writes in bulk,
chunk by chunk, inside one transaction: memory stays flat and a failure at any row
leaves the database as it was. The command line, which needs no preview, does both in
one pass on PostgreSQL: rows are checked in Python while a second connection writes the
previous chunk, still in one transaction, rolled back if any row is refused.

A row matches an existing person by 人员编号 (within the uploader's scope), else by
document number; otherwise it creates one. On an update a blank or masked cell keeps
the person's value, so an exported sheet edited in Excel imports back as an update.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Final

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import invalid
from fangkong.core.scoping import ensure_visible
from fangkong.registry.imports.collecting import fewer_collections
from fangkong.registry.imports.excel import (
    ErrorReport,
    Sheet,
    SheetError,
    open_sheet,
    upload_limit,
)
from fangkong.registry.imports.scanning import ScanResult, Spool, read_spool, scan
from fangkong.registry.imports.selectors import progress_key
from fangkong.registry.imports.writing import ImportFailed, Pipeline, Writer, can_pipeline
from fangkong.registry.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

STALE_AFTER: Final = dt.timedelta(minutes=10)
PROGRESS_SAVE_EVERY: Final = 1.0  # seconds
EXCEL_SIGNATURES: Final = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def imports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- progress ------------------------------------------------------------------------
# While the import writes, the job row sits behind the open transaction, so progress
# goes through the cache too (selectors.import_progress reads it).


def _report_progress(job_id: int, processed: int) -> None:
    cache.set(progress_key(job_id), (processed, time.time()), timeout=24 * 3600)


def _is_stale(job: ImportJob) -> bool:
    """A job "running" without a sign of life for a while: its process died."""
    value = cache.get(progress_key(job.pk))
    last = dt.datetime.fromtimestamp(value[1], tz=dt.UTC) if value else job.updated_at
    return timezone.now() - last > STALE_AFTER


def _scope_path(actor: Any, area: Area) -> str:
    """Where people may be matched: the actor's jurisdiction (the job's area for the
    command line, which runs without an account)."""
    if actor is None:
        return area.path
    if actor.sees_everything:
        return "/"
    return str(actor.area.path)


def _set(job: ImportJob, status_from: Iterable[str] | None = None, **values: Any) -> bool:
    """Change the job row; with `status_from`, only if it is still in one of those
    states (a cancelled job stays cancelled). Keeps the instance in step."""
    qs = ImportJob.objects.filter(pk=job.pk)
    if status_from is not None:
        qs = qs.filter(status__in=list(status_from))
    changed = qs.update(**values, updated_at=timezone.now()) == 1
    if changed:
        for key, value in values.items():
            setattr(job, key, value)
    return changed


def _remove(*paths: str) -> None:
    for path in paths:
        if path:
            Path(path).unlink(missing_ok=True)


# --- upload ----------------------------------------------------------------------------
def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return int(size)


def import_upload(
    *,
    actor: Any,
    area: Area,
    file: IO[bytes] | Any,
    name: str = "",
    sheet: str = "",
    background: bool = True,
) -> ImportJob:
    """Save an uploaded workbook and create its job; with `background`, validation is
    queued once the job is committed. `sheet`: the worksheet to read (default: the first
    visible one)."""
    if actor is not None:
        ensure_visible(area, actor, field="area")
    if area.retired_on is not None:
        raise invalid("area", f"“{area.name}”已撤销", "retired")
    name = (name or getattr(file, "name", "") or "upload.xlsx").replace("\\", "/")
    name = name.rsplit("/", 1)[-1][:255]
    size = _size(file)
    limit = upload_limit()
    if size > limit:
        raise invalid(
            "file",
            f"文件大小 {size / 1024 / 1024:.1f} MB，超过 {limit / 1024 / 1024:.0f} MB 上限，"
            "请分成几个文件上传",
            "too_large",
        )
    if size == 0:
        raise invalid("file", "文件是空的", "empty")
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(8)
    if not head.startswith(EXCEL_SIGNATURES):
        raise invalid("file", "文件不是有效的 Excel 工作簿，请上传 .xlsx 或 .xls 文件", "not_excel")
    suffix = Path(name).suffix.lower()
    path = imports_dir() / f"{uuid.uuid4().hex}{suffix if suffix in EXCEL_SUFFIXES else '.xlsx'}"
    with path.open("wb") as out:
        out.write(head)
        shutil.copyfileobj(file, out, 1024 * 1024)
    job = ImportJob.objects.create(
        area=area,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_path=str(path),
        original_name=name,
        size=size,
        sheet_name=(sheet or "").strip()[:100],
    )
    if background:
        from fangkong.registry.imports.tasks import import_validate_task

        transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


def _report_path(job: ImportJob) -> Path:
    base = Path(job.file_path).with_suffix("")
    return base.with_name(base.name + "-错误报告.xlsx")


def _open(job: ImportJob, status_from: list[str]) -> Sheet | None:
    """The job's sheet, or None with the job failed and its reason recorded."""
    if not _set(job, status_from, status=ImportStatus.VALIDATING, processed_rows=0, message=""):
        return None
    try:
        sheet = open_sheet(job.file_path, job.sheet_name)
    except SheetError as exc:
        _set(
            job,
            status=ImportStatus.FAILED,
            message=exc.message,
            sheets=exc.sheets,
            finished_at=timezone.now(),
        )
        if len(exc.sheets) < 2:  # nothing else to read in it
            _remove(job.file_path)
        return None
    _set(job, total_rows=sheet.estimated_rows, sheet_name=sheet.name, sheets=sheet.sheets)
    return sheet


def _validated(job: ImportJob, result: ScanResult, report: ErrorReport, **extra: Any) -> None:
    report.save()
    _set(
        job,
        total_rows=result.total,
        valid_rows=result.valid,
        error_rows=result.total - result.valid,
        processed_rows=result.total,
        error_report_path=str(report.path) if report.rows else "",
        preview=[result.preview[k] for k in sorted(result.preview)],
        errors=result.errors,
        validated_at=timezone.now(),
        **extra,
    )


def import_validate(
    *,
    job: ImportJob,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = 1,
) -> ImportJob:
    """Read and check every row; store counts, the masked preview, the first errors,
    the spool of good rows and the error report. `workers`: processes checking rows
    (None: as many as the machine has, up to 4, for a big sheet)."""
    sheet = _open(job, [ImportStatus.UPLOADED])
    if sheet is None:
        return job
    base = Path(job.file_path).with_suffix("")
    spool = Spool(base.with_name(base.name + ".rows"))
    report = ErrorReport(_report_path(job), sheet.headers)
    try:
        result = _scan(job, sheet, spool, report, today or timezone.localdate(), progress, workers)
    except Exception:
        _set(
            job,
            [ImportStatus.VALIDATING],
            status=ImportStatus.FAILED,
            message="校验时出错，请稍后重试或联系管理员",
            finished_at=timezone.now(),
        )
        logger.exception("import job %s: validation failed", job.pk)
        _remove(str(spool.path))
        raise
    finally:
        spool.close()
    if result.total == 0:
        message = "表中只有表头，没有数据行"
        if sheet.skipped:
            message = f"表中没有人员数据：{sheet.skipped} 行只填了序号或区域代码，已跳过"
        _set(
            job,
            status=ImportStatus.FAILED,
            message=message,
            total_rows=0,
            skipped_rows=sheet.skipped,
            finished_at=timezone.now(),
        )
        _remove(job.file_path, str(spool.path))
        return job
    if not _set(job, [ImportStatus.VALIDATING], status=ImportStatus.VALIDATED):
        _remove(str(spool.path))  # cancelled meanwhile
        return job
    _validated(job, result, report, spool_path=str(spool.path), skipped_rows=sheet.skipped)
    if len(sheet.sheets) < 2:  # the spool holds all that the import needs
        _remove(job.file_path)  # (kept while another worksheet may still be chosen)
    logger.info(
        "import job %s validated: %s rows, %s refused", job.pk, result.total, job.error_rows
    )
    return job


def import_choose_sheet(
    *, actor: Any, job: ImportJob, sheet: str, background: bool = True
) -> ImportJob:
    """Read another worksheet of the same workbook: the job starts again from its check
    (what the first read found is dropped). Before anything is imported only."""
    if job.status not in (ImportStatus.VALIDATED, ImportStatus.FAILED) or job.created_count:
        raise invalid("status", f"任务{job.get_status_display()}，不能换工作表", "wrong_status")
    if not any(s["name"] == sheet for s in job.sheets):
        raise invalid("sheet", f"工作簿中没有名为“{sheet}”的工作表", "no_such_sheet")
    if not job.file_path or not Path(job.file_path).is_file():
        raise invalid("sheet", "原文件已不在，请重新上传", "file_gone")
    old = [job.spool_path, job.error_report_path]
    if not _set(
        job,
        [job.status],
        status=ImportStatus.UPLOADED,
        sheet_name=sheet,
        message="",
        total_rows=0,
        valid_rows=0,
        error_rows=0,
        skipped_rows=0,
        processed_rows=0,
        spool_path="",
        error_report_path="",
        preview=[],
        errors=[],
        validated_at=None,
        finished_at=None,
    ):
        raise invalid("status", "任务状态已变化，请刷新页面", "wrong_status")
    _remove(*old)
    if background:
        from fangkong.registry.imports.tasks import import_validate_task

        transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


# --- confirm, import, cancel -----------------------------------------------------------
def import_confirm(
    *, actor: Any, job: ImportJob, partial: bool = False, background: bool = True
) -> ImportJob:
    """The worker's go-ahead. With errors in the sheet, nothing is imported unless the
    worker explicitly asks for the valid rows only (`partial`)."""
    if job.status != ImportStatus.VALIDATED:
        raise invalid("status", f"任务{job.get_status_display()}，不能导入", "wrong_status")
    if job.valid_rows == 0:
        raise invalid("file", "没有可以导入的行", "no_valid_rows")
    if job.error_rows and not partial:
        raise invalid(
            "partial",
            f"有 {job.error_rows} 行有误，整表未导入：请下载错误报告改正后重新上传，"
            "或明确选择“只导入无误的行”",
            "has_errors",
        )
    if not _set(
        job,
        [ImportStatus.VALIDATED],
        status=ImportStatus.IMPORTING,
        partial=bool(partial and job.error_rows),
        processed_rows=0,
        started_at=timezone.now(),
    ):
        raise invalid("status", "任务状态已变化，请刷新页面", "wrong_status")
    _report_progress(job.pk, 0)
    if background:
        from fangkong.registry.imports.tasks import import_apply_task

        transaction.on_commit(lambda: import_apply_task.delay(job.pk))
    return job


_CONFLICT: Final = "有人同时登记了表中的证件号码，或数据在校验后发生了变化"


def _failed(job: ImportJob, detail: str) -> None:
    _set(
        job,
        [ImportStatus.IMPORTING, ImportStatus.VALIDATING],
        status=ImportStatus.FAILED,
        message=f"导入失败，数据未作任何改动：{detail}。请改正后重新上传。",
        finished_at=timezone.now(),
    )
    _remove(job.spool_path, job.file_path)


def _done(job: ImportJob, writer: Writer) -> None:
    _set(
        job,
        status=ImportStatus.DONE,
        processed_rows=writer.processed,
        created_count=writer.created,
        updated_count=writer.updated,
        finished_at=timezone.now(),
    )
    _remove(job.spool_path, job.file_path)
    cache.delete(progress_key(job.pk))
    audit_record(
        actor=job.created_by,
        action=AuditAction.CHANGE,
        obj=job,
        area=job.area,
        detail=f"导入摸排表：新增 {writer.created} 人，更新 {writer.updated} 人"
        + (f"，{job.error_rows} 行有误未导入" if job.partial else ""),
    )
    logger.info(
        "import job %s done: %s created, %s updated", job.pk, writer.created, writer.updated
    )


def import_apply(
    *,
    job: ImportJob,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportJob:
    """Write every checked row in one transaction: all of them, or none."""
    if job.status != ImportStatus.IMPORTING:
        return job
    writer = _writer(job, today or timezone.localdate(), progress)
    try:
        with fewer_collections(), transaction.atomic():
            writer.bulk.check_keys_per_statement()
            for rows in read_spool(Path(job.spool_path)):
                writer.write(rows)
            writer.finish()
            if writer.processed != job.valid_rows:
                raise ImportFailed("校验结果不完整")
            if progress:
                progress(writer.processed, job.valid_rows)
    except (IntegrityError, ImportFailed) as exc:
        _failed(job, str(exc) if isinstance(exc, ImportFailed) else _CONFLICT)
        logger.warning("import job %s failed and was rolled back", job.pk)
        return job
    except BaseException:
        _failed(job, "导入中断")
        logger.exception("import job %s interrupted and rolled back", job.pk)
        raise
    _done(job, writer)
    return job


def import_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """Drop a job before it is imported, with its files (the rows in them included). A
    job that claims to be running may be cancelled only once its process has shown no
    sign of life for a while: it died, and its transaction with it."""
    allowed: list[str] = [ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED]
    if job.is_running and _is_stale(job):
        allowed.append(job.status)
    report = job.error_report_path
    if not _set(
        job,
        allowed,
        status=ImportStatus.CANCELLED,
        finished_at=timezone.now(),
        message="已取消",
        error_report_path="",
    ):
        raise invalid("status", f"任务{job.get_status_display()}，不能取消", "wrong_status")
    _remove(job.file_path, job.spool_path, report)
    return job


def _writer(
    job: ImportJob, today: dt.date, progress: Callable[[int, int], None] | None = None
) -> Writer:
    def report(done: int, total: int) -> None:
        _report_progress(job.pk, done)  # the job row is behind the open transaction
        if progress:
            progress(done, total)

    return Writer(
        job=job, today=today, scope=_scope_path(job.created_by, job.area), progress=report
    )


def _scan(
    job: ImportJob,
    sheet: Sheet,
    sink: Any,
    report: ErrorReport,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
    workers: int | None = None,
    started: Callable[[], None] | None = None,
) -> ScanResult:
    last_saved = 0.0

    def reported(done: int, total: int) -> None:
        nonlocal last_saved
        # The job row at most once a second (each UPDATE waits for its commit to reach
        # the disk); the cache, which the progress bar reads first, every time.
        now = time.monotonic()
        if now - last_saved >= PROGRESS_SAVE_EVERY or done >= total:
            last_saved = now
            _set(job, processed_rows=done)
        _report_progress(job.pk, done)
        if progress:
            progress(done, total)

    base = Path(job.file_path).with_suffix("")
    return scan(
        job_area=job.area,
        scope_path=_scope_path(job.created_by, job.area),
        sheet=sheet,
        sink=sink,
        pending_path=base.with_name(base.name + ".pending"),
        report=report,
        today=today,
        progress=reported,
        workers=workers,
        started=started,
    )


def _single_pass(
    job: ImportJob,
    *,
    partial: bool,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
) -> ImportJob:
    sheet = _open(job, [ImportStatus.UPLOADED])
    if sheet is None:
        return job
    _set(job, started_at=timezone.now())
    report = ErrorReport(_report_path(job), sheet.headers)
    pipeline = Pipeline(_writer(job, today))
    try:
        try:
            # The writer process starts once the checking processes have been forked.
            result = _scan(job, sheet, pipeline, report, today, progress, None, pipeline.start)
        except BaseException:
            with contextlib.suppress(BaseException):
                pipeline.finish(commit=False)
            raise
        errors = result.total - result.valid
        commit = result.valid > 0 and (errors == 0 or partial)
        pipeline.finish(commit=commit)
    except (IntegrityError, ImportFailed) as exc:
        _failed(job, str(exc) if isinstance(exc, ImportFailed) else _CONFLICT)
        logger.warning("import job %s failed and was rolled back", job.pk)
        return job
    except BaseException:
        _failed(job, "导入中断")
        logger.exception("import job %s interrupted and rolled back", job.pk)
        raise
    _validated(job, result, report, partial=bool(partial and errors), skipped_rows=sheet.skipped)
    if not commit:
        message = f"有 {errors} 行有误，整表未导入" if result.total else "表中只有表头，没有数据行"
        _set(job, status=ImportStatus.FAILED, message=message, finished_at=timezone.now())
        _remove(job.file_path)
        return job
    _done(job, pipeline.writer)
    return job


def import_run(
    *,
    actor: Any,
    area: Area,
    path: Path,
    partial: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportJob:
    """The command line's whole path, in this process: upload, check, import. On
    PostgreSQL checking and writing run side by side in one pass; elsewhere (and for a
    dry run) the sheet is checked first, then written."""
    today = today or timezone.localdate()
    with path.open("rb") as f:
        job = import_upload(actor=actor, area=area, file=f, name=path.name, background=False)

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda n, t: progress(name, n, t)) if progress else None

    if not dry_run and can_pipeline():
        return _single_pass(job, partial=partial, today=today, progress=stage("导入"))
    import_validate(job=job, today=today, progress=stage("校验"), workers=None)
    if job.status != ImportStatus.VALIDATED:
        return job
    if dry_run or (job.error_rows and not partial):
        message = "试运行：只校验，未导入" if dry_run else f"有 {job.error_rows} 行有误，整表未导入"
        _set(
            job,
            [ImportStatus.VALIDATED],
            status=ImportStatus.CANCELLED if dry_run else ImportStatus.FAILED,
            message=message,
            finished_at=timezone.now(),
        )
        _remove(job.spool_path)
        return job
    import_confirm(actor=actor, job=job, partial=partial, background=False)
    return import_apply(job=job, today=today, progress=stage("导入"))
