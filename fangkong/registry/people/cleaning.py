"""Turning what a person typed (a form, a JSON body, one spreadsheet row) into clean field
values, with every problem named by field. Pure: no database access, so an import can
clean 100,000 rows before it touches a table."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language

from fangkong.core.crypto import blind_index
from fangkong.core.dates import typed_date
from fangkong.core.identity import (
    mask_document,
    mask_phone,
    normalize_phone,
    validate_document,
    validate_resident_id,
)
from fangkong.registry.models import DocumentType, ResidenceKind, Residency, Sex, Whereabouts

# The keys clean_person() reads: what a form, a JSON body or a sheet row may set.
PERSON_FIELDS = (
    "name",
    "document_type",
    "document_number",
    "phone",
    "sex",
    "birth_date",
    "residency",
    "whereabouts",
    "away_from",
)


@dataclass
class CleanPerson:
    name: str
    document_type: str
    document_number: str  # normalised; "" when none was given
    phone: str  # E.164; "" when none
    sex: str
    birth_date: dt.date | None
    residency: str
    whereabouts: str
    away_from: str

    @property
    def document_index(self) -> str | None:
        if not self.document_number:
            return None
        return blind_index(f"doc:{self.document_type}", self.document_number)

    @property
    def phone_index(self) -> str | None:
        return blind_index("phone", self.phone) if self.phone else None

    @property
    def document_masked(self) -> str:
        return mask_document(self.document_number) if self.document_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


@dataclass
class Problems:
    """Field → reasons; turns into one ValidationError naming every field at once."""

    errors: dict[str, list[ValidationError]] = field(default_factory=dict)

    def add(self, name: str, error: ValidationError | str, code: str = "invalid") -> None:
        if isinstance(error, str):
            error = ValidationError(error, code=code)
        self.errors.setdefault(name, []).append(error)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# What offices type in the coded columns, beside the labels themselves: one table, read by
# forms, the API and the import alike, and shown on the template's 填写说明 sheet.
WORDING: dict[type, dict[str, tuple[str, ...]]] = {
    DocumentType: {
        DocumentType.RESIDENT_ID: ("身份证", "居民身份证", "二代身份证", "身份证号"),
        DocumentType.PASSPORT: ("护照",),
        DocumentType.HK_MACAO_PERMIT: ("港澳通行证", "港澳居民来往内地通行证", "回乡证"),
        DocumentType.TAIWAN_PERMIT: ("台湾通行证", "台湾居民来往大陆通行证", "台胞证"),
        DocumentType.OTHER: ("其他", "其它", "其他证件"),
    },
    Sex: {Sex.MALE: ("男", "男性", "M"), Sex.FEMALE: ("女", "女性", "F"), Sex.UNKNOWN: ("未知",)},
    Residency: {
        Residency.REGISTERED: ("常住人口", "常住", "户籍", "户籍人口", "京籍"),
        Residency.MIGRANT: ("流动人口", "流动", "外来人口", "非京籍"),
    },
    Whereabouts: {
        Whereabouts.IN_BEIJING: ("在京", "是", "在", "已返京", "已回京", "Y", "√"),
        Whereabouts.NOT_BACK: ("未返京", "否", "不在京", "未回京", "未返回", "N", "×"),
    },
    ResidenceKind: {
        ResidenceKind.OWNER: ("自有住房", "自有", "自住", "自有房"),
        ResidenceKind.TENANT: ("租住", "租房", "租户", "承租"),
        ResidenceKind.DORMITORY: ("集体宿舍", "宿舍"),
        ResidenceKind.UNIT_HOUSING: ("单位住房", "单位"),
    },
}


_SPACES = re.compile(r"\s+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
# Anything normalize_name() would change once outer spaces are gone: a full-width form or
# whitespace (re's \s is str.isspace(), character for character).
_UNTIDY = re.compile(r"[\s\uff01-\uff5e]")


def normalize_name(raw: str) -> str:
    """A name as typed, tidied: outer spaces (full-width and no-break ones too) trimmed,
    inner runs made one space, and none left between two Chinese characters — offices pad
    two-character names to line up with three ("何　芳" is 何芳). Full-width Latin letters
    become plain ones. Nearly every name is already clean and costs one scan."""
    text = raw.strip()
    if not _UNTIDY.search(text):  # nearly every name: one scan in C
        return text
    if _FULL_WIDTH.search(text):
        text = unicodedata.normalize("NFKC", text)
    if any(ch.isspace() for ch in text):
        text = _BETWEEN_CJK.sub("", _SPACES.sub(" ", text))
    return text


def _wording_key(text: str) -> str:
    """ "  Ｙ " → "y", "在 京" → "在京": full width, spaces and case do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@lru_cache(maxsize=32)
