"""Excel in and out: a 100,000-row sheet imported against python-calamine merely reading it.

In one run, on the same file: calamine's read-only rows/s, then the full import
(validate + encrypt + deduplicate + write, one transaction) rows/s in a child process
whose peak memory (ru_maxrss) is read; the ratio (target >= 0.30) and the peak (target
< 300 MB). Then the same sheet again (every row an update; ratio target >= 0.25), a
100,000-row import killed with SIGKILL in the middle (the database must be as before),
and the people export of 100,000 and of 1,000,000 rows in child processes (memory must
stay flat).

Row counts: BENCH_IMPORT_ROWS (100000), BENCH_EXPORT_ROWS (1000000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DISTRICT, STREET = "970000", "970000001"
IMPORT_COMMUNITY, EXPORT_COMMUNITY = "970000001001", "970000001002"
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(i: int, base: dt.date) -> str:
    """A valid resident ID, different for every i (900 a day from `base`)."""
    born = base + dt.timedelta(days=i // 900)
    first17 = f"110106{born:%Y%m%d}{100 + i % 900:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]


def build_tree() -> None:
    from django.db import transaction

    from fangkong.areas.models import Area, AreaKind
    from fangkong.areas.services import area_create

    if Area.objects.filter(code=EXPORT_COMMUNITY + "Z2").exists():
        return
    with transaction.atomic():
        district = area_create(
            code=DISTRICT, name="基准区", kind=AreaKind.DISTRICT, parent=None, is_demo=True
        )
        street = area_create(
            code=STREET, name="基准街道", kind=AreaKind.STREET, parent=district, is_demo=True
        )
        for code, name in ((IMPORT_COMMUNITY, "导入社区"), (EXPORT_COMMUNITY, "导出社区")):
            community = area_create(
                code=code, name=name, kind=AreaKind.COMMUNITY, parent=street, is_demo=True
            )
            for z in (1, 2, 3):
                area_create(
                    code=f"{code}Z{z}",
                    name=f"{name}{z}片",
                    kind=AreaKind.ZONE,
                    parent=community,
                    is_demo=True,
                )


def make_sheet(path: Path, rows: int, base: dt.date) -> None:
    """The screening sheet as Excel or WPS would save it (shared strings; openpyxl writes
    it that way): every 5th person rents from someone a few rows above; a third have an
    employer; some are not back."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from fangkong.registry.imports.excel import IMPORT_COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append([c.title for c in IMPORT_COLUMNS])
    for i in range(rows):
        tenant = i % 5 == 4
        document = WriteOnlyCell(ws, value=resident_id(i, base))
        document.number_format = "@"
        ws.append(
            [
                f"测试{i}",
                "居民身份证",
                document,
                f"139{i:08d}",
                "",
                "",
                "流动人口" if tenant else "常住人口",
                "未返京" if i % 11 == 0 else "在京",
                "湖北省武汉市" if i % 11 == 0 else "",
                f"{IMPORT_COMMUNITY}Z{1 + i % 3}",
                f"{i % 200 + 1}号院",
                "",
                str(i % 30 + 1),
                "租住" if tenant else "自有住房",
                "2020-03-01",
                resident_id(i - 3, base) if tenant else "",
                f"基准单位{i % 40}" if i % 3 == 0 else "",
            ]
        )
    wb.save(path)


