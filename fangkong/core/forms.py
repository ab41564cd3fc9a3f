"""Form helpers every page shares: Bootstrap's classes on the widgets, date inputs, and a
service's field-named errors put onto the form that sent the fields."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

# Widgets that draw themselves (radios and checkbox lists) or are not drawn.
_UNSTYLED = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.HiddenInput)


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget its Bootstrap class (kept where one is set already)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _UNSTYLED):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def date_input() -> forms.DateInput:
    # <input type="date"> takes ISO dates only, whatever the page's language.
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def field_errors(error: ValidationError | None) -> dict[str, list[str]]:
    """Field → messages of a service error; errors about no field go under "__all__"."""
    if error is None:
        return {}
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


def put_errors(
    form: forms.BaseForm,
    error: ValidationError,
    aliases: dict[str, str] | None = None,
    *,
    skip: Iterable[str] = (),
) -> None:
    """A service's field-named errors onto the form (`aliases`: service field → form
    field); errors of a field the form does not have go to the top of the form; fields
    starting with a `skip` prefix are shown elsewhere (rows of a list, say)."""
    aliases = aliases or {}
    prefixes = tuple(skip)
    for name, messages in field_errors(error).items():
        if prefixes and name.startswith(prefixes):
            continue
        target = aliases.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
