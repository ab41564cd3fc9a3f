"""Checking a screening sheet's rows: what each row says on its own (cell formats, the
area code, clean_person(), the encrypted values to write: RowChecker, pure, so it may
run in worker processes) and what the database says about a chunk of them (people by
人员编号 and by document, landlords) together with duplicates within the sheet
(Matcher)."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import translation

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.core.crypto import blind_index, encrypt_many
from fangkong.core.identity import (
    mask_document,
    mask_phone,
    normalize_document,
    plain_resident_id,
    validate_document,
)
from fangkong.core.scoping import subtree_q
from fangkong.registry.cleaning import CleanPerson, clean_person
from fangkong.registry.excel import HEADER_OF, cell_text
from fangkong.registry.models import (
    DocumentType,
    Person,
    ResidenceKind,
    Residency,
    Sex,
    Whereabouts,
)

CHUNK: Final = 2000  # rows per bulk lookup and bulk write
PROGRESS_EVERY: Final = 1000
PREVIEW_ROWS: Final = 20
ERROR_LIST_MAX: Final = 200

_CHOICES: Final = {
    "document_type": (DocumentType, DocumentType.RESIDENT_ID),
    "sex": (Sex, Sex.UNKNOWN),
    "residency": (Residency, Residency.REGISTERED),
    "whereabouts": (Whereabouts, Whereabouts.IN_BEIJING),
}
_CHOICES_DEFAULT: Final = {choices: default for choices, default in _CHOICES.values()}
_FILLABLE: Final = ("sex", "birth_date", "residency", "whereabouts", "away_from")
_DOCUMENT_TYPES: Final = tuple(DocumentType.values)  # the enum's property rebuilds it per call
_MASKED_NUMBER: Final = "已遮挡：新增人员请填写完整号码"


@functools.lru_cache(maxsize=8)
def choice_map(choices: Any) -> dict[str, str]:
    """Code or Chinese label → code. The sheet is Chinese whatever the page language."""
    out = {}
    with translation.override("zh-hans"):
        for code, label in choices.choices:
            out[str(code)] = str(code)
            out[str(label)] = str(code)
    if choices is ResidenceKind:
        out |= {"租房": "tenant", "自有": "owner", "宿舍": "dormitory", "单位": "unit_housing"}
    return out


def _choice_code(choices: Any, text: str) -> str | None:
    """A cell's code as clean_person() reads it: blank → the field's default, a code or
    Chinese label → its code; None for anything else (clean_person decides)."""
    if not text:
        return str(_CHOICES_DEFAULT[choices])
    return choice_map(choices).get(text)


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


def _date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parsed = _date_text(cell_text(value), today)
    if isinstance(parsed, str):
        raise ValidationError(parsed)
    return parsed


@functools.lru_cache(maxsize=4096)
def _date_text(text: str, today: dt.date) -> dt.date | str:
    """A typed date, or why it is refused. Cached: a sheet repeats a few dates."""
    try:
        parsed = dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        return f"日期“{text}”不存在或格式不对，应为 年-月-日"
    if parsed > today:
        return f"日期 {parsed} 晚于今天"
    return parsed


class Prepared(NamedTuple):
    """One checked row, ready to write. Document and phone travel encrypted. On an
    update (person_id set) a missing document, phone or employer keeps the person's."""

    row: int
    person_id: int | None
    area_id: int
    name: str
    document_type: str
    document: tuple[bytes, str, str] | None  # cipher, index, masked
    phone: tuple[bytes, str, str] | None
    sex: str
    birth_date: dt.date | None
    residency: str
    whereabouts: str
    away_from: str
    building: str
    entrance: str
    room: str
    residence_kind: str
    since: dt.date | None
    landlord_index: str | None  # a full document number in the sheet
    keep_landlord: bool  # masked in the sheet: the current landlord stays
    employer: str


