"""Registry pages and API: people and households, screening rounds, spreadsheet imports."""

from fangkong.registry import (
    api_imports,
    api_people,
    api_screening,
    urls_imports,
    urls_people,
    urls_screening,
)

app_name = "registry"
urlpatterns = [
    *urls_people.urlpatterns,
    *urls_screening.urlpatterns,
    *urls_imports.urlpatterns,
]
api_urlpatterns = [
    *api_people.urlpatterns,
    *api_screening.urlpatterns,
    *api_imports.urlpatterns,
]
