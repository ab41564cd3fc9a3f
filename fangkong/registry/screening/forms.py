"""Screening forms: a new round, and the visit form's own fields (the people on it are
rows the view reads from the household)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import date_input
from fangkong.registry.screening.services import MAX_ROUND_DAYS

DATE = date_input()


class RoundForm(forms.Form):
    name = forms.CharField(
        label=_("摸排名称"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("如：春节后第一轮")}
        ),
    )
    area = forms.ChoiceField(
        label=_("社区 / 片区"), widget=forms.Select(attrs={"class": "form-select"})
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, help_text="")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            (
                a.code,
                pgettext("area and its kind", "%(name)s（%(kind)s）")
                % {"name": a.name, "kind": a.get_kind_display()},
            )
            for a in living_areas_visible_to(user)
        ]
        self.fields["ends_on"].help_text = gettext("一轮最长 %(days)s 天") % {
            "days": MAX_ROUND_DAYS
        }


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    observation_notes = forms.CharField(
        label=_("居家观察条件"),
        max_length=300,
        required=False,
        widget=forms.Textarea(
            attrs={
                "class": "form-control",
                "rows": 3,
                "placeholder": _("如：有独立房间和卫生间；同住老人一名"),
            }
        ),
    )
