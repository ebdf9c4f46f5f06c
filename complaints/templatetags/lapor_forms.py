"""``{% options %}``: the <option> elements of a filter's select, written in Python.

A staff filter form lists hundreds of options (the regencies of a province, the bodies of a
subtree); a template loop with an ``{% if %}`` per option costs more than the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_SELECTED = mark_safe(" selected")  # noqa: S308 - a constant


@register.simple_tag
def options(choices: Iterable[Any], selected: Any = "", value_attr: str = "",
            label_attr: str = "") -> SafeString:
    """One escaped <option> per choice, the one equal to ``selected`` marked. A choice is a
    (value, label) pair, or an object whose ``value_attr`` and ``label_attr`` are used."""
    chosen = "" if selected is None else str(selected)

    def pairs() -> Iterable[tuple[Any, Any, Any]]:
        for choice in choices:
            if value_attr:
                value, label = getattr(choice, value_attr), getattr(choice, label_attr)
            else:
                value, label = choice
            yield value, _SELECTED if str(value) == chosen else "", label

    return format_html_join("", '<option value="{}"{}>{}</option>', pairs())
