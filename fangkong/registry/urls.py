"""Registry pages: people and households, screening rounds, spreadsheet imports."""

from fangkong.registry import urls_imports, urls_people, urls_screening

app_name = "registry"
urlpatterns = [
    *urls_people.urlpatterns,
    *urls_screening.urlpatterns,
    *urls_imports.urlpatterns,
]
