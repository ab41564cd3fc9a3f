"""Excel out: the people an account may see, with the list's filters, masked by default,
audited, streamed (the page is people.views.people_export). The columns are the import's
(人员编号 first), so a sheet edited in Excel imports back as an update of the same people."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from fangkong.areas.selectors import area_visible_by_code
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_export, audit_record
from fangkong.core.crypto import decrypt
from fangkong.core.errors import invalid
from fangkong.core.ids import parse_id
from fangkong.core.xlsx import EXCEL_MAX_ROWS, EXCEL_MIME, stream_xlsx
from fangkong.registry.imports.excel import COLUMNS
from fangkong.registry.models import (
    DocumentType,
    Person,
    ResidenceKind,
    Residency,
    Sex,
    Whereabouts,
)
from fangkong.registry.module import RegistryCapability
from fangkong.registry.people.selectors import PeopleFilter, people_list

CHUNK = 2000

_FIELDS = (
    "id",
    "name",
    "document_type",
    "document_masked",
    "phone_masked",
    "sex",
    "birth_date",
    "residency",
    "whereabouts",
    "away_from",
    "area__code",
    "home__address__building",
    "home__address__entrance",
    "home__address__room",
    "home__kind",
    "home__since",
    "home__landlord__document_masked",
    "employer__name",
)
_FULL_FIELDS = ("document_cipher", "phone_cipher", "home__landlord__document_cipher")


def export_filters(*, user: Any, params: Mapping[str, str]) -> PeopleFilter:
    """The people list's filters from a query string (area, whereabouts, residence_kind,
    round, q). An area outside the account's scope is an error, not "everything"."""
    code = (params.get("area") or "").strip()
    area = area_visible_by_code(user=user, code=code) if code else None
    whereabouts = params.get("whereabouts") or ""
    kind = params.get("residence_kind") or ""
    round_id = params.get("round") or ""
    if whereabouts and whereabouts not in Whereabouts.values:
        raise invalid(
            "whereabouts",
            _("未知的去向“%(whereabouts)s”") % {"whereabouts": whereabouts},
            "invalid_choice",
        )
    if kind and kind not in ResidenceKind.values:
        raise invalid(
            "residence_kind", _("未知的居住类型“%(kind)s”") % {"kind": kind}, "invalid_choice"
        )
    return PeopleFilter(
        area=area,
        whereabouts=whereabouts,
        residence_kind=kind,
        round_id=parse_id(round_id),
        name=(params.get("q") or "").strip(),
    )


def export_queryset(*, user: Any, filters: PeopleFilter) -> QuerySet[Person]:
    return (
        people_list(user=user, filters=filters)
        .select_related(None)
        .prefetch_related(None)
        .annotate(home=FilteredRelation("residences", condition=Q(residences__until__isnull=True)))
        .order_by("id")
    )


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(code): str(label) for code, label in choices.choices}


def _plain(blob: Any) -> str:
    return decrypt(blob) if blob else ""


def export_rows(qs: QuerySet[Person], *, full: bool = False) -> Iterator[list[Any]]:
    """One list per person in COLUMNS order; the database is read 2,000 rows at a time."""
    doc_types, sexes = _labels(DocumentType), _labels(Sex)
    residencies, whereabouts, kinds = (
        _labels(Residency),
        _labels(Whereabouts),
        _labels(ResidenceKind),
    )
    fields = _FIELDS + (_FULL_FIELDS if full else ())
    for p in qs.values(*fields).iterator(chunk_size=CHUNK):
        if full:
            document = _plain(p["document_cipher"])
            phone = _plain(p["phone_cipher"])
            landlord = _plain(p["home__landlord__document_cipher"])
        else:
            document, phone = p["document_masked"], p["phone_masked"]
            landlord = p["home__landlord__document_masked"] or ""
        since = p["home__since"]
        birth = p["birth_date"]
        yield [
            p["id"],
            p["name"],
            doc_types.get(p["document_type"], ""),
            document,
            phone,
            sexes.get(p["sex"], ""),
            birth.isoformat() if birth else "",
            residencies.get(p["residency"], ""),
            whereabouts.get(p["whereabouts"], ""),
            p["away_from"],
            p["area__code"],
            p["home__address__building"] or "",
            p["home__address__entrance"] or "",
            p["home__address__room"] or "",
            kinds.get(p["home__kind"] or "", ""),
            since.isoformat() if since else "",
            landlord,
            p["employer__name"] or "",
        ]


def people_export_response(
    *, user: Any, filters: PeopleFilter, full: bool = False, request: HttpRequest | None = None
) -> StreamingHttpResponse:
    """The streamed workbook, audited before the first byte. Shared by the page and the
    API: raises ValidationError (too many rows) and PermissionDenied (full without the
    right to see full numbers)."""
    if full and not user.can(RegistryCapability.REVEAL):
        raise PermissionDenied
    qs = export_queryset(user=user, filters=filters)
    # Counted without the joins the columns need: the same people, sooner.
    count = people_list(user=user, filters=filters).select_related(None).count()
    if count >= EXCEL_MAX_ROWS:
        raise invalid(
            "area",
            _("共 %(count)s 人，超过 Excel 单表上限 %(limit)s 行：请按社区或片区筛选后分批导出")
            % {"count": count, "limit": EXCEL_MAX_ROWS - 1},
            "too_many_rows",
        )
    area = filters.area or getattr(user, "area", None)
    audit_export(
        actor=user,
        what="registry.person.full" if full else "registry.person",
        rows=count,
        request=request,
        area=area,
    )
    if full:
        audit_record(
            actor=user,
            action=AuditAction.VIEW_RECORD,
            request=request,
            object_type="registry.person",
            area=area,
            detail=f"导出完整证件号和电话 {count} 行",
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"人员-{filters.area.code if filters.area else '全部'}-{stamp}.xlsx"
    response = StreamingHttpResponse(
        stream_xlsx(export_rows(qs, full=full), columns=COLUMNS), content_type=EXCEL_MIME
    )
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # let nginx pass the stream on as it comes
    return response
