"""Forms of the party pages. Amounts are text (parsed by money.parse_amount), never
floats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.areas.models import Area
from fangkong.core.errors import Conflict
from fangkong.core.forms import bootstrap, date_input, put_errors
from fangkong.core.scoping import scope_filter
from fangkong.party.models import CHILD_KINDS, Channel, Member, Organisation, OrgKind
from fangkong.registry.models import DocumentType


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


class OrgForm(_Base):
    """A new organisation: under a parent, placed in an area, with its treasurer."""

    parent = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("上级党组织"), required=False
    )
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=_("所在区域"))
    treasurer = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("收款人（账号）"), required=False
    )

    def __init__(self, *args: Any, user: Any, parent: Organisation | None = None, **kw: Any):
        super().__init__(*args, **kw)
        fields: Any = self.fields
        fields["parent"].queryset = (
            Organisation.objects.visible_to(user).exclude(kind=OrgKind.BRANCH).order_by("path")
        )
        fields["area"].queryset = Area.objects.visible_to(user).current().order_by("path")
        accounts = User.objects.filter(is_active=True, role=Role.PARTY_TREASURER)
        scope = scope_filter(User, user)
        fields["treasurer"].queryset = accounts if scope is None else accounts.filter(scope)
        fields["treasurer"].label_from_instance = lambda u: (
            f"{u.first_name} ({u.username})" if u.first_name else u.username
        )
        if parent is not None:
            fields["parent"].initial = parent.pk
            fields["area"].initial = parent.area_id
            kinds = CHILD_KINDS[parent.kind]
            if kinds:
                fields["kind"].initial = kinds[-1]


class MemberAddForm(_Base):
    """A registered person joins the branch, found by their document."""

    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=_("证件号码"), max_length=40)
    joined_on = forms.DateField(label=_("入党日期"), widget=date_input(), required=False)


class CandidateApplyForm(_Base):
    """An applicant enters the development pipeline of the branch."""

    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=_("证件号码"), max_length=40)
    applied_on = forms.DateField(
        label=_("递交申请书"), widget=date_input(), initial=timezone.localdate
    )
    frontline = forms.BooleanField(label=_("抗疫一线"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


def service_errors(
    form: Any, exc: ValidationError | Conflict, aliases: dict[str, str] | None = None
) -> None:
    """A service's refusal onto the form, next to the field it names (`aliases`: service
    field → form field); the page lists each with the field's label."""
    if isinstance(exc, ValidationError):
        put_errors(form, exc, aliases)
        return
    field = (aliases or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.reason)
