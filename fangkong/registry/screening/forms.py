"""Screening forms: a new round, and the visit form's own fields (the people on it are
rows the view reads from the household)."""

from __future__ import annotations

from typing import Any

from django import forms

from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import date_input
from fangkong.registry.screening.services import MAX_ROUND_DAYS

DATE = date_input()


class RoundForm(forms.Form):
    name = forms.CharField(
        label="摸排名称",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：春节后第一轮"}),
    )
    area = forms.ChoiceField(
        label="社区 / 片区", widget=forms.Select(attrs={"class": "form-select"})
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(
        label="结束日期", widget=DATE, help_text=f"一轮最长 {MAX_ROUND_DAYS} 天"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            (a.code, f"{a.name}（{a.get_kind_display()}）") for a in living_areas_visible_to(user)
        ]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    observation_notes = forms.CharField(
        label="居家观察条件",
        max_length=300,
        required=False,
        widget=forms.Textarea(
            attrs={
                "class": "form-control",
                "rows": 3,
                "placeholder": "如：有独立房间和卫生间；同住老人一名",
            }
        ),
    )
