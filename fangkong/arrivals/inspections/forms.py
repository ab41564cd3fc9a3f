"""The forms of an inspection (its checklist built from the notice's kind), a signed
letter and a spot check. Structure only: the rules live in arrivals.inspections.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.arrivals.models import CHECKLISTS, SpotCheckResult
from fangkong.core.forms import bootstrap, date_input


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("核查日期"), required=False, widget=date_input())
    reasons = forms.CharField(
        label=_("不符合的原因"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("有任何一项不符合时必填；结论按核查项自动得出"),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = CHECKLISTS.get(kind, {})
        for code, label in self.items.items():
            self.fields[f"item_{code}"] = forms.BooleanField(
                label=_(label),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
        bootstrap(self)

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{code}"] for code in self.items]


class LetterForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), required=False, widget=date_input())
    unit_signatory = forms.CharField(label=_("单位负责人"), max_length=50, required=False)
    community_signatory = forms.CharField(label=_("社区负责人"), max_length=50, required=False)
    spot_checks = forms.IntegerField(
        label=_("安排不定期抽查（次）"),
        min_value=0,
        max_value=14,
        initial=2,
        required=False,
        help_text=_("在观察期内随机抽取日期，不告知单位；填 0 则以后再安排"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SpotCheckForm(forms.Form):
    done_on = forms.DateField(label=_("抽查日期"), required=False, widget=date_input())
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[c for c in SpotCheckResult.choices if c[0] != SpotCheckResult.PENDING],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    findings = forms.CharField(
        label=_("情况"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