def wording_map(choices: type) -> dict[str, str]:
    """Normalised word, code or Chinese label → code."""
    out: dict[str, str] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for code, label in choices.choices:  # type: ignore[attr-defined]
            out[_wording_key(str(code))] = str(code)
            out[_wording_key(str(label))] = str(code)
    for code, words in WORDING.get(choices, {}).items():
        for word in words:
            out[_wording_key(word)] = str(code)
    return out


def wording_code(choices: type, text: str) -> str | None:
    """The code a typed word stands for, or None."""
    return wording_map(choices).get(_wording_key(text))


@lru_cache(maxsize=32)
def _choice_pairs(choices: type, language: str | None) -> tuple[tuple[str, str], ...]:
    """(code, label) as plain strings, once per language: a label is a lazy translation
    that costs a gettext call each time it is read (an import reads 100,000 rows)."""
    return tuple((str(code), str(label)) for code, label in choices.choices)  # type: ignore[attr-defined]


def _choice(value: Any, choices: type, name: str, problems: Problems, default: str) -> str:
    """Accept the code ("migrant") or the Chinese label ("流动人口" / "流动")."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    code = wording_code(choices, text)
    if code is not None:
        return code
    pairs = _choice_pairs(choices, get_language())
    # Sheets and forms are filled in Chinese whatever the page's language: both are read.
    with translation.override(settings.LANGUAGE_CODE):
        chinese = _choice_pairs(choices, get_language())
    for code, label in (*pairs, *chinese):
        if text in (code, label) or (len(text) >= 2 and label.startswith(text)):
            return code
    labels = "、".join(label for _, label in pairs)
    problems.add(name, f"“{text}”不是可选值（{labels}）", "invalid_choice")
    return default


def _date(value: Any, name: str, problems: Problems, today: dt.date) -> dt.date | None:
    """A date cell, a serial number or typed text, by one rule (core.dates.typed_date)."""
    if value in (None, ""):
        return None
    day = typed_date(value, today=today)
    if isinstance(day, str):
        problems.add(name, day, "future_date" if "晚于今天" in day else "invalid_date")
        return None
    return day


def clean_person(
    data: dict[str, Any],
    *,
    today: dt.date,
    require_document: bool = True,
    require_phone: bool = False,
) -> CleanPerson:
    """Validate one person's fields; raises a ValidationError naming each bad field."""
    problems = Problems()
    name = normalize_name(str(data.get("name") or ""))
    if not name:
        problems.add("name", "姓名不能为空", "required")
    elif len(name) > 50:
        problems.add("name", "姓名不能超过 50 个字", "too_long")

    document_type = _choice(
        data.get("document_type"), DocumentType, "document_type", problems, DocumentType.RESIDENT_ID
    )
    raw_number = str(data.get("document_number") or "").strip()
    number = ""
    sex = _choice(data.get("sex"), Sex, "sex", problems, Sex.UNKNOWN)
    birth_date = _date(data.get("birth_date"), "birth_date", problems, today)
    if raw_number:
        try:
            if document_type == DocumentType.RESIDENT_ID:
                # Validated once and decoded in the same pass (sex, birth date).
                rid = validate_resident_id(raw_number, today=today)
                number = rid.number
            else:
                number = validate_document(document_type, raw_number, today=today)
        except ValidationError as exc:
            problems.add("document_number", exc)
        else:
            if document_type == DocumentType.RESIDENT_ID:
                if birth_date and birth_date != rid.birth_date:
                    problems.add(
                        "birth_date",
                        f"出生日期与身份证号不符（证件上为 {rid.birth_date}）",
                        "mismatch",
                    )
                if sex != Sex.UNKNOWN and sex != rid.sex:
                    problems.add("sex", "性别与身份证号不符", "mismatch")
                birth_date, sex = rid.birth_date, rid.sex
    elif require_document:
        problems.add("document_number", "证件号码不能为空", "required")

    raw_phone = str(data.get("phone") or "").strip()
    phone = ""
    if raw_phone:
        try:
            phone = normalize_phone(raw_phone)
        except ValidationError as exc:
            problems.add("phone", exc)
    elif require_phone:
        problems.add("phone", "电话不能为空", "required")

    residency = _choice(
        data.get("residency"), Residency, "residency", problems, Residency.REGISTERED
    )
    whereabouts = _choice(
        data.get("whereabouts"), Whereabouts, "whereabouts", problems, Whereabouts.IN_BEIJING
    )
    away_from = str(data.get("away_from") or "").strip()[:100]
    if whereabouts == Whereabouts.NOT_BACK and not away_from:
        problems.add("away_from", "未返京人员请填写目前所在地", "required")
    if whereabouts == Whereabouts.IN_BEIJING:
        away_from = ""
    problems.raise_if_any()
    return CleanPerson(
        name=name,
        document_type=document_type,
        document_number=number,
        phone=phone,
        sex=sex,
        birth_date=birth_date,
        residency=residency,
        whereabouts=whereabouts,
        away_from=away_from,
    )
