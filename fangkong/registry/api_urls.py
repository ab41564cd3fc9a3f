from fangkong.registry import api_imports, api_people, api_screening

urlpatterns = [
    *api_people.urlpatterns,
    *api_screening.urlpatterns,
    *api_imports.urlpatterns,
]
