"""The gate check (DESIGN.md contract): every reason code, observation suspends exit and
release restores it, replaced and foreign passes, fever alerts, idempotent retries, bad
input, and the cost of one check in queries."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.access.models import GateCheck, GateReferral, Pass
from fangkong.access.services import pass_issue, pass_replace, pass_revoke, pass_suspend
from fangkong.arrivals.models import Alert, AlertKind, NoticeStatus
from fangkong.arrivals.notices.services import notice_file
from fangkong.arrivals.observation.services import (
    observation_release,
    observation_shorten,
    observation_start,
)
from fangkong.site.services import daily_run
from tests.access.conftest import CHENGNEI, QIAOXI, Post, resident_with_pass
from tests.factories import make_person, valid_id


def answer(response: object) -> tuple[str, list[str]]:
    data = response.json()  # type: ignore[attr-defined]
    return data["decision"], data["reasons"]


def test_it_admits_a_resident_with_a_valid_pass_and_logs_it(post: Post) -> None:
    response = post.check()
    assert response.status_code == 201
    body = response.json()
    assert body["decision"] == "admit" and body["reasons"] == []
    assert body["person"] == {"name": "李**"}
    logged = GateCheck.objects.get()
    assert (logged.decision, logged.gate_pass, logged.person) == ("admit", post.card, post.resident)
    assert logged.guard == post.world.guard and logged.area == post.gate.area
    assert str(logged.temperature) == "36.5"


def test_it_accepts_a_typed_pass_number_or_document_number(post: Post) -> None:
    spaced = post.card.number_display  # "1234 5678 90", as printed on the card
    assert answer(post.check(pass_number=spaced)) == ("admit", [])
    document = valid_id(777)
    person = make_person(
        post.world.wanping_worker, post.world.areas[CHENGNEI], "王芳", document_number=document
    )
    pass_issue(
        actor=post.world.wanping_worker,
        person=person,
        area=post.world.areas[CHENGNEI],
        kind="resident",
        verified=True,
    )
    assert answer(post.check(document_number=document)) == ("admit", [])
    assert post.check(document_number=document).json()["person"] == {"name": "王*"}


def test_fever_denies_and_alerts_the_gate_area_at_once(post: Post) -> None:
    response = post.check(temperature=37.6)
    assert answer(response) == ("deny", ["fever"])
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.FEVER and str(alert.temperature) == "37.6"
    assert alert.area == post.gate.area and alert.person == post.resident
    assert "城内街东门" in alert.detail
    # The threshold is the policy's (37.3 in 2020): 37.2 passes, 37.3 does not.
    assert answer(post.check(temperature=37.2)) == ("admit", [])
    assert answer(post.check(temperature="37.3")) == ("deny", ["fever"])
    assert Alert.objects.count() == 2


def test_a_fever_of_someone_unknown_becomes_a_referral(post: Post) -> None:
    response = post.check(pass_token="not-a-real-pass", temperature=38.1)
    assert answer(response) == ("deny", ["fever", "no_pass"])
    assert not Alert.objects.exists()
    referral = GateReferral.objects.get()
    assert referral.kind == "fever" and referral.area == post.gate.area
    assert "38.1" in referral.note


def test_no_pass_for_a_forged_token_is_a_logged_denial(post: Post) -> None:
    response = post.check(pass_token="Zm9yZ2VkLXRva2VuLTEyMzQ1Njc4OTA")
    assert response.status_code == 201
    assert answer(response) == ("deny", ["no_pass"])
    assert response.json()["person"] is None
    logged = GateCheck.objects.get()
    assert logged.decision == "deny" and logged.person is None and logged.gate_pass is None


def test_no_pass_for_a_registered_person_without_one(post: Post) -> None:
    document = valid_id(778)
    make_person(
        post.world.wanping_worker, post.world.areas[CHENGNEI], "赵六", document_number=document
    )
    response = post.check(document_number=document)
    assert answer(response) == ("deny", ["no_pass"])
    assert response.json()["person"] == {"name": "赵*"}


def test_suspended_revoked_and_expired_passes_are_denied(post: Post) -> None:
    worker = post.world.wanping_worker
    pass_suspend(actor=worker, gate_pass=post.card, reason="借给他人使用")
    assert answer(post.check()) == ("deny", ["pass_suspended"])
    _, other = resident_with_pass(post.world, "钱七")
    pass_revoke(actor=worker, gate_pass=other, reason="搬离")
    assert answer(post.check(pass_token=other.token)) == ("deny", ["pass_revoked"])
    _, temporary = resident_with_pass(post.world, "孙八")
    Pass.objects.filter(pk=temporary.pk).update(
        kind="temporary", valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert answer(post.check(pass_token=temporary.token)) == ("deny", ["pass_expired"])


def test_a_replaced_pass_stops_working_at_once_and_the_new_one_works(post: Post) -> None:
    new = pass_replace(actor=post.world.wanping_worker, gate_pass=post.card, reason="遗失")
    assert answer(post.check()) == ("deny", ["pass_revoked"])
    assert answer(post.check(pass_number=post.card.number)) == ("deny", ["pass_revoked"])
    assert answer(post.check(pass_token=new.token)) == ("admit", [])
    assert new.token != post.card.token and new.number != post.card.number


def test_a_pass_of_another_zone_is_wrong_area(post: Post) -> None:
    # A community worker of 宛平城 may use the 桥西街 gate; the 城内街 pass does not open it.
    response = post.check(user=post.world.wanping_worker, gate=post.qiaoxi_gate.pk)
    assert answer(response) == ("deny", ["wrong_area"])
    # A community-wide pass opens every zone's gates.
    person = make_person(post.world.wanping_worker, post.world.areas[QIAOXI], "周九")
    wide = pass_issue(
        actor=post.world.wanping_worker,
        person=person,
        area=post.world.areas["110106014001"],
        kind="resident",
        verified=True,
    )
    assert answer(post.check(pass_token=wide.token)) == ("admit", [])


def test_observation_suspends_exit_and_release_restores_it(post: Post) -> None:
    worker, today = post.world.wanping_worker, timezone.localdate()
    observation = observation_start(
        actor=worker,
        person=post.resident,
        area=post.world.areas[CHENGNEI],
        mode="home",
        arrived_on=today - dt.timedelta(days=13),
    )
    assert answer(post.check(direction="out")) == ("deny", ["under_observation"])
    assert answer(post.check(direction="in")) == ("admit", [])  # coming home to observe
    observation_shorten(actor=worker, observation=observation, days=1, reason="医生评估")
    observation_release(actor=worker, observation=observation, on=today)
    assert answer(post.check(direction="out")) == ("admit", [])
    post.card.refresh_from_db()
    assert post.card.status == "active"  # nothing to undo: it was never changed


def test_the_daily_release_restores_exit_without_anyone_touching_the_pass(post: Post) -> None:
    import time_machine

    today = timezone.localdate()
    observation_start(
        actor=post.world.wanping_worker,
        person=post.resident,
        area=post.world.areas[CHENGNEI],
        mode="home",
        arrived_on=today - dt.timedelta(days=13),
    )
    assert answer(post.check(direction="out")) == ("deny", ["under_observation"])
    tomorrow = today + dt.timedelta(days=1)
    with time_machine.travel(
        dt.datetime.combine(tomorrow, dt.time(0, 10)).astimezone(), tick=False
    ):
        assert daily_run(on=tomorrow).counts["released"] == 1
        assert answer(post.check(direction="out")) == ("admit", [])


def test_must_not_return_yet_denies_entry(post: Post) -> None:
    document = valid_id(779)
    person = make_person(
        post.world.wanping_worker, post.world.areas[CHENGNEI], "吴十", document_number=document
    )
    card = pass_issue(
        actor=post.world.wanping_worker,
        person=person,
        area=post.world.areas[CHENGNEI],
        kind="resident",
        verified=True,
    )
    notice = notice_file(
        actor=post.world.wanping_worker,
        area=post.world.areas[CHENGNEI],
        filed_by="worker",
        filer_name="冯佳",
        origin_code="420000",
        origin_name="湖北省武汉市",
        planned_on=timezone.localdate() + dt.timedelta(days=2),
        mode="home",
        people=[{"name": "吴十", "document_number": document, "phone": "13912345678"}],
        building="城内街12号院",
    )
    assert notice.status == NoticeStatus.MUST_DELAY
    assert answer(post.check(pass_token=card.token)) == ("deny", ["must_not_return_yet"])
    assert answer(post.check(pass_token=card.token, temperature=38.0)) == (
        "deny",
        ["fever", "must_not_return_yet"],
    )


def test_a_retry_returns_the_first_answer_and_logs_nothing_twice(post: Post) -> None:
    check_id = str(uuid.uuid4())
    first = post.check(check_id=check_id)
    pass_revoke(actor=post.world.wanping_worker, gate_pass=post.card, reason="测试")
    again = post.check(check_id=check_id)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert GateCheck.objects.count() == 1
    # A fever retried: one alert.
    fever_id = str(uuid.uuid4())
    post.check(check_id=fever_id, temperature=38.2, pass_token="x")
    post.check(check_id=fever_id, temperature=38.2, pass_token="x")
    assert GateCheck.objects.count() == 2 and GateReferral.objects.count() == 1


def test_a_check_id_reused_at_another_gate_is_a_conflict(post: Post) -> None:
    check_id = str(uuid.uuid4())
    post.check(check_id=check_id)
    other = post.check(user=post.world.wanping_worker, check_id=check_id, gate=post.qiaoxi_gate.pk)
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "check_id"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"temperature": 43}, 400, "temperature"),
        ({"temperature": 33.9}, 400, "temperature"),
        ({"temperature": "hot"}, 400, "temperature"),
        ({"temperature": None}, 400, "temperature"),
        ({"check_id": "not-a-uuid"}, 400, "check_id"),
        ({"direction": "sideways"}, 400, "direction"),
        ({"gate": 999999}, 404, "gate"),
        ({"gate": "x"}, 400, "gate"),
        ({"pass_token": "", "pass_number": ""}, 400, "pass_token"),
        ({"pass_token": "a", "pass_number": "1234567890"}, 400, "pass_token"),
        ({"pass_number": "1234567891"}, 400, "pass_number"),  # check digit
        ({"document_number": "110106199001011234"}, 400, "document_number"),
        ({"pass_token": "x" * 201}, 400, "pass_token"),
        # NUL: PostgreSQL text cannot hold it (a 500 there before).
        ({"pass_token": "bench\x00token"}, 400, "pass_token"),
        ({"plate": "京A\x0012345"}, 400, "plate"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_nothing_is_logged(
    post: Post, body: dict[str, object], status: int, field: str
) -> None:
    if body.get("pass_token") == "" and body.get("pass_number") == "":
        body = {"pass_token": None}
    response = post.check(**body)
    assert response.status_code == status, response.content
    error = response.json()["errors"][0]
    assert error["field"] == field and error["reason"]
    assert not GateCheck.objects.exists()


@pytest.mark.parametrize(
    ("typed", "code", "reason"),
    [
        ("1234567890", "check_digit", "出入证号校验位不对，请核对（可能输错了一位）"),
        ("123456789", "invalid", "出入证号应为 10 位数字，现在是 9 位，请核对"),
        ("12345678901", "invalid", "出入证号应为 10 位数字，现在是 11 位，请核对"),
        ("12345O7890", "invalid", "出入证号应为 10 位数字，不含字母或符号"),
    ],
)
def test_a_typed_pass_number_says_whether_its_length_or_its_check_digit_is_wrong(
    post: Post, typed: str, code: str, reason: str
) -> None:
    response = post.check(pass_number=typed)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "pass_number", "code": code, "reason": reason}]
    assert not GateCheck.objects.exists()


@pytest.mark.parametrize("typed", ["36,5", "36。5", "36，5", " 36.5 ", "３６．５", "36.5℃", 36.5])
def test_a_temperature_is_read_as_typed_on_a_phone(post: Post, typed: object) -> None:
    response = post.check(temperature=typed)
    assert response.status_code == 201, response.content
    assert str(GateCheck.objects.get().temperature) == "36.5"


def test_the_guard_page_sends_the_temperature_as_typed(post: Post) -> None:
    """Number("36,5") is NaN, sent as null: "请填写体温" for a filled field. The page sends
    the trimmed text and the server reads it (or names what is wrong with it)."""
    page = post.world.client(post.world.guard).get("/access/gate/").content.decode()
    body = re.search(r"function body\(\) \{.*?\n  \}", page, re.S)
    assert body is not None
    assert "var t = temp.value.trim();" in body.group()
    assert 'temperature: t === "" ? null : t}' in body.group()
    assert "Number(t)" not in body.group()


@pytest.mark.parametrize(
    ("typed", "code", "reason"),
    [
        ("abc", "invalid", "体温“abc”不是数字，请填写如 36.5"),
        ("36,5,1", "invalid", "体温“36,5,1”不是数字，请填写如 36.5"),
        ("  ", "required", "请填写体温，如 36.5"),
        ("43,0", "out_of_range", "体温 43.0°C 不在 34.0–42.0°C 之间，请重新测量后填写"),
        ("1e999", "out_of_range", "体温“1e999”不在 34.0–42.0°C 之间，请重新测量后填写"),
    ],
)
def test_a_temperature_that_is_not_one_is_named(
    post: Post, typed: str, code: str, reason: str
) -> None:
    response = post.check(temperature=typed)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "temperature", "code": code, "reason": reason}]
    assert not GateCheck.objects.exists()


def test_an_empty_body_is_a_400(post: Post) -> None:
    api = post.world.api(post.world.guard)
    for payload in ({}, [], "null"):
        response = api.post("/api/v1/gate-checks/", payload, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "required"
    response = api.post("/api/v1/gate-checks/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not GateCheck.objects.exists()


def test_a_gate_of_another_community_or_zone_is_not_the_guards(post: Post) -> None:
    for gate in (post.zhenguosi_gate, post.qiaoxi_gate):
        response = post.check(gate=gate.pk)
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "gate"
    # The Zhenguosi worker cannot check at a Wanping gate either.
    response = post.check(user=post.world.zhenguosi_worker)
    assert response.status_code == 404
    assert not GateCheck.objects.filter(decision="admit").exists()
    assert not GateCheck.objects.exists()


def test_only_accounts_that_check_at_gates_may_post(post: Post) -> None:
    response = post.check(user=post.world.wanping_officer)  # street officer: view only
    assert response.status_code == 403
    anonymous = post.world.api(post.world.guard)
    anonymous.credentials()
    assert anonymous.post("/api/v1/gate-checks/", {}, format="json").status_code == 401
    forged = post.world.api(post.world.guard)
    forged.credentials(HTTP_AUTHORIZATION="Token forged")
    assert forged.post("/api/v1/gate-checks/", {}, format="json").status_code == 401
    assert not GateCheck.objects.exists()


def test_one_check_costs_one_select_and_one_insert(post: Post) -> None:
    api = post.world.api(post.world.guard)

    def check(check_id: str) -> object:
        body = {
            "check_id": check_id,
            "gate": post.gate.pk,
            "pass_token": post.card.token,
            "direction": "in",
            "temperature": 36.5,
        }
        return api.post("/api/v1/gate-checks/", body, format="json")

    check(str(uuid.uuid4()))  # warms the caches: token, gate, policy threshold
    with CaptureQueriesContext(connection) as queries:
        response = check(str(uuid.uuid4()))
    assert response.status_code == 201  # type: ignore[attr-defined]
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert statements == ["SELECT", "INSERT"], [q["sql"] for q in queries.captured_queries]
    assert "ON CONFLICT" in queries.captured_queries[1]["sql"]
    # A retry: the INSERT does nothing and one SELECT reads the first answer.
    check_id = str(uuid.uuid4())
    check(check_id)
    with CaptureQueriesContext(connection) as queries:
        check(check_id)
    assert len(queries.captured_queries) == 3


def test_the_log_is_listed_by_day_and_scoped(post: Post) -> None:
    post.check()
    post.check(pass_token="forged")
    data = post.world.api(post.world.wanping_worker).get("/api/v1/gate-checks/").json()
    assert data["count"] == 2
    denied = (
        post.world.api(post.world.wanping_worker).get("/api/v1/gate-checks/?decision=deny").json()
    )
    assert [r["reasons"] for r in denied["results"]] == [["no_pass"]]
    assert (
        post.world.api(post.world.zhenguosi_worker).get("/api/v1/gate-checks/").json()["count"] == 0
    )


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children)
    ),
    max_leaves=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "check_id": st.uuids().map(str) | json_values,
            "gate": st.integers() | json_values,
            "pass_token": st.text(max_size=250) | json_values,
            "pass_number": st.text(alphabet="0123456789 -", max_size=14) | json_values,
            "document_number": st.text(max_size=20) | json_values,
            "document_type": st.sampled_from(["resident_id", "passport", "x"]) | json_values,
            "direction": st.sampled_from(["in", "out"]) | json_values,
            "temperature": st.decimals(places=2, allow_nan=True).map(str) | json_values,
            "plate": json_values,
        },
    )
)
def test_no_input_gives_a_500_or_an_admit(post: Post, body: dict[str, object]) -> None:
    response = post.world.api(post.world.guard).post("/api/v1/gate-checks/", body, format="json")
    assert response.status_code in (201, 400, 404, 409), response.content
    if response.status_code == 201:
        assert response.json()["decision"] == "deny"
    else:
        assert response.json()["errors"][0]["reason"]


def test_what_a_logged_check_names_cannot_be_deleted(post: Post) -> None:
    """The log has no database constraint on the gate, area and guard (shared by every
    check: see GateCheck); deleting them is still refused, by PROTECT."""
    assert post.check().status_code == 201
    for row in (post.gate, post.world.areas[CHENGNEI], post.world.guard, post.card):
        with pytest.raises(ProtectedError):
            row.delete()
    assert GateCheck.objects.filter(gate=post.gate).count() == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a "
                "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
                "WHERE c.conrelid = 'access_gatecheck'::regclass AND c.contype = 'f'"
            )
            assert sorted(r[0] for r in cursor.fetchall()) == ["gate_pass_id", "person_id"]
