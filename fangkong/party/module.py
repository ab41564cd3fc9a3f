"""What the party app adds to the site (fangkong.core.modules): organisations and their
members, donations, remittances up the tree and their reconciliation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class PartyCapability(models.TextChoices):
    VIEW = "party.view", _("查看党组织和党员捐款")
    RECORD = "party.record", _("登记党员捐款、上缴和接收")
    MANAGE = "party.manage", _("维护党组织和党员名册")


_READ = frozenset({PartyCapability.VIEW})
_ALL = frozenset(PartyCapability.values)

MODULE = Module(
    app="party",
    menu=(MenuEntry(gettext_noop("党员捐款"), "party:home", PartyCapability.VIEW, order=70),),
    capabilities=PartyCapability,
    grants={
        Role.DISTRICT_OFFICER: _READ,
        Role.STREET_OFFICER: _READ,
        Role.PARTY_TREASURER: _ALL,
    },
    urls="fangkong.party.urls",
    url_prefix="party/",
    workbench="fangkong.party.workbench.items",
    figures="fangkong.party.figures.FIGURE_SET",
    demo="fangkong.party.demo.load_demo",
    demo_order=90,
)
