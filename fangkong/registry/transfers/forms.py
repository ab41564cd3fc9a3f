"""The request for a handover; the rules are in transfers.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import bootstrap
from fangkong.registry.models import DocumentType, ResidenceKind


class TransferForm(forms.Form):
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label=_("证件号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    to_area = forms.ModelChoiceField(
        label=_("转入社区 / 片区"),
        queryset=Area.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("请选择社区/片区"),
            "invalid_choice": _("所选社区/片区不在您的辖区内或已撤销，请重新选择"),
        },
    )
    reason = forms.CharField(
        label=_("转入原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：已搬到本社区租住")}),
    )
    building = forms.CharField(label=_("楼栋/院"), max_length=40, required=False)
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False)
    room = forms.CharField(label=_("房间"), max_length=20, required=False)
    kind = forms.ChoiceField(
        label=_("居住类型"), choices=ResidenceKind.choices, initial=ResidenceKind.TENANT
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = living_areas_visible_to(user)
        field: Any = self.fields["to_area"]
        field.queryset = areas
        if areas.count() == 1:
            self.initial.setdefault("to_area", areas.first().code)  # type: ignore[union-attr]
        bootstrap(self)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("不同意的原因"), max_length=200)
