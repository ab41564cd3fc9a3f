"""fangkong's URLs plus `/bench/bare/`: the smallest Django JSON view, served by the same
gunicorn, the same middleware and the same settings as the gate check it is compared with.

The bare view comes after fangkong's own routes, so that resolving its URL walks the same
URL conf a real endpoint of the application walks (the gate check sits under api/v1/,
after the pages); `BENCH_BARE_FIRST=1` puts it first instead, the most flattering baseline
Django can give (both are printed by bench/gate_check.py when asked)."""

import os

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


_bare = [path("bench/bare/", bare)]
_app = [path("", include("fangkong.urls"))]
urlpatterns = _bare + _app if os.environ.get("BENCH_BARE_FIRST") else _app + _bare
