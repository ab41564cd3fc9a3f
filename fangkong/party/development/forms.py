"""Forms of the development page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import bootstrap, date_input
from fangkong.party.models import Candidate, MeetingForm, MeetingPurpose, Organisation


class MeetingRecordForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=date_input(), initial=timezone.localdate)
    form = forms.ChoiceField(label=_("形式"), choices=MeetingForm.choices)
    purpose = forms.ChoiceField(label=_("议题"), choices=MeetingPurpose.choices)
    entitled = forms.IntegerField(label=_("应到有表决权党员"), min_value=1)
    present = forms.IntegerField(label=_("实到"), min_value=0)
    remote = forms.IntegerField(label=_("视频参会"), min_value=0, initial=0)
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    candidates = forms.ModelMultipleChoiceField(
        label=_("表决对象"), queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, branch: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["candidates"]
        field.queryset = branch.candidates.exclude(stage="full").select_related("person")
        bootstrap(self)
