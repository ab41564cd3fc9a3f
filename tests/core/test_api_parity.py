"""Every action a page offers has an API operation in the schema, so an integrator can run
the whole story over HTTP. A page that handles POST must be listed here with its operation;
a new one fails this test until it is."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

# page URL name → (method, API path) of the same action.
PARITY: dict[str, tuple[str, str]] = {
    "policy:new": ("post", "/api/v1/policies/"),
    "policy:detail": ("patch", "/api/v1/policies/{id}/"),
    "policy:publish": ("post", "/api/v1/policies/{id}/publish/"),
    "policy:delete": ("delete", "/api/v1/policies/{id}/"),
    "registry:person-new": ("post", "/api/v1/people/"),
    "registry:person-merge": ("post", "/api/v1/people/{id}/merge/"),
    "registry:person-edit": ("patch", "/api/v1/people/{id}/"),
    "registry:person-reveal": ("get", "/api/v1/people/{id}/full/"),
    "registry:round-new": ("post", "/api/v1/screening-rounds/"),
    "registry:round-visit": ("post", "/api/v1/screening-rounds/{id}/visits/"),
    "registry:imports": ("post", "/api/v1/imports/"),
    "registry:import-confirm": ("post", "/api/v1/imports/{id}/confirm/"),
    "registry:import-cancel": ("post", "/api/v1/imports/{id}/cancel/"),
    "registry:import-sheet": ("post", "/api/v1/imports/{id}/sheet/"),
    "registry:transfer-new": ("post", "/api/v1/transfers/"),
    "registry:transfer-accept": ("post", "/api/v1/transfers/{id}/accept/"),
    "registry:transfer-refuse": ("post", "/api/v1/transfers/{id}/refuse/"),
    "registry:transfer-cancel": ("post", "/api/v1/transfers/{id}/cancel/"),
    "arrivals:notice-new": ("post", "/api/v1/arrival-notices/"),
    "arrivals:notice-confirm": ("post", "/api/v1/arrival-notices/{id}/confirm/"),
    "arrivals:notice-reject": ("post", "/api/v1/arrival-notices/{id}/reject/"),
    "arrivals:notice-reschedule": ("post", "/api/v1/arrival-notices/{id}/reschedule/"),
    "arrivals:unannounced-new": ("post", "/api/v1/unannounced-arrivals/"),
    "arrivals:inspection-new": ("post", "/api/v1/arrival-notices/{id}/inspections/"),
    "arrivals:letter-new": ("post", "/api/v1/arrival-notices/{id}/letter/"),
    "arrivals:spot-checks-plan": ("post", "/api/v1/arrival-notices/{id}/spot-checks/"),
    "arrivals:spot-check": ("post", "/api/v1/spot-checks/{id}/"),
    "arrivals:notice-arrive": ("post", "/api/v1/arrival-notices/{id}/arrive/"),
    "arrivals:observation-new": ("post", "/api/v1/observations/"),
    "arrivals:observation-extend": ("post", "/api/v1/observations/{id}/extend/"),
    "arrivals:observation-shorten": ("post", "/api/v1/observations/{id}/shorten/"),
    "arrivals:observation-release": ("post", "/api/v1/observations/{id}/release/"),
    "arrivals:observation-hospital": ("post", "/api/v1/observations/{id}/hospital/"),
    "arrivals:observation-cancel": ("post", "/api/v1/observations/{id}/cancel/"),
    "arrivals:observation-report": ("post", "/api/v1/observations/{id}/reports/"),
    "arrivals:alert-handle": ("post", "/api/v1/alerts/{id}/handle/"),
    "arrivals:task-done": ("post", "/api/v1/call-tasks/{id}/done/"),
    "arrivals:task-assign": ("post", "/api/v1/call-tasks/{id}/assign/"),
    "arrivals:task-attempt": ("post", "/api/v1/call-tasks/{id}/attempts/"),
    "access:pass-new": ("post", "/api/v1/passes/"),
    "access:pass-action": ("post", "/api/v1/passes/{id}/{action}/"),
    "access:gates": ("post", "/api/v1/gates/"),
    "access:referral-handle": ("post", "/api/v1/gate-referrals/{id}/handle/"),
    "access:gate-visit": ("post", "/api/v1/visits/"),
    "contacts:call": ("post", "/api/v1/calls/"),
    "rounds:place-new": ("post", "/api/v1/rounds/places/"),
    "rounds:plan-new": ("post", "/api/v1/rounds/plans/"),
    "rounds:plan-end": ("post", "/api/v1/rounds/plans/{id}/end/"),
    "rounds:record": ("post", "/api/v1/rounds/records/"),
    "supplies:store-new": ("post", "/api/v1/supplies/stores/"),
    "supplies:movement": ("post", "/api/v1/supplies/movements/"),
    "supplies:minimum": ("post", "/api/v1/supplies/minimums/"),
    "supplies:reverse": ("post", "/api/v1/supplies/movements/{id}/reverse/"),
    "party:donate": ("post", "/api/v1/donations/"),
    "party:reverse": ("post", "/api/v1/donations/{id}/reverse/"),
    "party:remit": ("post", "/api/v1/donations/remittances/"),
    "party:receive": ("post", "/api/v1/donations/remittances/{id}/receive/"),
    "party:import": ("post", "/api/v1/donations/imports/"),
    "party:import-confirm": ("post", "/api/v1/donations/imports/{id}/confirm/"),
    "party:advance": ("post", "/api/v1/party/candidates/{id}/advance/"),
    "party:meeting-new": ("post", "/api/v1/party/meetings/"),
    "party:org-new": ("post", "/api/v1/party/orgs/"),
    "party:members": ("post", "/api/v1/party/members/"),
    "party:candidate-new": ("post", "/api/v1/party/candidates/"),
    "quality:product-new": ("post", "/api/v1/quality/products/"),
    "quality:batch-new": ("post", "/api/v1/quality/batches/"),
    "quality:inspect": ("post", "/api/v1/quality/batches/{id}/inspection/"),
    "quality:pack": ("post", "/api/v1/quality/batches/{id}/pack/"),
    "unitduty:report": ("post", "/api/v1/unitduty/reports/"),
    "unitduty:profile": ("post", "/api/v1/unitduty/units/{id}/profile/"),
    "unitduty:dormitory-new": ("post", "/api/v1/unitduty/dormitories/"),
    "unitduty:room-new": ("post", "/api/v1/unitduty/dormitories/{id}/rooms/"),
    "unitduty:dormitory-check": ("post", "/api/v1/unitduty/dormitories/{id}/check/"),
    "unitduty:finding-new": ("post", "/api/v1/unitduty/findings/"),
    "unitduty:finding-close": ("post", "/api/v1/unitduty/findings/{id}/close/"),
    "unitduty:inspection-new": ("post", "/api/v1/unitduty/inspections/"),
    "unitduty:letter-new": ("post", "/api/v1/unitduty/letters/"),
    "unitduty:chief-set": ("post", "/api/v1/unitduty/units/{id}/chiefs/"),
    "public:self-report": ("post", "/api/v1/self-reports/{token}/"),
    "public:notice": ("post", "/api/v1/public-notices/{token}/"),
    "duty:people": ("post", "/api/v1/duty/people/"),
    "duty:post-new": ("post", "/api/v1/duty/posts/"),
    "duty:assign": ("post", "/api/v1/duty/assignments/"),
    "duty:unassign": ("delete", "/api/v1/duty/assignments/{id}/"),
    "duty:swap": ("post", "/api/v1/duty/assignments/swap/"),
    "duty:copy-week": ("post", "/api/v1/duty/posts/{id}/copy-week/"),
    "duty:pattern": ("put", "/api/v1/duty/posts/{id}/shifts/"),
    "supplies:item-new": ("post", "/api/v1/supplies/items/"),
    "supplies:item-active": ("patch", "/api/v1/supplies/items/{id}/"),
    "duty:shift-needed": ("patch", "/api/v1/duty/shifts/{id}/"),
    "duty:sign": ("post", "/api/v1/duty/posts/{id}/sign-in/"),
    "duty:sign-out": ("post", "/api/v1/duty/attendances/{id}/sign-out/"),
    "care:call-record": ("post", "/api/v1/care/calls/"),
    "care:request-new": ("post", "/api/v1/care/requests/"),
    "care:request-take": ("post", "/api/v1/care/requests/{id}/take/"),
    "care:request-close": ("post", "/api/v1/care/requests/{id}/close/"),
    "public:care-help": ("post", "/api/v1/care/self-requests/{token}/"),
    "care:announcement-new": ("post", "/api/v1/care/announcements/"),
    "care:announcement-withdraw": ("post", "/api/v1/care/announcements/{id}/withdraw/"),
    "cadres:new": ("post", "/api/v1/cadres/"),
    "cadres:health": ("post", "/api/v1/cadres/{id}/health-checks/"),
    "cadres:sign-in": ("post", "/api/v1/cadres/{id}/sign-ins/"),
    "cadres:reassign": ("post", "/api/v1/cadres/{id}/reassign/"),
    "cadres:end": ("post", "/api/v1/cadres/{id}/end/"),
    "cadres:insurance": ("post", "/api/v1/cadres/{id}/insurances/"),
    "cadres:training": ("post", "/api/v1/cadres/{id}/trainings/"),
    "cadres:organ-sends": ("post", "/api/v1/cadres/organs/{id}/sends/"),
    "cadres:allocation": ("post", "/api/v1/cadres/allocation/"),
}
# Page actions without an API operation yet, each named here (the list should only shrink).
GAPS: set[str] = set()


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{ns}:{p.name}" if ns else p.name), p.callback


def _takes_post(callback: Any) -> bool:
    view = inspect.unwrap(callback)
    source = inspect.getsource(getattr(callback, "view_class", view))
    module = inspect.getsource(inspect.getmodule(view))  # type: ignore[arg-type]
    decorated = module.split(f"def {view.__name__}(")[0][-300:]
    return "POST" in source or "require_POST" in decorated.rsplit("\n\n", 1)[-1]


def test_every_page_action_has_an_api_operation() -> None:
    pages = {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if not name.startswith(("api:", "admin:", "schema", "api-docs", "set_language"))
        and _takes_post(callback)
    }
    assert pages - GAPS == set(PARITY), "pages with a POST action need their API operation"
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for page, (method, path) in PARITY.items():
        operation = schema["paths"].get(path, {}).get(method)
        assert operation is not None, (page, method, path)


# Nothing may be missing here.
UNDOCUMENTED_ERRORS: set[tuple[str, str]] = set()
# The personal self-report link answers an unknown or forged token with 400 (and an
# expired one with 403), never 404: its token is checked, not looked up.
NO_NOT_FOUND = {("post", "/api/v1/self-reports/{token}/")}
WRITES = ("post", "put", "patch", "delete")


def test_every_write_operation_documents_its_errors() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    seen = set()
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            seen.add((method, path))
            if (method, path) in UNDOCUMENTED_ERRORS:
                continue
            codes = set(operation["responses"])
            needed = set()
            if "requestBody" in operation or method != "delete":
                needed.add("400")
            if "{" in path and (method, path) not in NO_NOT_FOUND:
                needed.add("404")
            if not needed <= codes:
                missing.append((method, path, sorted(needed - codes)))
    assert missing == []
    # The exceptions still exist (remove them from the lists once they are gone).
    assert seen >= UNDOCUMENTED_ERRORS | NO_NOT_FOUND


def test_documented_errors_are_the_error_body() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    errors = schema["paths"]["/api/v1/transfers/{id}/refuse/"]["post"]["responses"]
    for code in ("400", "403", "404", "409"):
        body = errors[code]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/ErrorBody"}
    throttled = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"400", "429"} <= set(throttled)
