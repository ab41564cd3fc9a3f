"""The forms of the units' duty pages; the rules are in unitduty.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import bootstrap, date_input
from fangkong.unitduty.checklists import checklist
from fangkong.unitduty.models import Agency
from fangkong.units.models import UnitKind

SICK_ROWS = 3
_INT = {"invalid": _("应为整数"), "min_value": _("至少为 %(limit_value)s")}


def _count(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=required, error_messages=_INT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip


class ReportForm(forms.Form):
    """Today's report: the counts, then up to three sick absences."""

    staff_expected = _count(_("应到岗人数"))
    staff_on_site = _count(_("在岗人数"))
    staff_home = _count(_("居家办公人数"), required=False)
    temperatures_checked = _count(_("已测体温人数"))
    key_group_staff = _count(_("重点群体人数（保洁、保安、餐饮、快递、物业等）"), required=False)
    key_group_checked = _count(_("重点群体已检查人数"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(SICK_ROWS):
            self.fields[f"sick_{i}_name"] = forms.CharField(
                label=_("因病缺勤人员姓名"), max_length=50, required=False
            )
            self.fields[f"sick_{i}_symptoms"] = forms.CharField(
                label=_("症状"), max_length=100, required=False
            )
            self.fields[f"sick_{i}_since"] = forms.DateField(
                label=_("缺勤起始日"), required=False, widget=date_input()
            )
            self.fields[f"sick_{i}_temperature"] = forms.CharField(
                label=_("体温（℃）"), max_length=10, required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )  # fmt: skip
            self.fields[f"sick_{i}_person"] = forms.IntegerField(
                label=_("人员编号（已登记的）"), min_value=1, required=False
            )
        bootstrap(self)

    def counts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: (data.get(name) or 0) if name != "note" else data.get("note", "")
            for name in (
                "staff_expected", "staff_on_site", "staff_home", "temperatures_checked",
                "key_group_staff", "key_group_checked", "note",
            )
        }  # fmt: skip

    def sick_rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows = []
        for i in range(SICK_ROWS):
            if data.get(f"sick_{i}_name"):
                rows.append(
                    {
                        "name": data[f"sick_{i}_name"],
                        "symptoms": data.get(f"sick_{i}_symptoms", ""),
                        "since": data.get(f"sick_{i}_since"),
                        "temperature": data.get(f"sick_{i}_temperature") or None,
                        "person_id": data.get(f"sick_{i}_person"),
                    }
                )
        return rows

    def sick_fields(self) -> list[list[Any]]:
        parts = ("name", "symptoms", "since", "temperature", "person")
        return [[self[f"sick_{i}_{p}"] for p in parts] for i in range(SICK_ROWS)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.counts_names()]

    @staticmethod
    def counts_names() -> list[str]:
        return [
            "staff_expected", "staff_on_site", "staff_home", "temperatures_checked",
            "key_group_staff", "key_group_checked", "note",
        ]  # fmt: skip


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    headcount = forms.IntegerField(
        label=_("在册人数"), min_value=0, required=False, error_messages=_INT
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    contact_username = forms.CharField(
        label=_("单位联系人账号（用户名，可空）"), max_length=150, required=False
    )

    def __init__(self, *args: Any, contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not contact:  # a unit contact does not hand its unit to another account
            del self.fields["contact_username"]
        bootstrap(self)


class DormitoryForm(forms.Form):
    name = forms.CharField(label=_("宿舍名称"), max_length=60)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("房间"), max_length=30)
    area_m2 = forms.DecimalField(label=_("面积（㎡）"), max_digits=6, decimal_places=1)
    occupants = forms.IntegerField(label=_("居住人数"), min_value=0, error_messages=_INT)
    bunk_beds = forms.BooleanField(label=_("上下铺"), required=False)
    underground = forms.BooleanField(label=_("地下空间"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FindingForm(forms.Form):
    description = forms.CharField(label=_("发现的问题"), max_length=300)
    deadline = forms.DateField(label=_("整改期限"), widget=date_input())
    responsible = forms.CharField(label=_("责任人"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class InspectionForm(forms.Form):
    """The unit kind's checklist: tick what failed; each becomes a finding."""

    agency = forms.ChoiceField(label=_("检查部门"), choices=Agency.choices)
    failed = forms.MultipleChoiceField(
        label=_("不合格项"), required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("整改期限"), widget=date_input())
    responsible = forms.CharField(label=_("责任人"), max_length=50, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["failed"].choices = list(checklist(kind).items())  # type: ignore[attr-defined]
        bootstrap(self)


class LetterForm(forms.Form):
    signed_by = forms.CharField(label=_("签署人"), max_length=50)
    signed_on = forms.DateField(label=_("签署日期"), widget=date_input())
    expires_on = forms.DateField(label=_("有效期至"), widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
