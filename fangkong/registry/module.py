"""What the registry adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class RegistryCapability(models.TextChoices):
    VIEW = "registry.view", _("查看人员登记")
    CHANGE = "registry.change", _("登记和修改人员")
    REVEAL = "registry.reveal", _("查看完整证件号和电话")
    EXPORT = "registry.export", _("导出人员")
    IMPORT = "registry.import", _("导入摸排表")


_READ = frozenset({RegistryCapability.VIEW, RegistryCapability.EXPORT})
_WORK = _READ | {RegistryCapability.CHANGE, RegistryCapability.REVEAL, RegistryCapability.IMPORT}

MODULE = Module(
    app="registry",
    menu=(
        MenuEntry(gettext_noop("人员"), "registry:people", RegistryCapability.VIEW, order=30),
        MenuEntry(gettext_noop("摸排"), "registry:rounds", RegistryCapability.VIEW, order=31),
        MenuEntry(gettext_noop("导入"), "registry:imports", RegistryCapability.IMPORT, order=32),
    ),
    capabilities=RegistryCapability,
    grants={
        Role.DISTRICT_OFFICER: _READ,
        Role.STREET_OFFICER: _READ,
        Role.COMMUNITY_WORKER: _WORK,
        # Cadres join the community team "with the same duties" (同岗同责).
        Role.CADRE: _WORK,
        Role.MEDICAL_STAFF: frozenset({RegistryCapability.VIEW}),
        Role.POLICE_OFFICER: frozenset({RegistryCapability.VIEW, RegistryCapability.REVEAL}),
    },
    urls="fangkong.registry.urls",
    figures="fangkong.registry.figures.FIGURE_SET",
    url_prefix="registry/",
    demo="fangkong.registry.demo.loading.load_demo",
    demo_order=40,
    workbench="fangkong.registry.workbench.items",
)
