from fangkong.arrivals import api_notices, api_observation

urlpatterns = [*api_notices.urlpatterns, *api_observation.urlpatterns]
