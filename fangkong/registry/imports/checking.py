"""Checking a screening sheet's rows, what each row says on its own: cell formats, the
area code, clean_person(), the encrypted values to write (RowChecker). Pure — no database
— so it may run in worker processes; what the database says about the rows is
matching.py's part."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import phonenumbers
from django.core.exceptions import ValidationError

from fangkong.core.crypto import blind_index, encrypt_many
from fangkong.core.dates import typed_date
from fangkong.core.identity import (
    mask_document,
    normalize_document,
    plain_resident_id,
    validate_document,
)
from fangkong.registry.imports.rows import Prepared, RowCheck, texts
from fangkong.registry.models import (
    DocumentType,
    ResidenceKind,
    Residency,
    Sex,
    Whereabouts,
)
from fangkong.registry.people.cleaning import (
    CleanPerson,
    clean_person,
    normalize_name,
    wording_code,
)

CHUNK: Final = 2000  # rows per bulk lookup and bulk write
PROGRESS_EVERY: Final = 1000
PREVIEW_ROWS: Final = 20
ERROR_LIST_MAX: Final = 200
RESIDENT_IDS_KEPT: Final = 20_000  # RowChecker._resident_ids

_CHOICES: Final = {
    "document_type": (DocumentType, DocumentType.RESIDENT_ID),
    "sex": (Sex, Sex.UNKNOWN),
    "residency": (Residency, Residency.REGISTERED),
    "whereabouts": (Whereabouts, Whereabouts.IN_BEIJING),
}
_CHOICES_DEFAULT: Final = {choices: default for choices, default in _CHOICES.values()}
FILLABLE: Final = ("sex", "birth_date", "residency", "whereabouts", "away_from")
_DOCUMENT_TYPES: Final = tuple(DocumentType.values)  # the enum's property rebuilds it per call
_MASKED_NUMBER: Final = "已遮挡：新增人员请填写完整号码"


class _Words(dict[str, str]):
    """Text → code for one coded column: the exact text first (a dict hit for nearly every
    cell), then the table of ordinary wording (cleaning.WORDING), remembered per text."""

    def __init__(self, choices: Any) -> None:
        super().__init__()
        self.choices = choices

    def __missing__(self, text: str) -> str | None:
        code = wording_code(self.choices, text)
        if code is not None:
            self[text] = code
        return code

    def get(self, text: str, default: Any = None) -> Any:
        code = self[text]
        return default if code is None else code


@functools.lru_cache(maxsize=8)
def choice_map(choices: Any) -> _Words:
    """Code, Chinese label or an ordinary word (是 / 否, 身份证 …) → code. The sheet is
    Chinese whatever the page language."""
    return _Words(choices)


def _choice_code(choices: Any, text: str) -> str | None:
    """A cell's code as clean_person() reads it: blank → the field's default, a code or
    Chinese label → its code; None for anything else (clean_person decides)."""
    if not text:
        return _DEFAULT_CODE[choices]
    words = _WORDS.get(choices)
    if words is None:
        words = _WORDS[choices] = choice_map(choices)
    code: str | None = dict.get(words, text)  # a plain lookup first: a hit for nearly all
    return code if code is not None else words[text]


_DEFAULT_CODE: Final = {choices: str(default) for choices, default in _CHOICES.values()}
_WORDS: dict[Any, _Words] = {}


def _fast_mobile(text: str) -> str | None:
    """E.164 for a plain 11-digit mainland mobile that phonenumbers holds valid, without
    its parse and format steps (the bulk of a row's cost). Anything else → None and the
    full normalize_phone() in clean_person decides, with its message."""
    if (
        len(text) != 11
        or not text.isascii()
        or not text.isdigit()
        or text[0] != "1"
        or text[1] not in "3456789"  # mobile networks are 13x-19x
        or text.startswith("179")  # a carrier-selection prefix: the full parse strips it
    ):
        return None
    return "+86" + text if _mobile_block_valid(text[:7]) else None


@functools.lru_cache(maxsize=65536)
def _mobile_block_valid(prefix: str) -> bool:
    """Mainland mobile numbers are allocated in blocks of 10,000 (a 3-digit network code
    and a 4-digit HLR code), so whether phonenumbers holds a number valid is a property
    of its first 7 digits: ask it once per block. The answer comes from the library's
    current metadata, like every other phone check."""
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(prefix + "0000"))
    return bool(phonenumbers.is_valid_number(number))


def _masked_document(number: str) -> str:
    # A normalised 18-character number masks as 110106********123X (identity.mask_document).
    return number[:6] + "********" + number[14:] if len(number) == 18 else mask_document(number)


def _masked_phone(clean: CleanPerson) -> str:
    e164 = clean.phone
    if e164.startswith("+861") and len(e164) == 14:  # 138****5678, as identity.mask_phone
        return e164[3:6] + "****" + e164[-4:]
    return clean.phone_masked


def _day(value: Any, today: dt.date) -> dt.date | str:
    """A cell as a day (a date cell, a serial number, typed text), or why not."""
    return _date_text(value, today) if type(value) is str else typed_date(value, today=today)


def _date(value: Any, today: dt.date) -> dt.date:
    parsed = _day(value, today)
    if isinstance(parsed, str):
        raise ValidationError(parsed)
    return parsed


@functools.lru_cache(maxsize=4096)
def _date_text(text: str, today: dt.date) -> dt.date | str:
    """A typed date, or why it is refused. Cached: a sheet repeats a few dates."""
    return typed_date(text, today=today)


def _messages(error: ValidationError) -> Iterator[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            for e in errors:
                yield key, " ".join(e.messages)
    else:
        yield "name", " ".join(error.messages)


@dataclass
class RowChecker:
    """What can be said about a row without the database: cell formats, the area code,
    clean_person(), and the encrypted values to write. Picklable, so that a big sheet's
    rows can be checked in several processes at once."""

    area_name: str
    today: dt.date
    areas: dict[str, tuple[int | None, str]]
    index: dict[str, int]
    # Resident IDs this checker accepted → their keyed hash: a landlord is nearly always
    # a person of the rows just above, and his number is then neither checked nor
    # hashed again (bounded; cleared when full).
    _resident_ids: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # (column key, position) of the number columns that a numeric cell would spoil
    _numbers: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._numbers = tuple(
            (key, self.index[key])
            for key in ("document_number", "landlord_document")
            if key in self.index
        )

    def rows(
        self, lines: list[tuple[int, list[Any]]], existing: dict[int, dict[str, Any] | str]
    ) -> list[RowCheck]:
        """A chunk of sheet lines; `existing` holds the people named by their 人员编号
        (or why the number cannot be used)."""
        out = []
        for (number, cells), text in zip(lines, texts(self.index, lines), strict=True):
            row = self.check(number, cells, text)
            if row.person_id is not None:
                found = existing.get(
                    row.person_id, f"人员编号 {row.person_id} 不存在或不在您的管辖范围内"
                )
                if isinstance(found, str):
                    row.add("id", found)
                else:
                    row.existing = found
            self.clean(row)
            out.append(row)
        self.prepare([row for row in out if row.clean is not None and not row.problems])
        return out

    def check(self, number: int, cells: list[Any], text: dict[str, str] | None = None) -> RowCheck:
        row = RowCheck(number, cells, self.index, text)
        t = row.text
        raw_id = t.get("id", "")
        if raw_id:
            if raw_id.isdigit() and int(raw_id) > 0:
                row.person_id = int(raw_id)
            else:
                row.add("id", f"人员编号“{raw_id}”应为正整数；新增人员请留空")
        for key, position in self._numbers:
            value = cells[position] if position < len(cells) else None
            if isinstance(value, float) and value >= 1e11:
                row.add(key, "号码是数字格式，Excel 已丢失末几位：请把该列设为文本后重新填写")
        code = t.get("area", "")
        if not code:
            row.add("area", "区域代码不能为空")
        else:
            row.area_id, reason = self.areas.get(
                code, (None, f"区域代码“{code}”不存在或不在本次导入的区域（{self.area_name}）内")
            )
            if reason:
                row.add("area", reason)
        if not t.get("building", "") and row.person_id is None:  # an update may keep the home
            row.add("building", "楼栋/院不能为空")
        for key, limit in (("building", 40), ("entrance", 20), ("room", 20), ("employer", 100)):
            if len(t.get(key, "")) > limit:
                row.add(key, f"不能超过 {limit} 个字")
        self._check_residence(row)
        return row

    def _check_residence(self, row: RowCheck) -> None:
        t = row.text
        kind_text = t.get("residence_kind", "")
        landlord = t.get("landlord_document", "")
        if kind_text:
            kind = choice_map(ResidenceKind).get(kind_text, "")
            if not kind:
                labels = "、".join(str(label) for _, label in ResidenceKind.choices)
                row.add("residence_kind", f"“{kind_text}”不是可选值（{labels}）")
        else:
            kind = ResidenceKind.TENANT if landlord else ResidenceKind.OWNER
        row.residence_kind = kind
        if landlord:
            if kind and kind != ResidenceKind.TENANT:
                row.add("landlord_document", "只有租住才填房东")
            elif "*" in landlord:
                if row.person_id is None:
                    row.add("landlord_document", "房东证件号码" + _MASKED_NUMBER)
                row.keep_landlord = True
            else:
                row.landlord_index = self._landlord_index(row, landlord)
        since = row.raw("since")
        if since not in (None, ""):
            try:
                row.since = _date(since, self.today)
            except ValidationError as exc:
                row.add("since", " ".join(exc.messages))

    def _landlord_index(self, row: RowCheck, raw: str) -> str | None:
        """A landlord's document, of whichever type its number fits (a resident ID first)."""
        known = self._resident_ids.get(raw)
        if known is not None:  # a person of this sheet: checked and hashed already
            return known
        rid = plain_resident_id(raw, today=self.today)  # the common case, without exceptions
        if rid is not None:
            return blind_index("doc:resident_id", rid.number)
        number = normalize_document(raw)
        for kind in _DOCUMENT_TYPES:
            try:
                valid = validate_document(kind, number, today=self.today)
            except ValidationError:
                continue
            return blind_index(f"doc:{kind}", valid)
        row.add("landlord_document", "房东证件号码无效")
        return None

    def clean(self, row: RowCheck) -> None:
        """clean_person() on the row, with the person's own values filling blank cells on
        an update, and masked numbers meaning "unchanged"."""
        if row.existing is None:
            fast = self._clean_common(row)
            if fast is not None:
                self._cleaned(row, fast)
                return
        t = row.text
        data: dict[str, Any] = {"name": t.get("name", "")}
        for key in ("document_type", *FILLABLE):
            value = row.raw(key) if key == "birth_date" else None
            data[key] = value if isinstance(value, dt.date) else t.get(key, "")
        document = t.get("document_number", "")
        phone = t.get("phone", "")
        existing = row.existing
        if existing is not None:
            if not document or "*" in document:
                row.keep_document = True
                if data["document_type"] and existing["document_index"]:
                    code = choice_map(DocumentType).get(data["document_type"])
                    if code and code != existing["document_type"]:
                        row.add("document_type", "证件号码未改时不能改证件类型")
                data["document_type"] = existing["document_type"]
                document = ""
            elif not data["document_type"]:
                data["document_type"] = existing["document_type"]
            for key in FILLABLE:
                if data[key] in ("", None) and (key not in ("sex", "birth_date") or not document):
                    data[key] = existing[key]
            if not phone or "*" in phone:
                row.keep_phone = True
                phone = ""
        else:
            if "*" in document:
                row.add("document_number", "证件号码" + _MASKED_NUMBER)
                document = ""
            if "*" in phone:
                row.add("phone", "手机号" + _MASKED_NUMBER)
                phone = ""
        residency = None
        for key, (choices, default) in _CHOICES.items():
            text = data[key]
            if isinstance(text, str) and text:
                code = choice_map(choices).get(text)
                if code is None:
                    continue  # clean_person says what is wrong with it
                # Speed only: clean_person looks labels up through gettext. A known code
                # goes in as None (its default) or, for 人员类别, which no other field
                # depends on, is set on the result instead.
                if key == "residency":
                    residency, code = code, default
                data[key] = None if code == default else code
        data["document_number"] = document
        e164 = _fast_mobile(phone) if phone else None
        data["phone"] = None if e164 else phone
        try:
            clean = clean_person(data, today=self.today, require_document=False)
        except ValidationError as exc:
            for key, reason in _messages(exc):
                row.add(key, reason)
            return
        if e164:
            clean.phone = e164
        if residency:
            clean.residency = residency
        self._cleaned(row, clean)

    def _cleaned(self, row: RowCheck, clean: CleanPerson) -> None:
        row.document_index = index = clean.document_index
        if index and clean.document_type == DocumentType.RESIDENT_ID:
            known = self._resident_ids
            if len(known) >= RESIDENT_IDS_KEPT:
                known.clear()
            known[clean.document_number] = index
        if row.landlord_index and row.landlord_index == row.document_index:
            row.add("landlord_document", "房东不能是本人")
        row.clean = clean
        row.document_type = clean.document_type

    def _clean_common(self, row: RowCheck) -> CleanPerson | None:
        """What clean_person() makes of the common row — no person matched yet, a
        resident ID or none, a plain mobile, labels as the template offers them — without
        its general machinery (lazy labels, an exception per check). None for any other
        row and for every row it would refuse: the full path then decides, with its
        messages. Each test below mirrors one of clean_person's."""
        t = row.text
        name = normalize_name(t.get("name", ""))
        if not name or len(name) > 50:
            return None
        if _choice_code(DocumentType, t.get("document_type", "")) != DocumentType.RESIDENT_ID:
            return None
        sex = _choice_code(Sex, t.get("sex", ""))
        residency = _choice_code(Residency, t.get("residency", ""))
        whereabouts = _choice_code(Whereabouts, t.get("whereabouts", ""))
        if sex is None or residency is None or whereabouts is None:
            return None
        birth = row.raw("birth_date")
        if birth in (None, ""):
            birth = None
        else:  # a date cell meets the same rule as typed text
            birth = _day(birth, self.today)
            if isinstance(birth, str):
                return None
        number = t.get("document_number", "")
        if number:
            rid = plain_resident_id(number, today=self.today)
            if rid is None or (birth is not None and birth != rid.birth_date):
                return None
            if sex != Sex.UNKNOWN and sex != rid.sex:
                return None
            birth, sex = rid.birth_date, rid.sex
        phone = t.get("phone", "")
        if phone:
            phone = _fast_mobile(phone) or ""
            if not phone:
                return None
        away_from = t.get("away_from", "")[:100]
        if whereabouts == Whereabouts.IN_BEIJING:
            away_from = ""
        elif not away_from:  # 未返京 needs where they are
            return None
        return CleanPerson(
            name=name,
            document_type=DocumentType.RESIDENT_ID,
            document_number=number,
            phone=phone,
            sex=sex,
            birth_date=birth,
            residency=residency,
            whereabouts=whereabouts,
            away_from=away_from,
        )

    def prepare(self, rows: list[RowCheck]) -> None:
        """Each cleaned row's Prepared, its numbers encrypted in one batch."""
        plains = []
        for row in rows:
            clean = row.clean
            assert clean is not None
            if clean.document_number and not row.keep_document:
                plains.append(clean.document_number)
            if clean.phone and not row.keep_phone:
                plains.append(clean.phone)
        ciphers = iter(encrypt_many(plains))
        for row in rows:
            row.prepared = self._prepared(row, ciphers)

    def prepared(self, row: RowCheck) -> Prepared:
        self.prepare([row])
        assert row.prepared is not None
        return row.prepared

    def _prepared(self, row: RowCheck, ciphers: Iterator[bytes]) -> Prepared:
        clean = row.clean
        assert clean is not None and row.area_id is not None
        document = None
        if clean.document_number and not row.keep_document:
            document = (
                next(ciphers),
                row.document_index or "",
                _masked_document(clean.document_number),
            )
        phone = None
        if clean.phone and not row.keep_phone:
            phone = (next(ciphers), clean.phone_index or "", _masked_phone(clean))
        return Prepared(
            row.number,
            row.person_id,
            row.area_id,
            clean.name,
            clean.document_type,
            document,
            phone,
            clean.sex,
            clean.birth_date,
            clean.residency,
            clean.whereabouts,
            clean.away_from,
            row.get("building"),
            row.get("entrance"),
            row.get("room"),
            row.residence_kind,
            row.since,
            row.landlord_index,
            row.keep_landlord,
            row.get("employer"),
        )