class RowCheck:
    """One row on its way through validation."""

    __slots__ = (
        "_text",
        "area_id",
        "cells",
        "clean",
        "document_index",
        "document_type",
        "existing",
        "index",
        "keep_document",
        "keep_landlord",
        "keep_phone",
        "landlord_index",
        "number",
        "person_id",
        "prepared",
        "problems",
        "residence_kind",
        "since",
    )

    def __init__(self, number: int, cells: list[Any], index: dict[str, int]) -> None:
        self.number = number
        self.cells = cells
        self.index = index  # column key → position in `cells`
        self._text: dict[str, str] | None = None
        self.problems: list[tuple[str, str]] = []  # (column key, reason)
        self.person_id: int | None = None
        self.existing: dict[str, Any] | None = None
        self.clean: CleanPerson | None = None
        self.prepared: Prepared | None = None
        self.document_index: str | None = None  # the keyed hash, computed once
        self.document_type = ""
        self.keep_document = self.keep_phone = self.keep_landlord = False
        self.area_id: int | None = None
        self.landlord_index: str | None = None
        self.residence_kind = ""
        self.since: dt.date | None = None

    @property
    def text(self) -> dict[str, str]:
        """Every cell as text, made on first use (and again after a trip between
        processes, which carries the checks but not the cells)."""
        if self._text is None:
            cells, width = self.cells, len(self.cells)
            text = {}
            for key, i in self.index.items():
                value = cells[i] if i < width else ""
                text[key] = value.strip() if type(value) is str else cell_text(value)
            self._text = text
        return self._text

    def get(self, key: str) -> str:
        text = self._text
        return (text if text is not None else self.text).get(key, "")

    _TRAVEL: Final[tuple[str, ...]] = (
        "area_id",
        "document_index",
        "document_type",
        "keep_document",
        "keep_landlord",
        "keep_phone",
        "landlord_index",
        "person_id",
        "prepared",
        "residence_kind",
        "since",
    )

    def travel(self) -> tuple[Any, ...]:
        """What a worker sends back: the checks' outcome, not the cells (the sender has
        them) nor the cleaned values (the prepared row carries what is written)."""
        outcome = [getattr(self, name) for name in self._TRAVEL]
        if self.prepared is not None:  # a plain tuple pickles at twice the speed
            outcome[self._TRAVEL.index("prepared")] = tuple(self.prepared)
        return (self.problems or None, *outcome)

    @classmethod
    def back(
        cls, number: int, cells: list[Any], index: dict[str, int], outcome: tuple[Any, ...]
    ) -> RowCheck:
        row = cls(number, cells, index)
        row.problems = outcome[0] or []
        for name, value in zip(cls._TRAVEL, outcome[1:], strict=True):
            setattr(row, name, value)
        if row.prepared is not None:
            row.prepared = Prepared._make(row.prepared)
        return row

    def raw(self, key: str) -> Any:
        """The cell as read (a date, a number), for the few checks that need it."""
        i = self.index.get(key)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def add(self, key: str, reason: str) -> None:
        self.problems.append((key, reason))

    def scrub(self, reason: str) -> str:
        """Reasons may quote what was typed; never keep a number in clear."""
        for key, masker in (
            ("document_number", mask_document),
            ("phone", mask_phone),
            ("landlord_document", mask_document),
        ):
            raw = self.get(key)
            if len(raw) >= 4 and raw in reason:
                reason = reason.replace(raw, masker(raw))
        return reason

    def reasons(self) -> list[dict[str, Any]]:
        return [
            {"row": self.number, "column": HEADER_OF.get(key, key), "reason": self.scrub(reason)}
            for key, reason in self.problems
        ]

    def reason_text(self) -> str:
        return "；".join(f"{e['column']}：{e['reason']}" for e in self.reasons())


def _needs_refill(row: RowCheck) -> bool:
    """Matched by document: would the person's own values change a blank cell's meaning?"""
    existing = row.existing or {}

    def blank(key: str) -> bool:
        return not row.get(key)

    return (
        blank("residency")
        or blank("whereabouts")
        or (blank("away_from") and existing.get("whereabouts") == Whereabouts.NOT_BACK)
        or (
            bool(row.document_type)
            and row.document_type != DocumentType.RESIDENT_ID
            and (blank("sex") or blank("birth_date"))
        )
    )


