"""Quality pages: batches and the sampling plan calculator, a batch with its inspection
and packing, products."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.quality import sampling, services
from fangkong.quality.forms import BatchForm, InspectionForm, PackForm, PlanForm, ProductForm
from fangkong.quality.models import Batch, BatchStatus, DefectKind
from fangkong.quality.module import QualityCapability
from fangkong.quality.selectors import batch_detail, batches_visible, products_visible

# A defect row's errors land on the inspection form's field for them.
_DEFECT_ALIASES = {
    f"defects.{i}.{part}": "lowest_strength_n" if part == "lowest_strength_n" else "inspected"
    for i in range(len(DefectKind.values))
    for part in ("lowest_strength_n", "count", "kind")
}


def _plan(form: PlanForm) -> sampling.SamplingPlan | None:
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    return sampling.sampling_plan(
        lot_size=data["lot_size"], aql=data["aql"], level=data["level"] or "II"
    )


@capability_required(QualityCapability.VIEW)
def batches(request: HttpRequest) -> HttpResponse:
    return _render_batches(request)


def _render_batches(
    request: HttpRequest,
    *,
    batch_form: BatchForm | None = None,
    product_form: ProductForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    if status not in BatchStatus.values:
        status = ""
    plan_form = PlanForm(request.GET if "lot_size" in request.GET else None, auto_id="plan_%s")
    can_record = user.can(QualityCapability.RECORD)
    page = Paginator(batches_visible(user, status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "quality/batches.html",
        {
            "page": page,
            "status": status,
            "statuses": BatchStatus.choices,
            "plan_form": plan_form,
            "plan": _plan(plan_form),
            "products": products_visible(user),
            "can_record": can_record,
            "batch_form": batch_form or (BatchForm(user=user) if can_record else None),
            "product_form": product_form or (ProductForm(user=user) if can_record else None),
        },
        status=400 if (batch_form or product_form) else 200,
    )


@require_POST
@capability_required(QualityCapability.RECORD)
def product_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ProductForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.product_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("产品已登记"))
            return redirect("quality:batches")
    return _render_batches(request, product_form=form)


@require_POST
@capability_required(QualityCapability.RECORD)
def batch_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = BatchForm(request.POST, user=user)
    if form.is_valid():
        try:
            batch = services.batch_register(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error("code", exc.reason)
        else:
            messages.success(request, gettext("批次已登记，请按抽样方案抽检"))
            return redirect("quality:batch", pk=batch.pk)
    return _render_batches(request, batch_form=form)


def _batch(request: HttpRequest, pk: int) -> Batch:
    return get_visible_or_404(
        Batch.objects.select_related("product__unit__area"), request.user, pk=pk
    )


@capability_required(QualityCapability.VIEW)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_batch(request, _batch(request, pk))


def _render_batch(
    request: HttpRequest,
    batch: Batch,
    *,
    inspection_form: InspectionForm | None = None,
    pack_form: PackForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    can_record = user.can(QualityCapability.RECORD)
    inspection_form = inspection_form or InspectionForm(initial={"inspected": batch.sample_size})
    return render(
        request,
        "quality/batch.html",
        {
            **batch_detail(batch),
            "can_record": can_record,
            "inspection_form": inspection_form,
            "pack_form": pack_form or PackForm(initial={"counted": batch.lot_size}),
        },
        status=400 if (inspection_form.is_bound or pack_form) else 200,
    )


@require_POST
@capability_required(QualityCapability.RECORD)
def batch_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _batch(request, pk)
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            inspection = services.batch_inspect(
                actor=user,
                batch=target,
                inspected=form.cleaned_data["inspected"],
                defects=form.defects(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            put_errors(form, exc, _DEFECT_ALIASES)
        except Conflict as exc:
            form.add_error(None, exc.reason)
        else:
            if inspection.decision == "accept":
                messages.success(request, gettext("抽检合格，批次接收"))
            else:
                messages.warning(request, gettext("抽检不合格，批次拒收"))
            return redirect("quality:batch", pk=target.pk)
    return _render_batch(request, target, inspection_form=form)


@require_POST
@capability_required(QualityCapability.RECORD)
def batch_pack(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _batch(request, pk)
    form = PackForm(request.POST)
    if form.is_valid():
        try:
            services.batch_pack(actor=user, batch=target, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, gettext("已清点、塑封、装箱"))
            return redirect("quality:batch", pk=target.pk)
    return _render_batch(request, target, pack_form=form)
