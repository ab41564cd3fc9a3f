"""Pages reached by a link or QR code, without an account."""

from fangkong.arrivals import public_notices, public_reports

app_name = "public"
urlpatterns = [*public_notices.urlpatterns, *public_reports.urlpatterns]
