from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.registry.imports.services import import_run
from fangkong.registry.models import ImportStatus
from fangkong.registry.module import RegistryCapability


class ProgressBar:
    """One line on stderr per stage, redrawn at most ten times a second."""

    def __init__(self, stream: OutputWrapper, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.shown = 0.0
        self.stage = ""
        self.open = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        final = done >= total
        if stage == self.stage and (not self.open or (now - self.shown < 0.1 and not final)):
            return  # drawn a moment ago, or this stage is complete
        if stage != self.stage:
            self.close()
        self.stage, self.shown, self.open = stage, now, True
        share = min(1.0, done / total) if total else 1.0
        filled = int(share * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{stage} [{bar}] {share:4.0%} {done:,}/{total:,} 行", ending="")
        self.stream.flush()
        if final:
            self.close()

    def close(self) -> None:
        if self.open:
            self.stream.write("")
            self.open = False


class Command(BaseCommand):
    help = (
        "Import a screening sheet (摸排表): every row is validated first; with any bad row "
        "nothing is imported (unless --partial) and an error report workbook is written. "
        "People are matched by 人员编号, then by document number, else created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the workbook (.xlsx)")
        parser.add_argument("--area", required=True, help="code of the community or zone")
        parser.add_argument(
            "--partial", action="store_true", help="import the valid rows, refuse the rest"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only")
        parser.add_argument(
            "--user", help="account to import as (its scope applies; default: the area itself)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        area = Area.objects.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"区域代码“{options['area']}”不存在")
        actor = None
        if options["user"]:
            actor = User.objects.select_related("area").filter(username=options["user"]).first()
            if actor is None or not actor.can(RegistryCapability.IMPORT):
                raise CommandError(f"账号“{options['user']}”不存在或无权导入")
        show = options["verbosity"] > 0
        bar = ProgressBar(self.stderr) if show else None
        started = time.monotonic()
        try:
            job = import_run(
                actor=actor,
                area=area,
                path=path,
                partial=options["partial"],
                dry_run=options["dry_run"],
                progress=bar,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        finally:
            if bar:
                bar.close()
        seconds = time.monotonic() - started
        out = self.stdout
        out.write(
            f"{job.original_name}：共 {job.total_rows} 行，无误 {job.valid_rows} 行，"
            f"有误 {job.error_rows} 行"
        )
        if options["verbosity"] > 1:
            for error in job.errors[:50]:
                out.write(f"  第 {error['row']} 行 {error['column']}：{error['reason']}")
        if job.error_report_path:
            out.write(f"错误报告：{job.error_report_path}")
        if job.status == ImportStatus.DONE:
            rate = job.processed_rows / seconds if seconds else 0
            out.write(
                self.style.SUCCESS(
                    f"已导入：新增 {job.created_count} 人，更新 {job.updated_count} 人"
                    f"（{seconds:.1f} 秒，{rate:,.0f} 行/秒）"
                )
            )
            return
        if options["dry_run"] and job.status == ImportStatus.CANCELLED:
            if job.error_rows:
                raise CommandError(f"试运行：有 {job.error_rows} 行有误")
            out.write(self.style.SUCCESS("试运行：全部无误，未导入"))
            return
        raise CommandError(job.message or "未导入")
