"""The forms of notices (the public page's and the worker's), rescheduling and unannounced
arrivals, and the pieces every notice form shares: the repeated person rows, a service's
field-named errors put on the form, the CSS classes. Structure only: the rules live in
arrivals.notices.services (one place for page and API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals.models import FiledBy, ObservationMode
from fangkong.arrivals.notices.rules import PROVINCES
from fangkong.arrivals.notices.selectors import unit_choices
from fangkong.core.forms import bootstrap, date_input, field_errors
from fangkong.registry.models import DocumentType, ResidenceKind, Residency
from fangkong.units.models import Unit

PERSON_KEYS = ("name", "document_type", "document_number", "phone")
# The fields of the unannounced form that describe the person (person.<field> in errors).
PERSON_FIELDS = ("name", "document_type", "document_number", "phone", "residency")


# --- pieces shared by the notice forms ------------------------------------------------------


def read_people(data: Any) -> list[dict[str, str]]:
    """The repeated person rows of a notice form (people-<i>-<field>), in order, blank
    rows dropped — so row i on the page is people.i in the service's errors."""
    indices = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith("people-") and key.count("-") == 2 and key.split("-")[1].isdecimal()
        }
    )
    rows = []
    for i in indices:
        row = {k: str(data.get(f"people-{i}-{k}", "")).strip() for k in PERSON_KEYS}
        if row["name"] or row["document_number"] or row["phone"]:
            row["document_type"] = row["document_type"] or DocumentType.RESIDENT_ID
            rows.append(row)
    return rows


def people_rows(rows: list[dict[str, str]], error: ValidationError | None) -> list[dict[str, Any]]:
    """Rows for the template, each with its own errors (people.<i>.<field>)."""
    messages = field_errors(error)
    out: list[dict[str, Any]] = []
    blank: list[dict[str, str]] = [{"document_type": DocumentType.RESIDENT_ID}]
    for i, row in enumerate(rows or blank):
        errors = {
            k: messages.get(f"people.{i}.{k}", [])
            for k in ("name", "document_type", "document_number", "phone")
        }
        out.append({"i": i, "n": i + 1, **row, "errors": errors})
    return out


def origin_choices() -> list[tuple[str, str]]:
    # Called each time the choices are shown, so in the language of that request.
    return [("", str(_("请选择省份 / 境外"))), *PROVINCES.items()]


# --- the notice: public page and worker --------------------------------------------------


class NoticeFields(forms.Form):
    """The fields of a notice; rules live in arrivals.notices.services (one place for page
    and API)."""

    filed_by = forms.ChoiceField(
        label=_("您的身份"),
        choices=[(v, label) for v, label in FiledBy.choices if v != FiledBy.WORKER],
        initial=FiledBy.RETURNEE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    filer_name = forms.CharField(label=_("报备人姓名"), max_length=50, required=False)
    filer_phone = forms.CharField(
        label=_("报备人电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("社区会打这个电话和您核实"),
    )
    origin_code = forms.ChoiceField(label=_("从哪里返京"), choices=origin_choices, required=False)
    origin_name = forms.CharField(
        label=_("具体地点（市、县）"),
        max_length=100,
        required=False,
        help_text=_("如：河南省信阳市"),
    )
    planned_on = forms.DateField(
        label=_("计划到京日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(
        label=_("到京后在哪里观察"),
        choices=ObservationMode.choices,
        initial=ObservationMode.HOME,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    area = forms.ModelChoiceField(
        label=_("片区"), queryset=Area.objects.none(), to_field_name="code", required=False
    )
    building = forms.CharField(label=_("楼栋 / 院"), max_length=40, required=False)
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=20, required=False)
    unit = forms.ModelChoiceField(
        label=_("用工单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（无 / 不在列表中）"),
    )
    note = forms.CharField(
        label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, areas: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PublicNoticeForm(NoticeFields):
    unit_name = forms.CharField(
        label=_("单位名称（不在列表中时填写）"), max_length=100, required=False
    )
    # Honeypot: hidden from people (CSS and aria), filled by form-stuffing bots.
    website = forms.CharField(
        label=_("网站"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].empty_label = _("不清楚 / 不在片区内")  # type: ignore[attr-defined]
        bootstrap(self)


class NewUnitFields(forms.Form):
    unit_name = forms.CharField(
        label=_("新单位名称（列表中没有时填写）"), max_length=100, required=False
    )
    unit_contact_name = forms.CharField(label=_("单位联系人"), max_length=50, required=False)
    unit_contact_phone = forms.CharField(
        label=_("单位联系电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class WorkerNoticeForm(NoticeFields, NewUnitFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        filed_by: Any = self.fields["filed_by"]
        filed_by.widget = forms.Select()
        filed_by.choices = FiledBy.choices
        filed_by.label = _("报备人身份")
        mode: Any = self.fields["mode"]
        mode.widget = forms.Select()
        mode.choices = ObservationMode.choices
        mode.label = _("观察方式")
        self.fields["area"].label = _("社区 / 片区")
        self.fields["area"].required = True
        self.fields["area"].empty_label = _("请选择")  # type: ignore[attr-defined]
        self.fields["filer_phone"].help_text = ""
        bootstrap(self)


class RescheduleForm(forms.Form):
    planned_on = forms.DateField(label=_("新的到京日期"), required=False, widget=date_input())
    building = forms.CharField(label=_("新住址：楼栋 / 院"), max_length=40, required=False)
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


# --- unannounced arrivals -------------------------------------------------------------------


class UnannouncedForm(NewUnitFields):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    residency = forms.ChoiceField(
        label=_("人员类别"), choices=Residency.choices, initial=Residency.MIGRANT
    )
    origin_code = forms.ChoiceField(label=_("从哪里返京"), choices=origin_choices, required=False)
    origin_name = forms.CharField(label=_("具体地点（市、县）"), max_length=100, required=False)
    arrived_on = forms.DateField(label=_("到京日期"), required=False, widget=date_input())
    area = forms.ModelChoiceField(
        label=_("社区 / 片区"), queryset=Area.objects.none(), to_field_name="code"
    )
    mode = forms.ChoiceField(
        label=_("观察方式"), choices=ObservationMode.choices, initial=ObservationMode.HOME
    )
    building = forms.CharField(label=_("楼栋 / 院"), max_length=40, required=False)
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=20, required=False)
    residence_kind = forms.ChoiceField(
        label=_("居住类型"), choices=ResidenceKind.choices, initial=ResidenceKind.TENANT
    )
    landlord_document = forms.CharField(
        label=_("房东证件号码"),
        max_length=40,
        required=False,
        help_text=_("租住时填写；房东须已在本辖区登记"),
    )
    unit = forms.ModelChoiceField(
        label=_("用工单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（无 / 不在列表中）"),
    )
    note = forms.CharField(
        label=_("情况说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：在小区门岗因无出入证被拦下，已向本人解释政策"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = living_areas_visible_to(user)  # type: ignore[attr-defined]
        self.fields["area"].empty_label = _("请选择")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = unit_choices(user=user)  # type: ignore[attr-defined]
        bootstrap(self)
