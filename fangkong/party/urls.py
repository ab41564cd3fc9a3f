"""Party: pages (under /party/) and API (under /api/v1/party/ and /api/v1/donations/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.party import api, views
from fangkong.party.development import api as dev_api
from fangkong.party.development import views as dev_views

app_name = "party"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("orgs/new/", views.org_new, name="org-new"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/members/", views.members, name="members"),
    path("orgs/<int:pk>/donate/", views.donation_new, name="donate"),
    path("orgs/<int:pk>/remit/", views.remit, name="remit"),
    path("orgs/<int:pk>/reconciliation/", views.reconciliation, name="reconciliation"),
    path("orgs/<int:pk>/export.xlsx", views.export, name="export"),
    path("donations/<int:pk>/reverse/", views.donation_reverse, name="reverse"),
    path("donations/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("orgs/<int:pk>/import/", views.import_upload, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/errors.xlsx", views.import_errors, name="import-errors"),
    path("orgs/<int:pk>/development/", dev_views.development, name="development"),
    path("orgs/<int:pk>/candidates/new/", dev_views.candidate_new, name="candidate-new"),
    path("orgs/<int:pk>/meetings/new/", dev_views.meeting_new, name="meeting-new"),
    path("candidates/<int:pk>/advance/", dev_views.advance, name="advance"),
    path("remittances/", views.remittances, name="remittances"),
    path("remittances/<int:pk>/receive/", views.receive, name="receive"),
    path("remittances/<int:pk>/slip/", views.slip, name="slip"),
]

api_urlpatterns: list[URLPattern] = [
    path("party/orgs/", api.OrgsApi.as_view(), name="party-orgs"),
    path("party/orgs/<int:pk>/treasurer/", api.OrgTreasurerApi.as_view(), name="party-treasurer"),
    path("party/members/", api.MembersApi.as_view(), name="party-members"),
    path("party/candidates/", dev_api.CandidatesApi.as_view(), name="party-candidates"),
    path(
        "party/candidates/<int:pk>/advance/",
        dev_api.CandidateAdvanceApi.as_view(),
        name="party-candidate-advance",
    ),
    path("party/candidates/due/", dev_api.DueApi.as_view(), name="party-candidates-due"),
    path("party/meetings/", dev_api.MeetingsApi.as_view(), name="party-meetings"),
    path("donations/", api.DonationsApi.as_view(), name="donations"),
    path("donations/<int:pk>/reverse/", api.DonationReverseApi.as_view(), name="donation-reverse"),
    path("donations/remittances/", api.RemittancesApi.as_view(), name="remittances"),
    path(
        "donations/remittances/<int:pk>/receive/",
        api.RemittanceReceiveApi.as_view(),
        name="remittance-receive",
    ),
    path("donations/imports/", api.ImportsApi.as_view(), name="donation-imports"),
    path(
        "donations/imports/<int:pk>/confirm/",
        api.ImportConfirmApi.as_view(),
        name="donation-import-confirm",
    ),
    path("donations/summary/", api.SummaryApi.as_view(), name="donations-summary"),
    path(
        "donations/reconciliation/",
        api.ReconciliationApi.as_view(),
        name="donations-reconciliation",
    ),
]
