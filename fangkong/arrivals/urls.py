"""Returnee pages: notices and inspections (urls_notices), observation, reports and
alerts (urls_observation)."""

from fangkong.arrivals import urls_notices, urls_observation

app_name = "arrivals"
urlpatterns = [*urls_notices.urlpatterns, *urls_observation.urlpatterns]
