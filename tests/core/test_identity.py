"""Identity documents and phone numbers: pure functions, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from fangkong.core.identity import (
    ResidentId,
    mask_document,
    mask_phone,
    normalize_document,
    normalize_phone,
    resident_id_check_digit,
    validate_document,
    validate_resident_id,
)

TODAY = dt.date(2026, 1, 1)
REGIONS = ["110106", "110105", "420106", "310101", "440305"]


def make_id(region: str, birth: dt.date, sequence: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


def code_of(call: Callable[[], object]) -> str:
    """The code of the ValidationError raised by a zero-argument callable."""
    with pytest.raises(ValidationError) as excinfo:
        call()
    code = excinfo.value.code
    assert isinstance(code, str)
    return code


def rid_code(raw: str) -> str:
    return code_of(lambda: validate_resident_id(raw, today=TODAY))


valid_ids = st.builds(
    make_id,
    st.sampled_from(REGIONS),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


# --- resident ID: properties -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    region=st.sampled_from(REGIONS),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_it_accepts_every_well_formed_id_and_decodes_it(
    region: str, birth: dt.date, sequence: int
) -> None:
    number = make_id(region, birth, sequence)
    rid = validate_resident_id(number, today=TODAY)
    assert rid == ResidentId(
        number=number,
        birth_date=birth,
        sex="male" if sequence % 2 else "female",
        region_code=region,
    )
    assert validate_document("resident_id", number, today=TODAY) == number


@settings(max_examples=300, deadline=None)
@given(
    number=valid_ids,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from("0123456789X"),
)
def test_it_rejects_single_character_substitutions_unless_self_consistent(
    number: str, position: int, replacement: str
) -> None:
    mutated = number[:position] + replacement + number[position + 1 :]
    if mutated == number:
        return
    try:
        rid = validate_resident_id(mutated, today=TODAY)
    except ValidationError as error:
        assert error.code in {"characters", "region", "birth_date", "check_digit"}
        accepted = False
    else:
        assert resident_id_check_digit(mutated[:17]) == mutated[17]
        assert rid.birth_date == dt.date(
            int(mutated[6:10]), int(mutated[10:12]), int(mutated[12:14])
        )
        accepted = True
    # MOD 11-2 catches every single substitution (11 is prime, no weight is 0 mod 11).
    assert not accepted


@settings(max_examples=100, deadline=None)
@given(
    birth=st.dates(min_value=TODAY + dt.timedelta(days=1), max_value=dt.date(2999, 12, 31)),
    region=st.sampled_from(REGIONS),
)
def test_it_rejects_birth_dates_after_today(birth: dt.date, region: str) -> None:
    assert rid_code(make_id(region, birth, 123)) == "birth_date"


@pytest.mark.parametrize("yyyymmdd", ["20310230", "20230229", "19991301", "19990000", "18991231"])
def test_it_rejects_impossible_or_out_of_range_birth_dates(yyyymmdd: str) -> None:
    first17 = f"110106{yyyymmdd}123"
    number = first17 + resident_id_check_digit(first17)
    assert rid_code(number) == "birth_date"


def test_it_explains_birth_date_errors_in_chinese() -> None:
    first17 = "11010620310230123"
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(first17 + resident_id_check_digit(first17), today=TODAY)
    assert excinfo.value.messages == ["身份证号中的出生日期 2031-02-30 不存在"]

    tomorrow = make_id("110106", TODAY + dt.timedelta(days=1), 123)
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(tomorrow, today=TODAY)
    assert excinfo.value.messages == ["身份证号中的出生日期 2026-01-02 晚于今天"]


def test_it_accepts_a_birth_date_of_today_and_leap_days() -> None:
    assert validate_resident_id(make_id("110106", TODAY, 1), today=TODAY).birth_date == TODAY
    leap = make_id("110106", dt.date(2000, 2, 29), 1)
    assert validate_resident_id(leap, today=TODAY).birth_date == dt.date(2000, 2, 29)


def test_it_defaults_today_to_the_local_date() -> None:
    assert validate_resident_id("11010519491231002X").birth_date == dt.date(1949, 12, 31)


# --- resident ID: examples ---------------------------------------------------------------


def test_it_computes_the_standards_example_check_digit() -> None:
    # GB 11643-1999's own example: 北京市朝阳区, 1949-12-31, female, check digit X.
    assert resident_id_check_digit("11010519491231002") == "X"
    rid = validate_resident_id("11010519491231002X", today=TODAY)
    assert (rid.region_code, rid.birth_date, rid.sex) == ("110105", dt.date(1949, 12, 31), "female")


def test_it_normalises_full_width_spaces_and_lower_case_x() -> None:
    assert normalize_document("１１０１０５　1949 1231-002x") == "11010519491231002X"
    for raw in [
        "１１０１０５１９４９１２３１００２Ｘ",
        " 110105 19491231 002x ",
        "110105-19491231-002X",
    ]:
        assert validate_resident_id(raw, today=TODAY).number == "11010519491231002X"


def test_it_names_each_kind_of_error() -> None:
    good = make_id("110106", dt.date(1990, 3, 7), 123)
    assert rid_code(good[:17]) == "length"
    assert rid_code(good + "1") == "length"
    assert rid_code("") == "required"
    assert rid_code(good[:5] + "A" + good[6:]) == "characters"
    assert rid_code(good[:17] + "Y") == "characters"
    assert rid_code("X" + good[1:]) == "characters"
    for first in "09":
        first17 = first + good[1:17]
        assert rid_code(first17 + resident_id_check_digit(first17)) == "region"
    wrong = "0" if good[17] != "0" else "1"
    assert rid_code(good[:17] + wrong) == "check_digit"


def test_it_says_how_many_digits_and_which_check_digit() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("1101051949123100", today=TODAY)
    assert excinfo.value.messages == ["身份证号应为 18 位，现为 16 位"]
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("110105194912310021", today=TODAY)
    assert excinfo.value.messages == ["身份证号校验位不对（应为 X），请核对"]


def test_it_raises_plain_errors_without_a_field_name() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("123", today=TODAY)
    assert not hasattr(excinfo.value, "error_dict")


def test_it_refuses_a_malformed_check_digit_argument() -> None:
    with pytest.raises(ValueError):
        resident_id_check_digit("1234")
    with pytest.raises(ValueError):
        resident_id_check_digit("１１０１０５１９４９１２３１００２")


# --- other documents ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document_type", "raw", "expected"),
    [
        ("passport", "e 1234 5678", "E12345678"),
        ("passport", "G1234", "G1234"),
        ("hk_macao_permit", "H12345678", "H12345678"),
        ("hk_macao_permit", "m1234567801", "M1234567801"),
        ("hk_macao_permit", "ca1234567", "CA1234567"),
        ("hk_macao_permit", "C01234567", "C01234567"),
        ("taiwan_permit", "12345678", "12345678"),
        ("taiwan_permit", "1234567801", "1234567801"),
        ("taiwan_permit", "t12345678", "T12345678"),
        ("other", "军官证-第 12 号", "军官证第12号"),
    ],
)
def test_it_accepts_other_documents(document_type: str, raw: str, expected: str) -> None:
    assert validate_document(document_type, raw) == expected


@pytest.mark.parametrize(
    ("document_type", "raw", "code"),
    [
        ("passport", "E123", "format"),
        ("passport", "E" + "1" * 17, "format"),
        ("passport", "E1234.567", "format"),
        ("hk_macao_permit", "H1234567", "format"),
        ("hk_macao_permit", "H123456789", "format"),
        ("hk_macao_permit", "CA123456", "format"),
        ("taiwan_permit", "123456789", "format"),
        ("taiwan_permit", "T1234567", "format"),
        ("other", "x", "length"),
        ("other", "x" * 31, "length"),
        ("passport", " - ", "required"),
        ("driving_licence", "123456", "document_type"),
    ],
)
def test_it_rejects_malformed_documents(document_type: str, raw: str, code: str) -> None:
    assert code_of(lambda: validate_document(document_type, raw)) == code


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138 1234 5678", "+8613812345678"),
        ("0086-13812345678", "+8613812345678"),
        ("13812345678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("＋８６ １３８ １２３４ ５６７８", "+8613812345678"),
        ("010-6383 1234", "+861063831234"),
        ("01063831234", "+861063831234"),
        ("(010) 6383-1234", "+861063831234"),
        ("+852 2123 4567", "+85221234567"),
    ],
)
def test_it_normalises_phones_to_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_it_rejects_a_ten_digit_mobile() -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone("1381234567")
    assert excinfo.value.code == "invalid_phone"
    assert excinfo.value.messages == ["电话号码“1381234567”无效：手机号应为 11 位，固话需带区号"]


@pytest.mark.parametrize(
    ("raw", "mobile_only", "code"),
    [
        ("6383 1234", False, "invalid_phone"),
        ("138ABCD5678", False, "invalid_phone"),
        ("13812345678 转 5", False, "invalid_phone"),
        ("+1 123", False, "invalid_phone"),
        ("0085221234567", False, "not_cn"),
        ("+852 2123 4567", True, "not_cn"),
        ("010-6383 1234", True, "not_mobile"),
        ("", False, "required"),
    ],
)
def test_it_rejects_bad_phones(raw: str, mobile_only: bool, code: str) -> None:
    assert code_of(lambda: normalize_phone(raw, mobile_only=mobile_only)) == code


def test_it_accepts_mobiles_when_only_mobiles_will_do() -> None:
    assert normalize_phone("+86 138 1234 5678", mobile_only=True) == "+8613812345678"
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone("01063831234", mobile_only=True)
    assert excinfo.value.messages == ["这里需要手机号"]


# --- masks -------------------------------------------------------------------------------


def test_it_masks_documents() -> None:
    assert mask_document("11010619900307123X") == "110106********123X"
    assert mask_document("E12345678") == "E1*****78"
    assert mask_document("G1234") == "G1*34"
    assert mask_document("ABCD") == "A**D"
    assert mask_document("AB") == "**"


def test_it_masks_phones() -> None:
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_phone("+861063831234") == "010****1234"
    assert mask_phone("+8675588888888") == "075*****8888"
    assert mask_phone("+85221234567") == "+*******4567"
