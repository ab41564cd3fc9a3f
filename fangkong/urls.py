"""The root URLconf: every module's pages, API and public pages (fangkong.core.modules),
the API schema and docs, the language switch and the admin."""

from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fangkong.core.modules import modules

Patterns = list[URLPattern | URLResolver]
api_v1: Patterns = []
public: Patterns = []
pages: Patterns = []
for module in modules():
    if module.urls is None:
        continue
    urls = import_module(module.urls)
    api_v1 += getattr(urls, "api_urlpatterns", [])
    public += getattr(urls, "public_urlpatterns", [])
    if getattr(urls, "urlpatterns", None):
        pages.append(path(module.url_prefix, include(module.urls)))

urlpatterns: Patterns = [
    # The API first: the gate check is the hot path, and every resolver tried before it
    # costs each request a little.
    path("api/v1/", include((api_v1, "api"))),
    *pages,
    # Pages for people without an account: advance notice, self-report (signed links).
    path("r/", include((public, "public"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler403 = "fangkong.core.views.permission_denied"
handler404 = "fangkong.core.views.page_not_found"
