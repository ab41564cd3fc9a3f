"""Import pages: upload a screening sheet, watch it being checked, read the preview and
the reasons, confirm (all, or explicitly the valid rows only), download the error report."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from fangkong.areas.models import LIVING_KINDS
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.core.xlsx import EXCEL_MIME
from fangkong.registry.imports.excel import MAX_UPLOAD_BYTES, upload_limit
from fangkong.registry.imports.selectors import import_jobs_recent, import_progress
from fangkong.registry.imports.services import (
    import_cancel,
    import_choose_sheet,
    import_confirm,
    import_upload,
)
from fangkong.registry.imports.template import template_workbook
from fangkong.registry.models import ImportJob, ImportStatus
from fangkong.registry.module import RegistryCapability


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_visible_or_404(
        ImportJob.objects.select_related("area", "created_by__area"), request.user, pk=pk
    )


@capability_required(RegistryCapability.IMPORT)
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form and the recent jobs of the account's jurisdiction."""
    user: Any = request.user
    areas = living_areas_visible_to(user)
    if request.method == "POST":
        upload = request.FILES.get("file")
        area = areas.filter(code=request.POST.get("area", "")).first()
        try:
            if upload is None:
                raise ValidationError(gettext("请选择要上传的 Excel 文件"))
            if area is None:
                raise ValidationError(gettext("请选择导入到哪个社区或片区"))
            job = import_upload(
                actor=user,
                area=area,
                file=upload,
                name=upload.name or "",
                sheet=request.POST.get("sheet", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("registry:imports")
        return redirect("registry:import", pk=job.pk)
    jobs = import_jobs_recent(user=user)
    default = user.area.code if user.area_id and user.area.kind in LIVING_KINDS else ""
    return render(
        request,
        "registry/imports.html",
        {
            "jobs": jobs,
            "areas": areas,
            "default_area": default,
            "limit_mb": upload_limit() // (1024 * 1024) or MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@capability_required(RegistryCapability.IMPORT)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    code = request.GET.get("area") or (user.area.code if user.area_id else "")
    area = living_areas_visible_to(user).filter(code=code).first()
    response = HttpResponse(content_type=EXCEL_MIME)
    template_workbook(area_code=area.code if area else "").save(response)
    response["Content-Disposition"] = content_disposition_header(True, "摸排表模板.xlsx") or ""
    return response


def _context(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job,
        "processed": import_progress(job=job),
        "statuses": ImportStatus,
    }


@capability_required(RegistryCapability.IMPORT)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "registry/imports_detail.html", _context(job))


@capability_required(RegistryCapability.IMPORT)
@require_GET
def import_progress_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx every second while the job runs; when it stops, the page reloads
    to show the preview or the result."""
    job = _job(request, pk)
    response = render(request, "registry/imports_progress.html", _context(job))
    if request.headers.get("HX-Request") and request.GET.get("was") != job.status:
        response["HX-Refresh"] = "true"
    return response


@capability_required(RegistryCapability.IMPORT)
@require_POST
def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_confirm(actor=request.user, job=job, partial=request.POST.get("partial") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("registry:import", pk=job.pk)


@capability_required(RegistryCapability.IMPORT)
@require_POST
def import_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_choose_sheet(actor=request.user, job=job, sheet=request.POST.get("sheet", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("registry:import", pk=job.pk)


@capability_required(RegistryCapability.IMPORT)
@require_POST
def import_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_cancel(actor=request.user, job=job)
        messages.info(request, gettext("已取消，未导入任何数据"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("registry:import", pk=job.pk)


def report_response(job: ImportJob) -> FileResponse:
    path = Path(job.error_report_path) if job.error_report_path else None
    if path is None or not path.is_file():
        raise Http404("no report")
    stem = Path(job.original_name).stem or "摸排表"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{stem}-错误报告.xlsx",
        content_type=EXCEL_MIME,
    )


@capability_required(RegistryCapability.IMPORT)
@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    # FileResponse streams; the page decorators are typed for plain responses.
    return cast(HttpResponse, report_response(_job(request, pk)))
