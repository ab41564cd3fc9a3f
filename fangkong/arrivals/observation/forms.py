"""The forms of the observation pages: start one, extend or shorten it, release it, send
to hospital, cancel. Structure only: the rules are in arrivals.observation.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals.models import ObservationMode
from fangkong.core.forms import bootstrap, date_input
from fangkong.units.models import Unit


class BaseForm(forms.Form):
    """A form with the page's CSS classes that takes a service's field-named errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def add_domain_errors(self, exc: ValidationError) -> None:
        for name, errors in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class StartForm(BaseForm):
    area = forms.ModelChoiceField(
        label=_("观察所在社区 / 片区"), queryset=Area.objects.none(), to_field_name="code"
    )
    mode = forms.ChoiceField(label=_("观察方式"), choices=ObservationMode.choices)
    arrived_on = forms.DateField(
        label=_("到京日期（第 1 天）"), widget=date_input(), initial=timezone.localdate
    )
    days = forms.IntegerField(
        label=_("观察天数"), required=False, help_text=_("留空则按到京当天生效的政策（如 14 天）")
    )
    unit = forms.ModelChoiceField(
        label=_("观察单位（单位集中观察）"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (  # type: ignore[attr-defined]
            living_areas_visible_to(user)
        )
        self.fields["unit"].queryset = Unit.objects.visible_to(user)  # type: ignore[attr-defined]


class DaysForm(BaseForm):
    days = forms.IntegerField(label=_("天数"), min_value=1, widget=forms.NumberInput())
    reason = forms.CharField(label=_("原因"), max_length=300)


class ReleaseForm(BaseForm):
    on = forms.DateField(label=_("解除日期"), widget=date_input(), initial=timezone.localdate)


class HospitalForm(BaseForm):
    on = forms.DateField(label=_("转送日期"), widget=date_input(), initial=timezone.localdate)
    reason = forms.CharField(label=_("原因（送往哪家发热门诊 / 医院）"), max_length=300)


class CancelForm(BaseForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)


class ArriveForm(forms.Form):
    """Who of a notice's group arrived, and when; who is not coming."""

    arrived_on = forms.DateField(label=_("到京日期"), widget=date_input())
    people = forms.TypedMultipleChoiceField(
        label=_("已到京"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    no_show = forms.TypedMultipleChoiceField(
        label=_("不来了"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, expected: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(row.pk, f"{row.name} · {row.document_masked}") for row in expected]
        for name in ("people", "no_show"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
