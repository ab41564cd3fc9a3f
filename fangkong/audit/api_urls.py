from django.urls import path

from fangkong.audit import api

urlpatterns = [
    path("audit-events/", api.AuditEventListApi.as_view(), name="audit-event-list"),
]
