from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fangkong.accounts.api import TokenApi

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenApi.as_view(), name="auth-token"),
    path("", include("fangkong.areas.api_urls")),
    path("", include("fangkong.policy.api_urls")),
    path("", include("fangkong.audit.api_urls")),
    path("", include("fangkong.registry.api_urls")),
    path("", include("fangkong.arrivals.api_urls")),
    path("", include("fangkong.access.api_urls")),
    path("", include("fangkong.reports.api")),
]

urlpatterns = [
    # The API first: the gate check is the hot path, and every resolver tried before it
    # costs each request a little.
    path("api/v1/", include((api_v1, "api"))),
    path("", include("fangkong.core.urls")),
    path("accounts/", include("fangkong.accounts.urls")),
    path("areas/", include("fangkong.areas.urls")),
    path("policy/", include("fangkong.policy.urls")),
    path("audit/", include("fangkong.audit.urls")),
    path("registry/", include("fangkong.registry.urls")),
    path("arrivals/", include("fangkong.arrivals.urls")),
    path("access/", include("fangkong.access.urls")),
    path("reports/", include("fangkong.reports.urls")),
    # Pages for people without an account: advance notice, self-report (signed links).
    path("r/", include("fangkong.arrivals.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler403 = "fangkong.core.views.permission_denied"
handler404 = "fangkong.core.views.page_not_found"
