"""The forms of the quality pages; the rules are in quality.services and quality.sampling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import bootstrap, date_input
from fangkong.quality.models import DefectKind, Level, Product
from fangkong.quality.sampling import AQLS, aql_label
from fangkong.quality.selectors import products_visible, units_for_products
from fangkong.units.models import Unit

AQL_CHOICES = [(aql_label(a), aql_label(a)) for a in AQLS]
_INT = {"invalid": _("应为整数"), "min_value": _("至少为 %(limit_value)s")}


class PlanForm(forms.Form):
    lot_size = forms.IntegerField(label=_("批量"), min_value=2, error_messages=_INT)
    aql = forms.ChoiceField(label=_("AQL"), choices=AQL_CHOICES, initial="2.5")
    level = forms.ChoiceField(
        label=_("检验水平"), choices=Level.choices, initial=Level.II, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ProductForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("生产单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("产品名称"), max_length=60)
    spec = forms.CharField(label=_("规格"), max_length=60, required=False)
    loop_strength_min_n = forms.DecimalField(
        label=_("耳带拉力下限（N）"), initial=10, max_digits=5, decimal_places=1
    )
    aql = forms.ChoiceField(label=_("AQL"), choices=AQL_CHOICES, initial="2.5")
    level = forms.ChoiceField(label=_("检验水平"), choices=Level.choices, initial=Level.II)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_products(user)  # type: ignore[attr-defined]
        bootstrap(self)


class BatchForm(forms.Form):
    product = forms.ModelChoiceField(label=_("产品"), queryset=Product.objects.none())
    code = forms.CharField(label=_("批号"), max_length=40)
    lot_size = forms.IntegerField(label=_("批量"), min_value=2, error_messages=_INT)
    produced_on = forms.DateField(label=_("生产日期"), widget=date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_visible(user)  # type: ignore[attr-defined]
        bootstrap(self)


class InspectionForm(forms.Form):
    """The sample inspected and, per kind of defect, the nonconforming units found."""

    inspected = forms.IntegerField(label=_("检验数量"), min_value=1, error_messages=_INT)
    lowest_strength_n = forms.DecimalField(
        label=_("耳带最低拉力（N）"), required=False, max_digits=5, decimal_places=1
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in DefectKind.choices:
            self.fields[f"defect_{value}"] = forms.IntegerField(
                label=label, min_value=0, required=False, initial=0, error_messages=_INT
            )
        self.order_fields(["inspected", *(f"defect_{v}" for v in DefectKind.values)])
        bootstrap(self)

    def defects(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows = []
        for value in DefectKind.values:
            count = data.get(f"defect_{value}") or 0
            if count:
                row: dict[str, Any] = {"kind": value, "count": count}
                if value == DefectKind.LOOP_STRENGTH:
                    row["lowest_strength_n"] = data.get("lowest_strength_n")
                rows.append(row)
        return rows


class PackForm(forms.Form):
    counted = forms.IntegerField(label=_("清点数量"), min_value=1, error_messages=_INT)
    per_box = forms.IntegerField(label=_("每箱数量"), min_value=1, error_messages=_INT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
