"""Helpers for the pages in English: the language cookie, the page's own part, and what is
left in Chinese once the data of the test (names, places, notes) is taken out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.test import Client

from tests.conftest import World

CJK = re.compile("[\u4e00-\u9fff]")


def english(world: World, user: Any) -> Client:
    client = world.client(user)
    client.cookies["django_language"] = "en"
    return client


def content(html: str) -> str:
    """The page's own part: base.html's <main> (the menu and the footer left out), or the
    <body> of a page of its own, without its inline code (JSON data stays in)."""
    found = re.search(r'<main class="container-fluid py-3 fk-main">(.*)</main>', html, re.S)
    if found is None:
        found = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    assert found is not None
    return re.sub(r"<script>.*?</script>", "", found.group(1), flags=re.S)


def chinese_left(html: str, data: Iterable[str]) -> list[str]:
    """The lines of the page's content still holding Chinese, once `data` is removed."""
    text = content(html)
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, "")
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def world_data(world: World) -> list[str]:
    return [area.name for area in world.areas.values()]
