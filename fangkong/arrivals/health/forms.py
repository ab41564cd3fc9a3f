"""The forms of a worker's health report (after a call), an alert's handling and a call
task's outcome. Structure only: the rules are in arrivals.health.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fangkong.arrivals.health.services import current_slot
from fangkong.arrivals.models import SYMPTOMS, Slot
from fangkong.arrivals.observation.forms import BaseForm
from fangkong.core.forms import date_input


class ReportForm(BaseForm):
    on = forms.DateField(label="日期", widget=date_input(), initial=timezone.localdate)
    slot = forms.ChoiceField(label="时段", choices=Slot.choices, initial=current_slot)
    temperature = forms.CharField(
        label="体温（°C）",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    symptoms = forms.MultipleChoiceField(
        label="症状",
        choices=list(SYMPTOMS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HandleForm(BaseForm):
    handling = forms.CharField(label="处置情况", max_length=200)


class NoteForm(BaseForm):
    note = forms.CharField(label="电话询问情况", max_length=200)
