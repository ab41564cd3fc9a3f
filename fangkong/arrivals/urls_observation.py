from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from fangkong.accounts.roles import Capability
from fangkong.core.views import capability_required


@capability_required(Capability.ARRIVALS_VIEW)
def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns: list[URLPattern] = [
    path("observations/", _placeholder, name="observations"),
    path("alerts/", _placeholder, name="alerts"),
]
