"""People, households and residences over the API (the contract in DESIGN.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses
from fangkong.core.errors import invalid
from fangkong.core.ids import parse_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import (
    Address,
    DocumentType,
    Person,
    ResidenceKind,
    Residency,
    Sex,
    Whereabouts,
)
from fangkong.registry.module import RegistryCapability
from fangkong.registry.people import selectors, services
from fangkong.registry.people.cleaning import PERSON_FIELDS


class ResidenceOutput(serializers.Serializer):  # type: ignore[type-arg]
    address_id = serializers.IntegerField(source="address.id")
    address = serializers.CharField(source="address.__str__")
    kind = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    landlord_id = serializers.IntegerField(allow_null=True)


class PersonOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Masked: `document_number` and `phone` carry the masked forms."""

    area = serializers.CharField(source="area.code")
    document_type = serializers.SerializerMethodField(
        help_text="null when no document is registered"
    )
    document_number = serializers.CharField(source="document_masked")
    phone = serializers.CharField(source="phone_masked")
    employer = serializers.CharField(source="employer.name", allow_null=True, default=None)
    residence = serializers.SerializerMethodField()

    def get_document_type(self, person: Person) -> str | None:
        return person.document_type if person.document_masked else None

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "document_type",
            "document_number",
            "phone",
            "sex",
            "birth_date",
            "residency",
            "whereabouts",
            "away_from",
            "area",
            "employer",
            "residence",
        ]

    def get_residence(self, person: Person) -> dict[str, Any] | None:
        current = getattr(person, "current_residences", None)
        if current is None:
            current = list(person.residences.current().select_related("address"))
        return ResidenceOutput(current[0]).data if current else None


class PersonInput(serializers.Serializer):  # type: ignore[type-arg]
    """Structure only; the rules live in people.cleaning (one place for form, API and
    spreadsheet)."""

    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    document_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    document_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    area = serializers.CharField(max_length=32, help_text="社区、村或片区代码")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    residency = serializers.ChoiceField(choices=Residency.choices, required=False)
    whereabouts = serializers.ChoiceField(choices=Whereabouts.choices, required=False)
    away_from = serializers.CharField(max_length=100, required=False, allow_blank=True)
    building = serializers.CharField(max_length=40, required=False, allow_blank=True)
    entrance = serializers.CharField(max_length=20, required=False, allow_blank=True)
    room = serializers.CharField(max_length=20, required=False, allow_blank=True)
    residence_kind = serializers.ChoiceField(choices=ResidenceKind.choices, required=False)
    since = serializers.DateField(required=False, allow_null=True)
    landlord = serializers.IntegerField(
        required=False, allow_null=True, help_text="房东的人员编号（须已登记）"
    )


class PersonUpdateInput(PersonInput):
    area = serializers.CharField(max_length=32, required=False)


def _landlord(user: Any, landlord_id: int | None) -> Person | None:
    if landlord_id is None:
        return None
    landlord = Person.objects.visible_to(user).active().filter(pk=landlord_id).first()
    if landlord is None:
        raise invalid(
            "landlord",
            _("人员编号 %(landlord_id)s 不存在或不在您的辖区") % {"landlord_id": landlord_id},
            "unknown_person",
        )
    return landlord


