"""The forms of a worker's health report (after a call), an alert's handling and a call
task's outcome. Structure only: the rules are in arrivals.health.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.arrivals.health.services import current_slot
from fangkong.arrivals.models import SYMPTOMS, Slot
from fangkong.arrivals.observation.forms import BaseForm
from fangkong.core.forms import date_input


class ReportForm(BaseForm):
    on = forms.DateField(label=_("日期"), widget=date_input(), initial=timezone.localdate)
    slot = forms.ChoiceField(label=_("时段"), choices=Slot.choices, initial=current_slot)
    temperature = forms.CharField(
        label=_("体温（°C）"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("症状"),
        choices=[(code, _(label)) for code, label in SYMPTOMS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HandleForm(BaseForm):
    handling = forms.CharField(label=_("处置情况"), max_length=200)


class NoteForm(BaseForm):
    note = forms.CharField(label=_("电话询问情况"), max_length=200)
