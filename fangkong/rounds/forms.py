"""The forms of the rounds pages; the rules are in rounds.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import bootstrap, date_input
from fangkong.rounds.models import Agent, Place, PlaceKind, RoundKind


def _areas(form: forms.Form, user: Any) -> None:
    areas = living_areas_visible_to(user)
    field: Any = form.fields["area"]
    field.queryset = areas
    if areas.count() == 1:
        form.initial.setdefault("area", areas.first().code)  # type: ignore[union-attr]


class PlaceForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("社区 / 片区"),
        queryset=Area.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("请选择社区/片区"),
            "invalid_choice": _("所选社区/片区不在您的辖区内或已撤销，请重新选择"),
        },
    )
    kind = forms.ChoiceField(label=_("类别"), choices=PlaceKind.choices)
    building = forms.CharField(
        label=_("楼栋/院"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：3号楼")}),
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("如：1单元电梯")}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self, user)
        bootstrap(self)


class PlanForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_("点位"),
        queryset=Place.objects.none(),
        error_messages={"invalid_choice": _("所选点位不在您的辖区内，请重新选择")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=RoundKind.choices)
    every_hours = forms.IntegerField(
        label=_("每隔几小时"), min_value=1, max_value=168, required=False
    )
    times_a_day = forms.IntegerField(
        label=_("或每天几次"), min_value=1, max_value=24, required=False
    )
    agent = forms.ChoiceField(
        label=_("消毒剂（消杀作业）"), choices=[("", "—"), *Agent.choices], required=False
    )
    concentration = forms.CharField(
        label=_("浓度"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：500 mg/L")}),
    )
    active_from = forms.DateField(label=_("开始日期"), widget=date_input())
    active_until = forms.DateField(label=_("结束日期"), widget=date_input(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["place"]
        field.queryset = Place.objects.visible_to(user).filter(active=True)
        bootstrap(self)
