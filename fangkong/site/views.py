from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fangkong.access.module import AccessCapability
from fangkong.areas.models import Area, AreaKind
from fangkong.areas.selectors import area_children_summary, area_subtree_totals, levels_below
from fangkong.registry.people.selectors import people_counts
from fangkong.site.workbench import work_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The 工作台: today's work first, each item one tap from its action; then the area's
    counts. A guard's only job is the gate page, so that is their home."""
    user: Any = request.user
    if user.can(AccessCapability.GATE_CHECK) and not user.can(AccessCapability.PASSES_VIEW):
        return redirect("access:gate")
    if user.area is not None:
        roots = [user.area]
    else:  # a system admin without a node: every district
        roots = list(Area.objects.current().filter(parent__isnull=True).order_by("code"))
    sections = [
        {
            "area": root,
            "totals": area_subtree_totals(area=root),
            "people": people_counts(area=root),
            "children": [
                (child, people_counts(area=child.area))
                for child in area_children_summary(area=root)
            ],
            "show": levels_below(root),
        }
        for root in roots
    ]
    return render(
        request,
        "site/home.html",
        {"items": work_items(user), "sections": sections, "kinds": AreaKind},
    )
