"""Development over the API: candidates (apply, advance), branch meetings, who is due."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.party.api import PersonInBranchInput, _need_capability, _one, _org_param
from fangkong.party.development import selectors, services
from fangkong.party.models import (
    Candidate,
    Meeting,
    MeetingForm,
    MeetingPurpose,
    Member,
    Organisation,
    Stage,
)
from fangkong.party.module import PartyCapability
from fangkong.registry.models import Person


class CandidateOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    branch = serializers.IntegerField(source="branch_id")
    introducers = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id", "person", "name", "branch", "stage", "applied_on", "activist_on", "object_on",
            "reviewed_on", "probationary_on", "full_on", "introducers", "frontline", "note",
        ]  # fmt: skip

    def get_introducers(self, obj: Candidate) -> list[int]:
        return [pk for pk in (obj.introducer1_id, obj.introducer2_id) if pk]


class CandidateInput(PersonInBranchInput):
    applied_on = serializers.DateField()
    frontline = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AdvanceInput(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField()
    introducers = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="two member ids (发展对象)"
    )
    meeting = serializers.IntegerField(required=False, help_text="the meeting that voted")


class MeetingOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    branch = serializers.IntegerField(source="branch_id")
    candidates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]
    passed = serializers.BooleanField()

    class Meta:
        model = Meeting
        fields = [
            "id", "branch", "held_on", "form", "purpose", "entitled", "present", "remote",
            "votes_for", "votes_against", "abstentions", "candidates", "passed", "note",
        ]  # fmt: skip


class MeetingInput(serializers.Serializer):  # type: ignore[type-arg]
    branch = serializers.IntegerField()
    held_on = serializers.DateField()
    form = serializers.ChoiceField(choices=MeetingForm.choices)
    purpose = serializers.ChoiceField(choices=MeetingPurpose.choices)
    entitled = serializers.IntegerField(min_value=1, max_value=10000)
    present = serializers.IntegerField(min_value=0, max_value=10000)
    remote = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    votes_for = serializers.IntegerField(min_value=0, max_value=10000)
    votes_against = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    abstentions = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    candidates = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CandidatesApi(ScopedListAPIView):
    serializer_class = CandidateOutput
    capability = PartyCapability.VIEW

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.candidates_visible(self.request.user)

    @extend_schema(
        request=CandidateInput,
        responses={201: CandidateOutput, **error_responses(400, 403, 409)},
        summary="登记入党申请（发展党员的第一步）",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.MANAGE)
        values = valid_input(CandidateInput, request)
        branch = _one(Organisation.objects, request.user, "branch", values["branch"])
        common: dict[str, Any] = {
            "applied_on": values["applied_on"],
            "frontline": values["frontline"],
            "note": values["note"],
        }
        if values["person"] is not None:
            candidate = services.candidate_apply(
                actor=request.user,
                branch=branch,
                person=_one(Person.objects, request.user, "person", values["person"]),
                **common,
            )
        elif values["document_number"]:
            candidate = services.candidate_apply_by_document(
                actor=request.user,
                branch=branch,
                document_type=values["document_type"],
                document_number=values["document_number"],
                **common,
            )
        else:
            raise invalid("person", _("请给出人员编号，或证件号码"), "required")
        return Response(CandidateOutput(candidate).data, status=status.HTTP_201_CREATED)


class CandidateAdvanceApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.MANAGE

    @extend_schema(
        request=AdvanceInput,
        responses={200: CandidateOutput, **error_responses(400, 403, 404)},
        summary="进入下一阶段（最短间隔按政策；发展对象须两名介绍人；接收和转正须支部大会通过）",
    )
    def post(self, request: Request, pk: int) -> Response:
        candidate = get_visible_or_404(Candidate.objects.all(), request.user, pk=pk)
        values = valid_input(AdvanceInput, request)
        introducers = [
            _one(Member.objects, request.user, "introducers", i)
            for i in values.get("introducers", [])
        ]
        meeting = values.get("meeting")
        candidate = services.candidate_advance(
            actor=request.user,
            candidate=candidate,
            stage=values["stage"],
            on=values["date"],
            introducers=introducers,
            meeting=None
            if meeting is None
            else _one(Meeting.objects, request.user, "meeting", meeting),
        )
        return Response(CandidateOutput(candidate).data)


class MeetingsApi(ScopedListAPIView):
    serializer_class = MeetingOutput
    capability = PartyCapability.VIEW

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meetings_visible(self.request.user)

    @extend_schema(
        request=MeetingInput,
        responses={201: MeetingOutput, **error_responses(400, 403)},
        summary="登记支部党员大会（现场或远程视频）及表决结果",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.MANAGE)
        values = valid_input(MeetingInput, request)
        branch = _one(Organisation.objects, request.user, "branch", values.pop("branch"))
        candidates = [
            _one(Candidate.objects, request.user, "candidates", c) for c in values.pop("candidates")
        ]
        meeting = services.meeting_record(
            actor=request.user, branch=branch, candidates=candidates, **values
        )
        return Response(MeetingOutput(meeting).data, status=status.HTTP_201_CREATED)


class DueApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("org", int, required=True)],
        responses={200: dict, **error_responses(400, 403)},
        summary="谁该进入下一阶段了（按政策的最短间隔）",
    )
    def get(self, request: Request) -> Response:
        org = _org_param(request)
        steps = selectors.next_steps(request.user, org, timezone.localdate())
        return Response(
            {
                "org": org.pk,
                "steps": [
                    {
                        "candidate": s.candidate.pk,
                        "name": s.candidate.person.name,
                        "stage": s.candidate.stage,
                        "next": s.stage,
                        "earliest": s.earliest.isoformat(),
                        "due": s.due,
                    }
                    for s in steps
                ],
            }
        )
