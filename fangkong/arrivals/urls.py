"""Returnee pages and API: notices and inspections (urls_notices), observation, reports
and alerts (urls_observation); the pages reached by a link or QR code, without an account
(public_notices, public_reports)."""

from fangkong.arrivals import (
    api_notices,
    api_observation,
    public_notices,
    public_reports,
    urls_notices,
    urls_observation,
)

app_name = "arrivals"
urlpatterns = [*urls_notices.urlpatterns, *urls_observation.urlpatterns]
api_urlpatterns = [*api_notices.urlpatterns, *api_observation.urlpatterns]
public_urlpatterns = [*public_notices.urlpatterns, *public_reports.urlpatterns]
