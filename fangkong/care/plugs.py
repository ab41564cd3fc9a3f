"""Care plugs into lower apps (called from CareConfig.ready): the 拨打 subjects of
contacts (the care call to a person under observation, the call back about a request)
and the 我需要帮助 panel of arrivals' self-report page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from fangkong.arrivals.models import Observation
from fangkong.arrivals.panels import SELF_REPORT, PanelPlace, PublicPanel, public_panel_register
from fangkong.care.models import CareRequest, RequestKind
from fangkong.care.module import CareCapability
from fangkong.contacts.services import Callee, Subject, subject_register


def _care_call(observation: Observation) -> Callee:
    person = observation.person
    return person.name, person.phone_cipher, person, f"关怀电话（观察 #{observation.pk}）"


def _care_request(request: CareRequest) -> Callee:
    person = request.observation.person
    return person.name, person.phone_cipher, person, f"隔离家庭求助 #{request.pk}：电话联系"


def help_panel(request: HttpRequest, place: PanelPlace) -> str:
    from fangkong.care.selectors import requests_of_resident

    observation, token = place.observation, place.token
    if place.page != SELF_REPORT or observation is None:
        return ""
    return render_to_string(
        "care/public_panel.html",
        {
            "token": token,
            "kinds": RequestKind.choices,
            "requests": list(requests_of_resident(observation)[:10]),
            "sent": request.GET.get("help") == "1",
        },
        request=request,
    )


def connect() -> None:
    subject_register("care_call", Subject(Observation, CareCapability.SERVE, _care_call))
    subject_register("care_request", Subject(CareRequest, CareCapability.SERVE, _care_request))
    public_panel_register(PublicPanel("care-help", help_panel, order=10))
    public_panel_register(PublicPanel("care-announcements", announcements_panel, order=5))


def announcements_panel(request: HttpRequest, place: PanelPlace) -> str:
    from fangkong.care.selectors import announcements_shown

    shown = announcements_shown(area=place.area, on=timezone.localdate())
    if not shown:
        return ""
    return render_to_string("care/public_announcements.html", {"shown": shown}, request=request)
