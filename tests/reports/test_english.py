"""The dashboard, its printable daily report and its bad-input page in English: no Chinese
left in the page's own part once the area names are taken out (the printable report's
title is the workbook's, still Chinese; the figures of arrivals come with the arrivals
catalogue)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fangkong.arrivals.figures import FIGURES as ARRIVALS_FIGURES
from fangkong.reports.selectors import parse_date
from tests.conftest import World
from tests.english import chinese_left, english, world_data


def test_the_reports_pages_are_english(world: World) -> None:
    client = english(world, world.wanping_officer)
    # The figures of arrivals are translated by the arrivals catalogue.
    data = [*world_data(world), *(str(f.help) for f in ARRIVALS_FIGURES)]
    data += [str(f.label) for f in ARRIVALS_FIGURES] + [str(f.unit) for f in ARRIVALS_FIGURES]
    dashboard = client.get("/reports/")
    assert dashboard.status_code == 200
    assert chinese_left(dashboard.content.decode(), data) == []
    bad = client.get("/reports/?date=not-a-date")
    assert bad.status_code == 400
    # The reason is the validation message of the date, not yet translated.
    with pytest.raises(ValidationError) as reason:
        parse_date("not-a-date")
    assert chinese_left(bad.content.decode(), [*data, *reason.value.messages]) == []
    printed = client.get("/reports/daily/print/").content.decode()
    title = printed.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert chinese_left(printed, [*data, title]) == []