def calamine_read(path: Path) -> float:
    """Seconds for python-calamine to open the workbook and hand every row to Python."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for _ in workbook.get_sheet_by_index(0).iter_rows():
        pass
    workbook.close()
    return time.perf_counter() - start


def people_in(code: str) -> int:
    from fangkong.registry.models import Person

    return Person.objects.filter(area__path__contains=f"/{code}/").count()


def clear_community(code: str) -> None:
    """Remove the people a previous run imported (raw SQL: 100,000 rows in seconds)."""
    from django.db import connection

    from fangkong.areas.models import Area

    ids = list(Area.objects.filter(path__contains=f"/{code}/").values_list("id", flat=True))
    marks = ",".join(["%s"] * len(ids))
    with connection.cursor() as c:
        people = f"SELECT id FROM registry_person WHERE area_id IN ({marks})"
        c.execute(f"DELETE FROM registry_residence WHERE person_id IN ({people})", ids)
        c.execute(f"DELETE FROM registry_person WHERE area_id IN ({marks})", ids)
        c.execute(f"DELETE FROM registry_address WHERE area_id IN ({marks})", ids)
    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would leave them
        with connection.cursor() as c:
            for table in ("registry_person", "registry_residence", "registry_address"):
                c.execute(f"VACUUM ANALYZE {table}")


def child(*args: str) -> dict[str, Any]:
    """Run this module's child entry point in a fresh interpreter; its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.registry_import", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run() -> None:
    from django.db import connection

    build_tree()
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    export_rows = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
    work = Path(tempfile.mkdtemp(prefix="fangkong-bench-import-"))
    sheet = work / "sheet.xlsx"
    make_sheet(sheet, rows, dt.date(1960, 1, 1))
    print(
        f"  database: {connection.vendor}; sheet: {rows:,} rows x 17 columns, "
        f"{sheet.stat().st_size / 1e6:.1f} MB"
    )

    clear_community(IMPORT_COMMUNITY)
    reads = [calamine_read(sheet) for _ in range(3)]
    cli = child("import", "cli", str(sheet), IMPORT_COMMUNITY)
    reads.append(calamine_read(sheet))
    again = child("import", "cli", str(sheet), IMPORT_COMMUNITY)
    clear_community(IMPORT_COMMUNITY)
    web = child("import", "web", str(sheet), IMPORT_COMMUNITY)
    reads.append(calamine_read(sheet))
    read_rate = rows / statistics.median(reads)
    assert cli["created"] == rows and again["updated"] == rows and web["created"] == rows
    rate = rows / cli["seconds"]
    print(
        f"  calamine, read only: {read_rate:,.0f} rows/s (median of {len(reads)} reads "
        "around the imports)"
    )
    print(
        f"  import (command line, one pass), new people: {rate:,.0f} rows/s "
        f"({cli['seconds']:.1f} s); ratio {rate / read_rate:.3f} (target >= 0.30); "
        f"peak memory {cli['maxrss_mb']:.0f} MB (target < 300 MB), its writer process "
        f"{cli['writer_maxrss_mb']:.0f} MB"
    )
    print(
        f"  same sheet again, every row an update: {rows / again['seconds']:,.0f} rows/s "
        f"(ratio {rows / again['seconds'] / read_rate:.3f}, target >= 0.25); "
        f"peak {again['maxrss_mb']:.0f} MB"
    )
    web_rate = rows / web["seconds"]
    print(
        f"  background job (check, then write after confirmation): {web_rate:,.0f} rows/s "
        f"(check {web['validate']:.1f} s, write {web['apply']:.1f} s; ratio "
        f"{web_rate / read_rate:.3f}); peak {web['maxrss_mb']:.0f} MB"
    )

    kill_sheet = work / "kill.xlsx"
    make_sheet(kill_sheet, rows, dt.date(1975, 1, 1))
    kill_run(kill_sheet, rows, "cli")
    kill_run(kill_sheet, rows, "web")
    export_run(export_rows)


def kill_run(sheet: Path, rows: int, mode: str) -> None:
    """SIGKILL the import halfway through its transaction; nothing may remain."""
    from fangkong.registry.models import ImportJob

    before = people_in(IMPORT_COMMUNITY)
    last_job = ImportJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.registry_import",
            "import",
            mode,
            str(sheet),
            IMPORT_COMMUNITY,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    seen = ""
    while time.monotonic() < deadline and proc.poll() is None:
        job = ImportJob.objects.filter(id__gt=last_job).order_by("-id").first()
        if job is not None:
            # One pass: half the rows checked (and written). Two phases: writing for 1 s.
            if mode == "cli" and job.processed_rows >= rows // 2:
                seen = f"{job.processed_rows:,} rows checked and written"
                break
            if mode == "web" and job.status == "importing":
                time.sleep(1.0)
                seen = "writing for 1 s"
                break
        time.sleep(0.02)
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = people_in(IMPORT_COMMUNITY)
    verdict = "as before" if after == before else "CHANGED"
    print(
        f"  {mode} import killed with SIGKILL ({seen if alive else 'it had finished'}): "
        f"people before {before:,}, after {after:,}: database {verdict}"
    )


