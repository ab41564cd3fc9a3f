from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fangkong.areas.models import Area, AreaKind
from fangkong.areas.module import AreasCapability
from fangkong.areas.selectors import area_children_summary, levels_below
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required


@capability_required(AreasCapability.VIEW)
def area_list(request: HttpRequest) -> HttpResponse:
    qs = Area.objects.visible_to(request.user).select_related("parent", "successor")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if kind in AreaKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(code__startswith=q)
    page = Paginator(qs.order_by("path"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "areas/list.html",
        {
            "page": page,
            "kinds": AreaKind.choices,
            "kind": kind,
            "q": q,
        },
    )


@capability_required(AreasCapability.VIEW)
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_visible_or_404(
        Area.objects.select_related("parent", "successor"), request.user, code=code
    )
    ancestors = Area.objects.filter(code__in=area.ancestor_codes()).order_by("depth")
    # Areas above the account's own are named in the trail but not linked: their pages
    # are not the account's to open.
    visible = set(Area.objects.visible_to(request.user).filter(code__in=area.ancestor_codes()))
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "ancestors": [(a, a in visible) for a in ancestors if a.pk != area.pk],
            "children": area_children_summary(area=area),
            "show": levels_below(area),
            "retired_children": area.children.filter(retired_on__isnull=False),
            "changes": area.changes.select_related("successor").order_by("-effective_on", "-id"),
        },
    )