def _messages(error: ValidationError) -> Iterator[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            for e in errors:
                yield key, " ".join(e.messages)
    else:
        yield "name", " ".join(error.messages)


def one_of(model: type[models.Model], name: str, values: Iterable[Any]) -> Any:
    """A filter "field is one of these 2,000 values". On PostgreSQL one array parameter
    (= ANY(%s)): a 2,000-placeholder IN list costs the driver ~20 ms to parse, per query."""
    values = list(values)
    if connection.vendor != "postgresql":
        return models.Q(**{f"{name}__in": values})
    field = model._meta.get_field(name)
    column = getattr(field, "column", name)
    quote = connection.ops.quote_name
    # Only quoted names from the model go into the SQL; the values are one parameter.
    return RawSQL(  # noqa: S611
        f"{quote(model._meta.db_table)}.{quote(column)} = ANY(%s)",
        (values,),
        output_field=models.BooleanField(),
    )


def by_document(indexes: Iterable[str]) -> tuple[Any, Any]:
    """People with these keyed hashes. Naming the types as well lets the database use
    its (document_type, document_index) index instead of scanning it whole."""
    return (
        models.Q(document_type__in=DocumentType.values),
        one_of(Person, "document_index", indexes),
    )


def by_typed_document(documents: Iterable[tuple[str, str]]) -> models.Q:
    """People with these (document type, keyed hash) pairs, one condition per type: the
    index is probed once per hash, not once per hash and type as by_document() does (5
    times the work for the 2,000 hashes of a chunk)."""
    by_type: dict[str, list[str]] = {}
    for kind, index in documents:
        by_type.setdefault(kind, []).append(index)
    return functools.reduce(
        operator.or_,
        (
            models.Q(one_of(Person, "document_index", indexes), document_type=kind)
            for kind, indexes in by_type.items()
        ),
    )


def area_map(job_area: Area) -> dict[str, tuple[int | None, str]]:
    """Every code under the job's area → (id, "") or (None, why it cannot take people)."""
    out: dict[str, tuple[int | None, str]] = {}
    for area in Area.objects.filter(subtree_q("path", job_area.path)):
        if area.kind not in LIVING_KINDS:
            out[area.code] = (
                None,
                f"“{area.name}”是{area.get_kind_display()}，人员须登记到社区、村或片区",
            )
        elif area.retired_on is not None:
            out[area.code] = (None, f"“{area.name}”已撤销")
        else:
            out[area.code] = (area.pk, "")
    return out


@dataclass
class RowChecker:
    """What can be said about a row without the database: cell formats, the area code,
    clean_person(), and the encrypted values to write. Picklable, so that a big sheet's
    rows can be checked in several processes at once."""

    area_name: str
    today: dt.date
    areas: dict[str, tuple[int | None, str]]
    index: dict[str, int]

    def rows(
        self, lines: list[tuple[int, list[Any]]], existing: dict[int, dict[str, Any] | str]
    ) -> list[RowCheck]:
        """A chunk of sheet lines; `existing` holds the people named by their 人员编号
        (or why the number cannot be used)."""
        out = []
        for number, cells in lines:
            row = self.check(number, cells)
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

    def check(self, number: int, cells: list[Any]) -> RowCheck:
        row = RowCheck(number, cells, self.index)
        t = row.text
        raw_id = t.get("id", "")
        if raw_id:
            if raw_id.isdigit() and int(raw_id) > 0:
                row.person_id = int(raw_id)
            else:
                row.add("id", f"人员编号“{raw_id}”应为正整数；新增人员请留空")
        for key in ("document_number", "landlord_document"):
            value = row.raw(key)
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
        for key in ("document_type", *_FILLABLE):
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
            for key in _FILLABLE:
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
        row.document_index = clean.document_index
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
        name = t.get("name", "")
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
        if isinstance(birth, dt.datetime):
            birth = birth.date()
        elif not isinstance(birth, dt.date):
            text = t.get("birth_date", "")
            birth = _date_text(text, self.today) if text else None
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


@dataclass
class Matcher:
    """The database's part of checking, a chunk at a time: people by 人员编号, by
    document, landlords; and duplicates within the sheet."""

    checker: RowChecker
    scope_path: str
    # In-file duplicates: the first 16 hex digits of a document's keyed hash → its row
    # (negative when that row was refused); a small int each, 1,000,000 rows fit easily.
    seen_documents: dict[int, int] = field(default_factory=dict)
    seen_people: dict[int, int] = field(default_factory=dict)

    def existing(self, lines: list[tuple[int, list[Any]]]) -> dict[int, dict[str, Any] | str]:
        """The people named in the chunk's 人员编号 column, within scope."""
        position = self.checker.index.get("id")
        if position is None:
            return {}
        ids = set()
        for _, cells in lines:
            value = cells[position] if position < len(cells) else ""
            text = cell_text(value)
            if text.isdigit():
                ids.add(int(text))
        out: dict[int, dict[str, Any] | str] = {}
        people = self._people((one_of(Person, "id", ids),), visible=True) if ids else {}
        for pk, person in people.items():
            merged = person["merged_into_id"]
            out[pk] = f"人员编号 {pk} 已合并到 {merged}，请改用后者" if merged else person
        return out

    def finish(self, rows: list[RowCheck]) -> None:
        """After the per-row checks: match by document, landlords, duplicates."""
        documents = {
            (r.document_type, r.document_index) for r in rows if r.document_index and not r.problems
        }
        people = self._people((by_typed_document(documents),), visible=False) if documents else {}
        matches = {p["document_index"]: p for p in people.values()}
        for row in rows:
            found = matches.get(row.document_index) if row.document_index else None
            if found is None or row.problems:
                continue
            if row.person_id is not None:
                if found["id"] != row.person_id:
                    row.add("document_number", f"该证件号码已登记为人员编号 {found['id']}")
            elif not found["path"].startswith(self.scope_path):
                row.add("document_number", "该证件号码已在您辖区以外登记，请联系其所在社区")
            elif found["merged_into_id"]:
                row.add("document_number", f"该证件号码属于已合并的人员 {found['id']}")
            else:  # matched by document: an update, and blank cells keep its values
                row.person_id, row.existing = found["id"], found
                if _needs_refill(row):
                    row.clean = None
                    self.checker.clean(row)
                    row.prepared = (
                        self.checker.prepared(row) if row.clean and not row.problems else None
                    )
                elif row.prepared is not None:
                    row.prepared = row.prepared._replace(person_id=found["id"])
        self._check_landlords(rows)
        self._check_duplicates(rows)

    def _people(self, conditions: tuple[Any, ...], *, visible: bool) -> dict[int, dict[str, Any]]:
        # The scope is applied here, not in SQL: with the area's path in the query the
        # planner, whose statistics predate the rows this import is writing, may walk
        # every person of the area for each chunk instead of probing the few asked for.
        rows = (
            Person.objects.filter(*conditions)
            .order_by()
            .values(
                "id",
                "document_type",
                "document_index",
                "merged_into_id",
                *_FILLABLE,
                path=models.F("area__path"),
            )
        )
        scope = self.scope_path
        return {r["id"]: dict(r) for r in rows if not visible or r["path"].startswith(scope)}

    def _check_landlords(self, rows: list[RowCheck]) -> None:
        wanted = {r.landlord_index for r in rows if r.landlord_index and r.person_id}
        if not wanted:
            return
        found = {
            p["document_index"]: p["id"]
            for p in self._people(by_document(wanted), visible=True).values()
        }
        for row in rows:
            if row.landlord_index and found.get(row.landlord_index) == row.person_id:
                row.add("landlord_document", "房东不能是本人")

    def _check_duplicates(self, rows: list[RowCheck]) -> None:
        for row in rows:
            key = int(row.document_index[:16], 16) if row.document_index else None
            if key is not None:
                first = self.seen_documents.get(key)
                if first is not None:
                    row.add("document_number", f"与第 {abs(first)} 行证件号码重复")
            if row.person_id:
                first = self.seen_people.get(row.person_id)
                if first is not None:
                    row.add("id", f"与第 {first} 行是同一人")
                else:
                    self.seen_people[row.person_id] = row.number
            if key is not None and key not in self.seen_documents:
                self.seen_documents[key] = -row.number if row.problems else row.number

    def landlord_in_file(self, index: str) -> bool:
        first = self.seen_documents.get(int(index[:16], 16))
        return first is not None and first > 0

    def landlord_in_db(self, indexes: set[str]) -> set[str]:
        return {
            p["document_index"] for p in self._people(by_document(indexes), visible=True).values()
        }
