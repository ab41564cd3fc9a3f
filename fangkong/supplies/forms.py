"""The forms of a store's page; the rules are in supplies.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.forms import bootstrap
from fangkong.core.scoping import scope_filter
from fangkong.duty.models import Post
from fangkong.supplies.models import ReceiptSource, Store
from fangkong.supplies.selectors import active_items, stores_visible

_QTY = {"min_value": _("数量至少为 %(limit_value)s"), "invalid": _("数量应为整数")}


def cadres_visible(user: Any) -> Any:
    condition = scope_filter(User, user)
    qs = User.objects.filter(role__in=[Role.CADRE, Role.COMMUNITY_WORKER], is_active=True)
    return (qs if condition is None else qs.filter(condition)).order_by("username")


class _MovementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("物资"), queryset=active_items())
    quantity = forms.IntegerField(
        label=_("数量"), min_value=1, max_value=1_000_000, error_messages=_QTY
    )

    def __init__(self, *args: Any, user: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.store = user, store
        self.fields["item"].queryset = active_items()  # type: ignore[attr-defined]
        self.setup()
        bootstrap(self)

    def setup(self) -> None:
        pass


class ReceiptForm(_MovementForm):
    source = forms.ChoiceField(
        label=_("来源"), choices=ReceiptSource.choices, initial=ReceiptSource.STREET
    )
    donor = forms.CharField(label=_("捐赠 / 供货方"), max_length=80, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class HandoutForm(_MovementForm):
    to_post = forms.ModelChoiceField(
        label=_("发给值守点"), queryset=Post.objects.none(), required=False
    )
    to_person = forms.IntegerField(label=_("或发给人员（人员编号）"), required=False, min_value=1)
    to_account = forms.ModelChoiceField(
        label=_("或发给干部 / 社区工作者"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def setup(self) -> None:
        self.fields["to_post"].queryset = Post.objects.visible_to(self.user).filter(active=True)  # type: ignore[attr-defined]
        self.fields["to_account"].queryset = cadres_visible(self.user)  # type: ignore[attr-defined]


class TransferForm(_MovementForm):
    to_store = forms.ModelChoiceField(label=_("调入物资库"), queryset=Store.objects.none())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def setup(self) -> None:
        self.fields["to_store"].queryset = stores_visible(self.user).exclude(pk=self.store.pk)  # type: ignore[attr-defined]


class CountForm(forms.Form):
    item = forms.ModelChoiceField(label=_("物资"), queryset=active_items())
    counted = forms.IntegerField(
        label=_("盘点数量"), min_value=0, max_value=1_000_000, error_messages=_QTY
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = active_items()  # type: ignore[attr-defined]
        bootstrap(self)


class MinimumForm(CountForm):
    counted = None  # type: ignore[assignment]
    minimum = forms.IntegerField(label=_("最低库存"), min_value=0, max_value=1_000_000)
    note = None  # type: ignore[assignment]


class StoreForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("社区/片区物资库"),
        queryset=living_areas_visible_to(None),
        required=False,
        to_field_name="code",
    )
    post = forms.ModelChoiceField(
        label=_("或值守点物资库"), queryset=Post.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = living_areas_visible_to(user)  # type: ignore[attr-defined]
        self.fields["post"].queryset = Post.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            active=True, supply_store__isnull=True
        )
        bootstrap(self)


FORMS: dict[str, type[forms.Form]] = {
    "receipt": ReceiptForm,
    "handout": HandoutForm,
    "transfer": TransferForm,
    "count": CountForm,
    "minimum": MinimumForm,
}
