from django.urls import path

from fangkong.audit import api, views

app_name = "audit"
urlpatterns = [path("", views.audit_list, name="list")]
api_urlpatterns = [
    path("audit-events/", api.AuditEventListApi.as_view(), name="audit-event-list"),
]
