"""Screening-sheet imports over the API: upload (multipart) → poll the job → confirm →
poll until done; the error report and the template as files. Scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.xlsx import EXCEL_MIME
from fangkong.registry.imports.selectors import import_progress
from fangkong.registry.imports.services import (
    import_cancel,
    import_choose_sheet,
    import_confirm,
    import_upload,
)
from fangkong.registry.imports.template import template_workbook
from fangkong.registry.imports.views import report_response
from fangkong.registry.models import ImportJob, ImportStatus
from fangkong.registry.module import RegistryCapability


class ImportErrorOutput(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(help_text="Excel 行号（表头为第 1 行）")
    column = serializers.CharField(help_text="列名（中文表头）")
    cell = serializers.CharField(
        help_text="Excel 中的单元格，如 C5（列不在表中时为空）", required=False, default=""
    )
    reason = serializers.CharField()


class ImportPreviewOutput(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField()
    name = serializers.CharField()
    document = serializers.CharField(help_text="已遮挡")
    phone = serializers.CharField(help_text="已遮挡")
    area = serializers.CharField()
    address = serializers.CharField()
    kind = serializers.CharField()
    whereabouts = serializers.CharField()
    action = serializers.ChoiceField(choices=["create", "update", "error"])
    errors = ImportErrorOutput(many=True)  # type: ignore[assignment]


class ImportJobOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    processed_rows = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True)
    preview = ImportPreviewOutput(many=True, read_only=True)
    errors = ImportErrorOutput(many=True, read_only=True)  # type: ignore[assignment]
    error_report = serializers.SerializerMethodField(help_text="错误报告的下载地址；没有时为 null")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "area",
            "original_name",
            "size",
            "status",
            "message",
            "partial",
            "total_rows",
            "valid_rows",
            "error_rows",
            "skipped_rows",
            "sheet_name",
            "sheets",
            "processed_rows",
            "percent",
            "created_count",
            "updated_count",
            "preview",
            "errors",
            "error_report",
            "created_at",
            "validated_at",
            "started_at",
            "finished_at",
        ]

    def get_processed_rows(self, job: ImportJob) -> int:
        return import_progress(job=job)

    def get_error_report(self, job: ImportJob) -> str | None:
        if not job.error_report_path:
            return None
        return reverse("api:import-report", kwargs={"pk": job.pk})


class ImportUploadInput(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="Excel 工作簿（.xlsx），不超过 50 MB")
    area = serializers.CharField(max_length=32, help_text="导入到的社区、村或片区代码")
    sheet = serializers.CharField(
        max_length=100, required=False, default="", help_text="要读的工作表；默认第一个可见的"
    )


class ImportSheetInput(serializers.Serializer):  # type: ignore[type-arg]
    sheet = serializers.CharField(max_length=100, help_text="工作表名称（见任务的 sheets）")


class ImportConfirmInput(serializers.Serializer):  # type: ignore[type-arg]
    partial = serializers.BooleanField(  # type: ignore[assignment]
        default=False,
        help_text="表中有误时必须明确为 true：只导入无误的行；默认整表不导入",
    )


class _JobApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RegistryCapability.IMPORT

    def job(self, pk: int) -> ImportJob:
        return get_visible_or_404(
            ImportJob.objects.select_related("area", "created_by__area"), self.request.user, pk=pk
        )


class ImportsApi(ScopedListAPIView):
    """Import jobs of the caller's jurisdiction, newest first; POST uploads a sheet."""

    serializer_class = ImportJobOutput
    capability = RegistryCapability.IMPORT
    parser_classes = [MultiPartParser, FormParser]

    def base_queryset(self) -> Any:
        return ImportJob.objects.select_related("area")

    @extend_schema(
        request={"multipart/form-data": ImportUploadInput},
        responses={201: ImportJobOutput, **error_responses(400, 403)},
        description="上传摸排表。校验在后台进行：轮询任务直到 status 为 validated（或 failed）。",
    )
    def post(self, request: Request) -> Response:
        data = ImportUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        area = area_visible_by_code(user=request.user, code=data.validated_data["area"])
        upload = data.validated_data["file"]
        job = import_upload(
            actor=request.user,
            area=area,
            file=upload,
            name=upload.name or "",
            sheet=data.validated_data["sheet"],
        )
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_201_CREATED)


class ImportApi(_JobApi):
    @extend_schema(
        responses={200: ImportJobOutput}, description="任务状态、计数、预览和前 200 条错误。"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ImportJobOutput(self.job(pk)).data)


class ImportConfirmApi(_JobApi):
    @extend_schema(
        request=ImportConfirmInput,
        responses={202: ImportJobOutput, **error_responses(400, 403, 404)},
        description="确认导入（一个事务，全部成功或全部不导入）。表中有误时默认拒绝（400），"
        "除非 partial 为 true。",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = ImportConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = self.job(pk)
        import_confirm(actor=request.user, job=job, partial=data.validated_data["partial"])
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportSheetApi(_JobApi):
    @extend_schema(
        request=ImportSheetInput,
        responses={202: ImportJobOutput, **error_responses(400, 403, 404)},
        description="改读同一工作簿的另一个工作表：任务重新校验（导入前才可以）。",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = ImportSheetInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = import_choose_sheet(
            actor=request.user, job=self.job(pk), sheet=data.validated_data["sheet"]
        )
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportCancelApi(_JobApi):
    @extend_schema(request=None, responses={200: ImportJobOutput, **error_responses(400, 403, 404)})
    def post(self, request: Request, pk: int) -> Response:
        job = import_cancel(actor=request.user, job=self.job(pk))
        return Response(ImportJobOutput(job).data)


class ImportReportApi(_JobApi):
    @extend_schema(
        responses={
            (200, EXCEL_MIME): OpenApiResponse(OpenApiTypes.BINARY, description="错误报告"),
            404: OpenApiResponse(description="没有错误报告"),
        },
        description="有误的行（原样）加“错误原因”列；改正后可直接上传。",
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        job = self.job(pk)
        if job.status == ImportStatus.CANCELLED:
            raise invalid("status", "任务已取消", "cancelled")
        return report_response(job)


class ImportTemplateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RegistryCapability.IMPORT

    @extend_schema(
        responses={(200, EXCEL_MIME): OpenApiResponse(OpenApiTypes.BINARY, description="模板")}
    )
    def get(self, request: Request) -> HttpResponse:
        user: Any = request.user
        response = HttpResponse(content_type=EXCEL_MIME)
        template_workbook(area_code=user.area.code if user.area_id else "").save(response)
        response["Content-Disposition"] = 'attachment; filename="template.xlsx"'
        return response
