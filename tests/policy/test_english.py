"""The policy pages in English: the list of versions and a version's page."""

from __future__ import annotations

from fangkong.policy.models import OriginRule, PolicyVersion
from fangkong.policy.services import policy_seed_2020
from tests.conftest import World
from tests.english import chinese_left, english, world_data


def test_the_policy_pages_are_english(world: World) -> None:
    policy_seed_2020()
    client = english(world, world.admin)
    versions = PolicyVersion.objects.all()
    data = [*world_data(world), *(v for p in versions for v in (p.label, p.issued_by, p.note))]
    data += [r.region_name for r in OriginRule.objects.all()]
    for url in ["/policy/", *(f"/policy/{p.pk}/" for p in PolicyVersion.objects.all())]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert chinese_left(response.content.decode(), data) == [], url
