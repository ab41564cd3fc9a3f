from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from fangkong.accounts.roles import Capability
from fangkong.core.views import capability_required


@capability_required(Capability.PASSES_VIEW)
def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


app_name = "access"
urlpatterns: list[URLPattern] = [
    path("passes/", _placeholder, name="passes"),
    path("gate/", _placeholder, name="gate"),
]
