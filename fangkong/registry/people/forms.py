"""People forms: structure and widgets; the rules are in people.cleaning and services, whose
field-named errors are put back onto these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import bootstrap
from fangkong.registry.models import DocumentType, ResidenceKind, Residency, Sex, Whereabouts
from fangkong.registry.people.cleaning import PERSON_FIELDS, clean_person


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("一时拿不到可以先留空，之后补录；留空的记录会参与疑似重复检查"),
    )
    phone = forms.CharField(
        label=_("电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    area = forms.ModelChoiceField(
        label=_("社区 / 片区"),
        queryset=Area.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("请选择社区/片区"),
            "invalid_choice": _("所选社区/片区不在您的辖区内或已撤销，请重新选择"),
        },
    )
    sex = forms.ChoiceField(
        label=_("性别"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        help_text=_("填写身份证号时自动取证件上的性别"),
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    residency = forms.ChoiceField(label=_("人员类别"), choices=Residency.choices)
    whereabouts = forms.ChoiceField(label=_("是否在京"), choices=Whereabouts.choices)
    away_from = forms.CharField(label=_("未返京所在地"), max_length=100, required=False)
    building = forms.CharField(label=_("楼栋 / 院"), max_length=40, required=False)
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=20, required=False)
    residence_kind = forms.ChoiceField(label=_("居住类型"), choices=ResidenceKind.choices)
    since = forms.DateField(
        label=_("入住日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    landlord_document = forms.CharField(
        label=_("房东证件号码"),
        max_length=40,
        required=False,
        help_text=_("租住时填写；房东须已登记"),
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field: Any = self.fields["area"]
        area_field.queryset = living_areas_visible_to(user)
        if not self.initial.get("area"):
            only = list(area_field.queryset[:2])
            if len(only) == 1:  # nothing to choose: a worker of one zone registers there
                self.initial["area"] = only[0].code
        if editing:
            for name in (
                "building",
                "entrance",
                "room",
                "residence_kind",
                "since",
                "landlord_document",
            ):
                del self.fields[name]
            self.fields["document_number"].help_text = _("留空则不修改")
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        """Run the person rules (pure, no database) even when a field such as the area is
        missing, so that one submit shows every problem; the service checks them again."""
        cleaned = super().clean() or {}
        data = {k: cleaned[k] for k in PERSON_FIELDS if k in cleaned}
        try:
            clean_person(data, today=timezone.localdate(), require_document=False)
        except ValidationError as exc:
            # A field the form itself refused (too long, not a choice) keeps that one reason.
            fresh = {k: v for k, v in exc.error_dict.items() if k not in self.errors}
            if fresh:
                self.add_domain_errors(ValidationError(fresh))
        return cleaned

    def add_domain_errors(self, error: ValidationError) -> None:
        """Put a service's field-named errors on the matching form fields."""
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            if name in ("kind",):
                target = "residence_kind" if "residence_kind" in self.fields else None
            if name in ("landlord",):
                target = "landlord_document" if "landlord_document" in self.fields else None
            for message in messages:
                self.add_error(target, message)


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
