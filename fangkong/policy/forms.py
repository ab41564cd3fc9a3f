"""Forms of the policy pages: a draft's settings, its origin rules, its publication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import bootstrap, date_input
from fangkong.policy.models import OriginRisk, PolicyVersion
from fangkong.policy.selectors import POLICY_SETTINGS


class DraftForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    class Meta:
        model = PolicyVersion
        fields = list(POLICY_SETTINGS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class OriginRuleForm(forms.Form):
    region_code = forms.CharField(label=_("来源地代码"), max_length=16, required=False)
    region_name = forms.CharField(label=_("来源地"), max_length=50, required=False)
    risk = forms.ChoiceField(label=_("处置"), choices=OriginRisk.choices)
    observation_days = forms.IntegerField(
        label=_("观察天数"), min_value=1, max_value=60, required=False
    )
    remove = forms.BooleanField(label=_("删除"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


RuleFormSet = forms.formset_factory(OriginRuleForm, extra=1)


def rules_of(formset: Any) -> list[dict[str, Any]]:
    """The rules a valid formset keeps (blank and removed rows dropped)."""
    return [
        {k: v for k, v in row.items() if k != "remove"}
        for row in formset.cleaned_data
        if row and row.get("region_code") and not row.get("remove")
    ]


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=date_input())