def fill_export_community(total: int) -> None:
    """`total` people for the export: a tenth in zone 1, the rest in zone 2, each with a
    current residence; made in SQL (WITH RECURSIVE runs on PostgreSQL and SQLite)."""
    from django.db import connection, transaction

    from fangkong.areas.models import Area

    zones = dict(
        Area.objects.filter(code__startswith=EXPORT_COMMUNITY + "Z").values_list("code", "id")
    )
    if people_in(EXPORT_COMMUNITY) == total:
        return
    clear_community(EXPORT_COMMUNITY)
    first, rest = zones[EXPORT_COMMUNITY + "Z1"], zones[EXPORT_COMMUNITY + "Z2"]
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %s) "
            "INSERT INTO registry_address (area_id, building, entrance, room) "
            "SELECT %s, CAST(n AS TEXT) || '号楼', '', '' FROM g",
            [total // 10, rest],
        )
        c.execute("SELECT MIN(id) FROM registry_address WHERE area_id = %s", [rest])
        (first_address,) = c.fetchone()
        c.execute(
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %s) "
            "INSERT INTO registry_person (area_id, name, document_type, document_index, "
            "document_masked, phone_masked, sex, residency, whereabouts, away_from, "
            "created_at, updated_at) "
            "SELECT CASE WHEN n %% 10 = 0 THEN %s ELSE %s END, '导出' || CAST(n AS TEXT), "
            "'resident_id', 'export-' || CAST(n AS TEXT), '110106********123X', "
            "'139****5678', 'male', 'registered', 'in_beijing', '', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM g",
            [total, first, rest],
        )
        c.execute(
            "INSERT INTO registry_residence (person_id, address_id, kind, since) "
            "SELECT id, %s + (id %% %s), 'owner', NULL FROM registry_person "
            "WHERE area_id IN (%s, %s)",
            [first_address, total // 10, first, rest],
        )


def export_run(total: int) -> None:
    fill_export_community(total)
    small = child("export", EXPORT_COMMUNITY + "Z1")
    big = child("export", EXPORT_COMMUNITY)
    for result in (small, big):
        print(
            f"  export {result['rows']:,} rows: {result['seconds']:.1f} s "
            f"({result['rows'] / result['seconds']:,.0f} rows/s), first bytes after "
            f"{result['first_byte']:.2f} s, {result['bytes'] / 1e6:.0f} MB file, "
            f"peak memory {result['maxrss_mb']:.0f} MB"
        )
    print(
        f"  export memory, {big['rows']:,} vs {small['rows']:,} rows: "
        f"{big['maxrss_mb'] / small['maxrss_mb']:.2f}x (flat = about 1)"
    )
    openpyxl_reference()


def openpyxl_reference(rows: int = 20_000) -> None:
    """Why the export does not use openpyxl's write-only mode: its speed on these rows."""
    from openpyxl import Workbook

    row = [
        1,
        "张三",
        "居民身份证",
        "110106********123X",
        "139****5678",
        "男",
        "1990-03-07",
        "常住人口",
        "在京",
        "",
        "970000001002Z1",
        "1号楼",
        "",
        "",
        "自有住房",
        "",
        "",
        "",
    ]
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    for _ in range(rows):
        ws.append(row)
    with tempfile.TemporaryFile() as f:
        wb.save(f)
    seconds = time.perf_counter() - start
    print(
        f"  reference, openpyxl write-only: {rows / seconds:,.0f} rows/s "
        f"(1,000,000 rows would take {1_000_000 / (rows / seconds):,.0f} s before any byte)"
    )


# --- child processes --------------------------------------------------------------------
def _maxrss_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: after fork and exec,
    Linux's ru_maxrss still counts the parent's peak at the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(mode: str, path: str, code: str) -> dict[str, Any]:
    """`cli`: the command line's single pass; `web`: check, then (after the worker's
    confirmation, at once here) write — the background job's two phases."""
    from fangkong.areas.models import Area
    from fangkong.registry.imports.services import (
        import_apply,
        import_confirm,
        import_run,
        import_upload,
        import_validate,
    )

    area = Area.objects.get(code=code)
    start = time.perf_counter()
    if mode == "cli":
        job = import_run(actor=None, area=area, path=Path(path))
        validated = start
    else:
        with open(path, "rb") as f:
            job = import_upload(actor=None, area=area, file=f, name="sheet.xlsx", background=False)
        start = time.perf_counter()
        import_validate(job=job)
        validated = time.perf_counter()
        assert job.status == "validated" and not job.error_rows, (job.status, job.errors[:5])
        import_confirm(actor=None, job=job, background=False)
        import_apply(job=job)
    done = time.perf_counter()
    assert job.status == "done", (job.status, job.message, job.errors[:5])
    return {
        "status": job.status,
        "created": job.created_count,
        "updated": job.updated_count,
        "validate": validated - start,
        "apply": done - validated,
        "seconds": done - start,
        "maxrss_mb": _maxrss_mb(),
        # The command line's writer process (forked; its resident set counts the pages
        # it shares with this one, so this is an upper bound of what it adds).
        "writer_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child_export(code: str) -> dict[str, Any]:
    from django.test import RequestFactory

    from fangkong.accounts.models import User
    from fangkong.accounts.roles import Role
    from fangkong.areas.selectors import area_visible_by_code
    from fangkong.registry.people.exports import people_export_response
    from fangkong.registry.people.selectors import PeopleFilter

    user, _ = User.objects.get_or_create(
        username="bench-export", defaults={"role": Role.SYSTEM_ADMIN}
    )
    area = area_visible_by_code(user=user, code=code)
    request = RequestFactory().get("/registry/people/export.xlsx")
    request.user = user
    start = time.perf_counter()
    response = people_export_response(user=user, filters=PeopleFilter(area=area), request=request)
    size, first = 0, None
    with tempfile.TemporaryFile() as f:
        for chunk in response.streaming_content:
            if first is None and size > 2000:
                first = time.perf_counter() - start
            size += len(chunk)
            f.write(chunk)
    seconds = time.perf_counter() - start
    from fangkong.registry.models import Person

    rows = Person.objects.filter(area__path__startswith=area.path).count()
    return {
        "rows": rows,
        "seconds": seconds,
        "first_byte": first or seconds,
        "bytes": size,
        "maxrss_mb": _maxrss_mb(),
    }


if __name__ == "__main__":
    import django

    django.setup()
    command, *rest = sys.argv[1:]
    result = child_import(*rest) if command == "import" else child_export(*rest)
    print(json.dumps(result))
