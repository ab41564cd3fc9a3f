"""Screening rounds (摸排): rounds, visits, progress, what changed since the last round —
through the services, the API and the pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fangkong.areas.models import Area
from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.models import (
    Address,
    Person,
    Residence,
    ScreeningRound,
    ScreeningVisit,
    VisitFinding,
)
from fangkong.registry.people.services import (
    address_get_or_create,
    person_register,
    residence_set,
)
from fangkong.registry.screening.selectors import round_changes, round_progress
from fangkong.registry.screening.services import Finding, round_create, visit_record
from tests.conftest import WANPING, WANPING_STREET, ZHENGUOSI, World

TODAY = dt.date(2020, 2, 20)
Z1, Z2 = f"{WANPING}Z1", f"{WANPING}Z2"
_serial = count(1)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2020, 2, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def resident_id(birth: str = "19800101") -> str:
    first17 = f"110106{birth}{next(_serial):03d}"
    return first17 + resident_id_check_digit(first17)


def person_at(world: World, address: Address, name: str) -> Person:
    person = person_register(
        actor=world.wanping_worker,
        area=address.area,
        data={
            "name": name,
            "document_type": "resident_id",
            "document_number": resident_id(),
            "phone": "13812345678",
        },
    )
    residence_set(person=person, address=address, kind="owner", since=dt.date(2019, 1, 1))
    return person


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def room(code: str, building: str, number: str) -> Address:
    return address_get_or_create(area=area(code), building=building, room=number)


def new_round(
    world: World,
    *,
    starts_on: dt.date = TODAY - dt.timedelta(days=5),
    ends_on: dt.date = TODAY + dt.timedelta(days=5),
    code: str = WANPING,
    name: str = "春节后第一轮",
) -> ScreeningRound:
    return round_create(
        actor=world.wanping_worker, area=area(code), name=name, starts_on=starts_on, ends_on=ends_on
    )


def field_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return next(iter(excinfo.value.message_dict))


@pytest.fixture
def home(world: World) -> dict[str, Any]:
    """A Wanping household of two in 城内街 1号院 101."""
    address = room(Z1, "1号院", "101")
    return {
        "address": address,
        "wang": person_at(world, address, "王建国"),
        "li": person_at(world, address, "李秀英"),
    }


# --- rounds -----------------------------------------------------------------------------


def test_it_creates_a_round_over_the_workers_community(world: World) -> None:
    screening_round = new_round(world, name="  春节后第一轮 ")
    assert screening_round.name == "春节后第一轮"
    assert screening_round.area.code == WANPING
    assert screening_round.created_by == world.wanping_worker


def test_it_refuses_a_round_that_ends_before_it_starts(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        new_round(world, starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1))
    assert field_of(excinfo) == "ends_on"
    assert not ScreeningRound.objects.exists()


def test_it_allows_90_days_and_refuses_91(world: World) -> None:
    new_round(world, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=89))
    with pytest.raises(ValidationError) as excinfo:
        new_round(world, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=90))
    assert excinfo.value.error_dict["ends_on"][0].code == "too_long"


def test_it_refuses_a_round_outside_the_actors_area(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        round_create(
            actor=world.zhenguosi_worker,
            area=area(WANPING),
            name="越界",
            starts_on=TODAY,
            ends_on=TODAY,
        )
    assert field_of(excinfo) == "area"


def test_it_refuses_a_round_over_a_whole_street(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        round_create(
            actor=world.admin,
            area=area(WANPING_STREET),
            name="全街道",
            starts_on=TODAY,
            ends_on=TODAY,
        )
    assert excinfo.value.error_dict["area"][0].code == "wrong_level"


# --- visits -----------------------------------------------------------------------------


def test_it_records_a_visit_and_updates_whereabouts(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    visit = visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["wang"], "present", ""), (home["li"], "not_back", " 湖北省武汉市 ")],
        observation_notes="有独立房间",
    )
    assert visit.worker == world.wanping_worker
    assert visit.observation_notes == "有独立房间"
    statuses = dict(visit.findings.values_list("person__name", "status"))
    assert statuses == {"王建国": "present", "李秀英": "not_back"}
    home["li"].refresh_from_db()
    assert (home["li"].whereabouts, home["li"].away_from) == ("not_back", "湖北省武汉市")


def test_it_clears_the_place_when_someone_is_back(world: World, home: dict[str, Any]) -> None:
    first = new_round(world, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 10))
    second = new_round(world)
    visit_record(
        actor=world.wanping_worker,
        round=first,
        address=home["address"],
        visited_on=dt.date(2020, 1, 5),
        findings=[(home["li"], "not_back", "湖北省武汉市")],
    )
    visit_record(
        actor=world.wanping_worker,
        round=second,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["li"], "present", "湖北省武汉市")],
    )
    home["li"].refresh_from_db()
    assert (home["li"].whereabouts, home["li"].away_from) == ("in_beijing", "")
    assert VisitFinding.objects.get(visit__round=second).away_from == ""


def test_a_second_record_for_the_household_updates_the_visit(
    world: World, home: dict[str, Any]
) -> None:
    screening_round = new_round(world)
    first = visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY - dt.timedelta(days=1),
        findings=[(home["wang"], "present"), (home["li"], "present")],
    )
    second = visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY,
        findings=[Finding(home["li"], "not_back", "河南省信阳市")],
        observation_notes="补记",
    )
    assert first.pk == second.pk
    assert ScreeningVisit.objects.count() == 1
    second.refresh_from_db()
    assert (second.visited_on, second.observation_notes) == (TODAY, "补记")
    # Per person: Li changed, Wang (not named the second time) kept.
    assert dict(second.findings.values_list("person__name", "status")) == {
        "王建国": "present",
        "李秀英": "not_back",
    }


def test_not_back_needs_a_place(world: World, home: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=new_round(world),
            address=home["address"],
            visited_on=TODAY,
            findings=[(home["wang"], "present"), (home["li"], "not_back", "  ")],
        )
    assert field_of(excinfo) == "findings.1.away_from"
    assert "李秀英" in excinfo.value.messages[0]
    assert not ScreeningVisit.objects.exists()


def test_a_visit_must_lie_in_the_rounds_area(world: World) -> None:
    outside = room(Z2, "5号院", "1")
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=new_round(world, code=Z1),
            address=outside,
            visited_on=TODAY,
            findings=[],
        )
    assert excinfo.value.error_dict["address"][0].code == "outside_round"


@pytest.mark.parametrize(
    ("visited_on", "code"),
    [
        (TODAY - dt.timedelta(days=6), "outside_round"),
        (TODAY + dt.timedelta(days=1), "future"),
    ],
)
def test_a_visit_date_must_lie_in_the_round_and_not_ahead(
    world: World, home: dict[str, Any], visited_on: dt.date, code: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=new_round(world),
            address=home["address"],
            visited_on=visited_on,
            findings=[],
        )
    assert excinfo.value.error_dict["visited_on"][0].code == code


def test_someone_found_living_here_is_added_to_the_household(
    world: World, home: dict[str, Any]
) -> None:
    elsewhere = room(Z2, "3号院", "2")
    zhang = person_at(world, elsewhere, "张伟")
    visit_record(
        actor=world.wanping_worker,
        round=new_round(world),
        address=home["address"],
        visited_on=TODAY,
        findings=[(zhang, "present", "", "tenant")],
    )
    current = Residence.objects.current().get(person=zhang)
    assert (current.address, current.kind, current.since) == (home["address"], "tenant", TODAY)
    assert Residence.objects.get(person=zhang, address=elsewhere).until == TODAY


def test_moved_out_ends_the_residence_and_needs_a_resident(
    world: World, home: dict[str, Any]
) -> None:
    screening_round = new_round(world)
    visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["wang"], "moved_out")],
    )
    assert not Residence.objects.current().filter(person=home["wang"]).exists()
    # Saving the household again (the form lists him as moved out) is fine.
    visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["wang"], "moved_out"), (home["li"], "present")],
    )
    stranger = person_at(world, room(Z2, "3号院", "2"), "赵敏")
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=screening_round,
            address=home["address"],
            visited_on=TODAY,
            findings=[(stranger, "moved_out")],
        )
    assert excinfo.value.error_dict["findings.0.status"][0].code == "not_resident"


def test_an_older_visit_entered_late_does_not_overwrite_newer_news(
    world: World, home: dict[str, Any]
) -> None:
    earlier = new_round(world, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 10))
    later = new_round(world)
    visit_record(
        actor=world.wanping_worker,
        round=later,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["li"], "present")],
    )
    visit_record(
        actor=world.wanping_worker,
        round=earlier,
        address=home["address"],
        visited_on=dt.date(2020, 1, 5),
        findings=[(home["li"], "not_back", "湖北省武汉市")],
    )
    home["li"].refresh_from_db()
    assert home["li"].whereabouts == "in_beijing"


def test_a_person_named_twice_or_out_of_scope_is_refused(
    world: World, home: dict[str, Any]
) -> None:
    screening_round = new_round(world)
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=screening_round,
            address=home["address"],
            visited_on=TODAY,
            findings=[(home["wang"], "present"), (home["wang"], "present")],
        )
    assert excinfo.value.error_dict["findings.1.person"][0].code == "duplicate"
    outsider = person_register(
        actor=world.zhenguosi_worker,
        area=area(ZHENGUOSI),
        data={"name": "孙丽", "document_type": "resident_id", "document_number": resident_id()},
    )
    with pytest.raises(ValidationError) as excinfo:
        visit_record(
            actor=world.wanping_worker,
            round=screening_round,
            address=home["address"],
            visited_on=TODAY,
            findings=[(outsider, "present")],
        )
    assert excinfo.value.error_dict["findings.0.person"][0].code == "unknown_person"


# --- selectors --------------------------------------------------------------------------


def test_progress_counts_households_and_findings(world: World, home: dict[str, Any]) -> None:
    other = room(Z2, "2号院", "1")
    person_at(world, other, "周杰")
    room(Z3 := f"{WANPING}Z3", "空院", "1")  # nobody lives there: not a household
    assert Z3
    screening_round = new_round(world)
    visit_record(
        actor=world.wanping_worker,
        round=screening_round,
        address=home["address"],
        visited_on=TODAY,
        findings=[(home["wang"], "present"), (home["li"], "not_back", "湖北省武汉市")],
    )
    progress = round_progress(round=screening_round)
    assert (progress.households, progress.visited, progress.percent) == (2, 1, 50)
    assert (progress.present, progress.not_back, progress.moved_out) == (1, 1, 0)


def test_changes_compare_with_the_previous_round(world: World, home: dict[str, Any]) -> None:
    worker = world.wanping_worker
    second_home = room(Z1, "1号院", "102")
    chen = person_at(world, second_home, "陈静")
    liu = person_at(world, second_home, "刘洋")
    third_home = room(Z1, "1号院", "103")
    yang = person_at(world, third_home, "杨帆")  # the second round never gets there
    older = new_round(world, starts_on=dt.date(2019, 12, 1), ends_on=dt.date(2019, 12, 5))
    first = new_round(world, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 10))
    assert round_changes(round=older).previous is None

    def visit(r: ScreeningRound, address: Address, on: dt.date, *findings: Any) -> None:
        visit_record(actor=worker, round=r, address=address, visited_on=on, findings=findings)

    on = dt.date(2020, 1, 5)
    visit(first, home["address"], on, (home["wang"], "present"), (home["li"], "not_back", "武汉"))
    visit(first, second_home, on, (chen, "present"), (liu, "present"))
    visit(first, third_home, on, (yang, "present"))

    second = new_round(world)
    newcomer = person_at(world, room(Z2, "9号院", "1"), "吴昊")
    visit(
        second,
        home["address"],
        TODAY,
        (home["wang"], "not_back", "湖北省武汉市"),
        (home["li"], "present"),
        (newcomer, "present"),
    )
    visit(second, second_home, TODAY, (chen, "moved_out"))  # and 刘洋 is not seen at all

    changes = round_changes(round=second)
    assert changes.previous == first

    def names(people: list[Any]) -> list[str]:
        return [c.person.name for c in people]

    assert names(changes.newly_not_back) == ["王建国"]
    assert changes.newly_not_back[0].away_from == "湖北省武汉市"
    assert names(changes.returned) == ["李秀英"]
    assert names(changes.newly_found) == ["吴昊"]
    assert sorted(names(changes.gone)) == ["刘洋", "陈静"]
    gone = {c.person.name: c for c in changes.gone}
    assert gone["陈静"].status_label == "已搬离"
    assert gone["刘洋"].status_label == "本轮未见"
    assert "杨帆" not in names(changes.gone)  # 103 not visited yet this round
    assert changes.total == 5


# --- API ----------------------------------------------------------------------------------


def errors(response: Any) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_api_creates_and_lists_rounds_in_scope(world: World) -> None:
    api = world.api(world.wanping_worker)
    response = api.post(
        "/api/v1/screening-rounds/",
        {"name": "第二轮", "area": WANPING, "starts_on": "2020-02-15", "ends_on": "2020-02-25"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["area"] == WANPING
    rows = api.get("/api/v1/screening-rounds/").json()["results"]
    assert [r["name"] for r in rows] == ["第二轮"]
    other = world.api(world.zhenguosi_worker).get("/api/v1/screening-rounds/").json()
    assert other["results"] == []


def test_api_bad_round_input_names_the_field(world: World) -> None:
    api = world.api(world.wanping_worker)
    body = {"name": "倒着", "area": WANPING, "starts_on": "2020-02-20", "ends_on": "2020-02-19"}
    response = api.post("/api/v1/screening-rounds/", body, format="json")
    assert response.status_code == 400
    assert errors(response) == [("ends_on", "before_start")]
    response = api.post("/api/v1/screening-rounds/", {**body, "area": ZHENGUOSI}, format="json")
    assert errors(response) == [("area", "unknown_area")]
    response = api.post(
        "/api/v1/screening-rounds/", {**body, "starts_on": "2020-02-30"}, format="json"
    )
    assert response.status_code == 400 and errors(response)[0][0] == "starts_on"


def test_api_a_street_officer_reads_but_does_not_start_rounds(world: World) -> None:
    screening_round = new_round(world)
    api = world.api(world.wanping_officer)
    assert api.get(f"/api/v1/screening-rounds/{screening_round.pk}/").status_code == 200
    response = api.post(
        "/api/v1/screening-rounds/",
        {"name": "x", "area": WANPING, "starts_on": "2020-02-20", "ends_on": "2020-02-20"},
        format="json",
    )
    assert response.status_code == 403


def test_api_round_detail_has_progress_and_hides_other_communities(
    world: World, home: dict[str, Any]
) -> None:
    screening_round = new_round(world)
    url = f"/api/v1/screening-rounds/{screening_round.pk}/"
    row = world.api(world.wanping_worker).get(url).json()
    assert row["progress"] == {
        "households": 1,
        "visited": 0,
        "percent": 0,
        "present": 0,
        "not_back": 0,
        "moved_out": 0,
    }
    response = world.api(world.zhenguosi_worker).get(url)
    assert response.status_code == 404
    assert world.api(world.zhenguosi_worker).get(f"{url}changes/").status_code == 404


def visit_body(home: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "address": home["address"].pk,
        "visited_on": "2020-02-20",
        "observation_notes": "独立房间，独立卫生间",
        "findings": [
            {"person": home["wang"].pk, "status": "present"},
            {"person": home["li"].pk, "status": "not_back", "away_from": "湖北省武汉市"},
        ],
        **extra,
    }


def test_api_records_a_visit(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    response = world.api(world.wanping_worker).post(
        f"/api/v1/screening-rounds/{screening_round.pk}/visits/", visit_body(home), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["worker"] == "wanping_worker" and body["address_label"] == "1号院 101"
    assert {f["name"]: (f["status"], f["away_from"]) for f in body["findings"]} == {
        "王建国": ("present", ""),
        "李秀英": ("not_back", "湖北省武汉市"),
    }
    # No document or phone: no such key, and no mobile number among the values (ids such as
    # an address 13817 are not phones: a mobile is 11 digits).
    assert "document" not in str(body) and "phone" not in str(body)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", json.dumps(body)), body


def test_api_visit_bad_input_names_the_field(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world, code=Z1)
    api = world.api(world.wanping_worker)
    url = f"/api/v1/screening-rounds/{screening_round.pk}/visits/"
    no_place = visit_body(home)
    no_place["findings"][1].pop("away_from")
    response = api.post(url, no_place, format="json")
    assert response.status_code == 400
    assert errors(response) == [("findings.1.away_from", "required")]

    outside = room(Z2, "5号院", "1")
    response = api.post(url, visit_body(home, address=outside.pk, findings=[]), format="json")
    assert (response.status_code, errors(response)) == (400, [("address", "outside_round")])

    response = api.post(url, visit_body(home, visited_on="2020-03-20"), format="json")
    assert errors(response) == [("visited_on", "outside_round")]

    bad_status = visit_body(home)
    bad_status["findings"][0]["status"] = "asleep"
    response = api.post(url, bad_status, format="json")
    assert response.status_code == 400 and errors(response)[0][0].startswith("findings")

    response = api.post(
        url, visit_body(home, findings=[{"person": 999999, "status": "present"}]), format="json"
    )
    assert errors(response) == [("findings.0.person", "unknown_person")]
    assert not ScreeningVisit.objects.exists()


def test_api_a_worker_of_another_community_gets_404(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    response = world.api(world.zhenguosi_worker).post(
        f"/api/v1/screening-rounds/{screening_round.pk}/visits/", visit_body(home), format="json"
    )
    assert response.status_code == 404
    assert not ScreeningVisit.objects.exists()


def test_api_changes_list_people_without_documents(world: World, home: dict[str, Any]) -> None:
    first = new_round(world, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 10))
    visit_record(
        actor=world.wanping_worker,
        round=first,
        address=home["address"],
        visited_on=dt.date(2020, 1, 2),
        findings=[(home["wang"], "present"), (home["li"], "present")],
    )
    second = new_round(world)
    api = world.api(world.wanping_worker)
    api.post(f"/api/v1/screening-rounds/{second.pk}/visits/", visit_body(home), format="json")
    body = api.get(f"/api/v1/screening-rounds/{second.pk}/changes/").json()
    assert body["previous"]["id"] == first.pk
    assert [
        (p["name"], p["previous_status"], p["status"], p["away_from"])
        for p in body["newly_not_back"]
    ] == [("李秀英", "present", "not_back", "湖北省武汉市")]
    assert body["returned"] == body["newly_found"] == body["gone"] == []
    assert set(body["newly_not_back"][0]) == {
        "person",
        "name",
        "address",
        "status",
        "away_from",
        "previous_status",
        "previous_away_from",
    }


def test_the_schema_lists_the_screening_endpoints(world: World) -> None:
    response = world.client(world.admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/screening-rounds/"])
    assert "post" in paths["/api/v1/screening-rounds/{id}/visits/"]
    assert "get" in paths["/api/v1/screening-rounds/{id}/changes/"]


# --- pages --------------------------------------------------------------------------------


def test_pages_list_rounds_and_start_one(world: World) -> None:
    client = world.client(world.wanping_worker)
    assert client.get("/registry/rounds/").status_code == 200
    response = client.post(
        "/registry/rounds/new/",
        {"name": "第三轮", "area": Z1, "starts_on": "2020-02-20", "ends_on": "2020-02-10"},
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(
        "/registry/rounds/new/",
        {"name": "第三轮", "area": Z1, "starts_on": "2020-02-18", "ends_on": "2020-02-28"},
    )
    created = ScreeningRound.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/rounds/{created.pk}/")
    assert "第三轮" in client.get("/registry/rounds/").content.decode()


def test_pages_record_a_visit_and_show_the_changes(world: World, home: dict[str, Any]) -> None:
    first = new_round(world, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 1, 10))
    visit_record(
        actor=world.wanping_worker,
        round=first,
        address=home["address"],
        visited_on=dt.date(2020, 1, 2),
        findings=[(home["wang"], "present"), (home["li"], "present")],
    )
    second = new_round(world)
    client = world.client(world.wanping_worker)
    url = f"/registry/rounds/{second.pk}/visit/"
    assert "1号院" in client.get(url).content.decode()
    form = client.get(url, {"address": home["address"].pk}).content.decode()
    assert "王建国" in form and "李秀英" in form
    post = {
        "address": home["address"].pk,
        "visited_on": "2020-02-20",
        "observation_notes": "",
        f"status_{home['wang'].pk}": "present",
        f"status_{home['li'].pk}": "not_back",
        f"away_from_{home['li'].pk}": "",
    }
    response = client.post(url, post)
    assert response.status_code == 200
    assert "李秀英未返京，请填写所在地" in response.content.decode()
    response = client.post(url, {**post, f"away_from_{home['li'].pk}": "湖北省武汉市"})
    assert response.status_code == 302
    changes = client.get(f"/registry/rounds/{second.pk}/changes/").content.decode()
    assert "李秀英" in changes and "湖北省武汉市" in changes
    detail = client.get(f"/registry/rounds/{second.pk}/").content.decode()
    assert "已走访" in detail


def test_pages_hide_another_communitys_round(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    client = world.client(world.zhenguosi_worker)
    for suffix in ("", "visit/", "changes/"):
        response = client.get(f"/registry/rounds/{screening_round.pk}/{suffix}")
        assert response.status_code == 404
    # Nor can a Wanping round's form be pointed at an address outside the round.
    zhenguosi_room = address_get_or_create(area=area(ZHENGUOSI), building="1号楼", room="1")
    response = world.client(world.wanping_worker).get(
        f"/registry/rounds/{screening_round.pk}/visit/", {"address": zhenguosi_room.pk}
    )
    assert response.status_code == 404


def test_a_street_officer_sees_the_visit_form_read_only(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    client = world.client(world.wanping_officer)
    url = f"/registry/rounds/{screening_round.pk}/visit/"
    page = client.get(url, {"address": home["address"].pk}).content.decode()
    assert "<fieldset disabled>" in page and "保存走访" not in page
    response = client.post(url, {"address": home["address"].pk, "visited_on": "2020-02-20"})
    assert response.status_code == 403
    assert client.get("/registry/rounds/new/").status_code == 403


def test_api_adds_someone_newly_found_to_the_household(world: World, home: dict[str, Any]) -> None:
    zhang = person_at(world, room(Z2, "3号院", "2"), "张伟")
    screening_round = new_round(world)
    body = visit_body(home, findings=[{"person": zhang.pk, "status": "present", "kind": ""}])
    response = world.api(world.wanping_worker).post(
        f"/api/v1/screening-rounds/{screening_round.pk}/visits/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    current = Residence.objects.current().get(person=zhang)
    assert (current.address, current.kind) == (home["address"], "owner")  # kind carried over


def test_the_visit_form_saves_again_after_someone_moved_out(
    world: World, home: dict[str, Any]
) -> None:
    screening_round = new_round(world)
    client = world.client(world.wanping_worker)
    url = f"/registry/rounds/{screening_round.pk}/visit/"
    post = {
        "address": home["address"].pk,
        "visited_on": "2020-02-20",
        f"status_{home['wang'].pk}": "moved_out",
        f"status_{home['li'].pk}": "present",
    }
    assert client.post(url, post).status_code == 302
    page = client.get(url, {"address": home["address"].pk}).content.decode()
    assert "已不住此户" in page
    assert client.post(url, post).status_code == 302
    assert VisitFinding.objects.filter(status="moved_out").count() == 1


def test_api_names_the_row_of_a_bad_finding(world: World, home: dict[str, Any]) -> None:
    screening_round = new_round(world)
    body = visit_body(home)
    body["findings"][1]["status"] = "bogus"
    response = world.api(world.wanping_worker).post(
        f"/api/v1/screening-rounds/{screening_round.pk}/visits/", body, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["findings.1.status"]