class PeopleApi(ScopedListAPIView):
    """People in the caller's area. `document_number` searches are exact and audited."""

    serializer_class = PersonOutput
    capability = RegistryCapability.VIEW

    def base_queryset(self) -> Any:
        return Person.objects.active()

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="区域代码（含下级）"),
            OpenApiParameter("whereabouts", str, enum=Whereabouts.values),
            OpenApiParameter("residence_kind", str, enum=ResidenceKind.values),
            OpenApiParameter("round", int, description="摸排轮次编号"),
            OpenApiParameter("q", str, description="姓名（包含）"),
            OpenApiParameter("phone", str, description="电话（精确）"),
            OpenApiParameter("document_number", str, description="证件号码（精确，留痕）"),
            OpenApiParameter("document_type", str, enum=DocumentType.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        params = self.request.query_params
        user = self.request.user
        if number := params.get("document_number", "").strip():
            return services.people_find_by_document(
                actor=user,
                number=number,
                request=self.request._request,
                document_type=params.get("document_type") or DocumentType.RESIDENT_ID,
            )
        if phone := params.get("phone", "").strip():
            return selectors.people_find_by_phone(actor=user, phone=phone)
        area = area_visible_by_code(user=user, code=params["area"]) if params.get("area") else None
        round_id = params.get("round", "")
        if round_id and parse_id(round_id) is None:
            raise invalid("round", _("摸排轮次编号应为数字"), "invalid")
        return selectors.people_list(
            user=user,
            filters=selectors.PeopleFilter(
                area=area,
                whereabouts=params.get("whereabouts", ""),
                residence_kind=params.get("residence_kind", ""),
                round_id=parse_id(round_id),
                name=params.get("q", "").strip(),
            ),
        )

    @extend_schema(
        request=PersonInput,
        responses={
            201: PersonOutput,
            409: inline_serializer("PersonConflict", {"id": serializers.IntegerField()}),
            **error_responses(400, 403),
        },
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(RegistryCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色不能登记人员。"))
        data = PersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = area_visible_by_code(user=request.user, code=values["area"])
        person = services.person_enrol(
            actor=request.user,
            area=area,
            data={k: values[k] for k in PERSON_FIELDS if k in values},
            home={
                "building": values.get("building", ""),
                "entrance": values.get("entrance"),
                "room": values.get("room"),
                "kind": values.get("residence_kind"),
                "since": values.get("since"),
            },
            landlord=_landlord(request.user, values.get("landlord")),
        )
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonApi(APIView):
    permission_classes = [HasCapability]
    capability = RegistryCapability.VIEW

    @extend_schema(responses={200: PersonOutput})
    def get(self, request: Request, pk: int) -> Response:
        person = get_visible_or_404(Person.objects.select_related("area"), request.user, pk=pk)
        return Response(PersonOutput(person).data)

    @extend_schema(
        request=PersonUpdateInput,
        responses={200: PersonOutput, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        if not request.user.can(RegistryCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色不能修改人员。"))
        person = get_visible_or_404(Person.objects.active(), request.user, pk=pk)
        data = PersonUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = (
            area_visible_by_code(user=request.user, code=values["area"])
            if "area" in values
            else None
        )
        person = services.person_update(
            actor=request.user,
            person=person,
            area=area,
            data={k: values[k] for k in PERSON_FIELDS if k in values},
        )
        return Response(PersonOutput(person).data)


class PersonFullApi(APIView):
    """The unmasked document number and phone; every call is written to the audit log."""

    permission_classes = [HasCapability]
    capability = RegistryCapability.REVEAL

    @extend_schema(
        responses={
            200: inline_serializer(
                "PersonFull",
                {
                    "id": serializers.IntegerField(),
                    "document_number": serializers.CharField(),
                    "phone": serializers.CharField(),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        person = get_visible_or_404(Person, request.user, pk=pk)
        full = services.person_reveal(actor=request.user, person=person, request=request._request)
        return Response({"id": person.pk, **full})


class MergeInput(serializers.Serializer):  # type: ignore[type-arg]
    duplicate = serializers.IntegerField(help_text="要并入本人的重复记录编号")


class PersonMergeApi(APIView):
    permission_classes = [HasCapability]
    capability = RegistryCapability.CHANGE

    @extend_schema(
        request=MergeInput, responses={200: PersonOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        keep = get_visible_or_404(Person.objects.active(), request.user, pk=pk)
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        duplicate = (
            Person.objects.visible_to(request.user)
            .filter(pk=data.validated_data["duplicate"])
            .first()
        )
        if duplicate is None:
            raise invalid("duplicate", _("重复记录不存在或不在您的辖区"), "unknown_person")
        keep = services.person_merge(actor=request.user, keep=keep, duplicate=duplicate)
        return Response(PersonOutput(keep).data)


class DuplicatesApi(APIView):
    permission_classes = [HasCapability]
    capability = RegistryCapability.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "DuplicateGroups", {"groups": serializers.ListField(child=PersonOutput(many=True))}
            )
        }
    )
    def get(self, request: Request) -> Response:
        groups = selectors.duplicate_groups(user=request.user)
        return Response({"groups": [PersonOutput(g, many=True).data for g in groups]})


class HouseholdOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    residents = serializers.IntegerField(read_only=True)

    class Meta:
        model = Address
        fields = ["id", "area", "building", "entrance", "room", "residents"]


class HouseholdsApi(ScopedListAPIView):
    """Addresses with the number of people living there now (one household each)."""

    serializer_class = HouseholdOutput
    capability = RegistryCapability.VIEW

    def base_queryset(self) -> Any:
        return Address.objects.all()

    def get_queryset(self) -> QuerySet[Address]:
        code = self.request.query_params.get("area")
        area = area_visible_by_code(user=self.request.user, code=code) if code else None
        return selectors.households(user=self.request.user, area=area)


class HouseholdApi(APIView):
    permission_classes = [HasCapability]
    capability = RegistryCapability.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "Household", {"address": HouseholdOutput(), "people": PersonOutput(many=True)}
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        address = get_visible_or_404(selectors.households(user=request.user), request.user, pk=pk)
        people = [r.person for r in selectors.household_residents(address=address)]
        return Response(
            {
                "address": HouseholdOutput(address).data,
                "people": PersonOutput(people, many=True).data,
            }
        )
