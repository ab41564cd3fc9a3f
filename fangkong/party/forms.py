"""Forms of the party pages. Amounts are text (parsed by money.parse_amount), never
floats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import bootstrap, date_input
from fangkong.party.models import Channel, Member, Organisation


class _Base(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _amount(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "100.00"}),
    )


class DonationForm(_Base):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("党员"))
    amount = _amount(_("金额（元）"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("方式"), initial=Channel.TRANSFER)
    receipt_no = forms.CharField(label=_("收据号 / 流水号"), max_length=40, required=False)
    on = forms.DateField(label=_("捐款日期"), widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, branch: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["member"]
        field.queryset = branch.members.filter(active=True).select_related("person")


class RemitForm(_Base):
    amount = _amount(_("上缴金额（元）"))
    sent_on = forms.DateField(label=_("上缴日期"), widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ReceiveForm(_Base):
    received_amount = _amount(_("实收金额（元）"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
