"""GeoReport v2 documents as JSON or XML (the format is the path's suffix), and its errors: a
list of {code, description}, in XML <errors><error>…</error></errors>."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

from lapor.errors import DomainError, Invalid

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# A list's XML element and the element of each of its items.
ITEM_TAGS = {
    "services": "service", "service_requests": "request", "attributes": "attribute",
    "values": "value", "endpoints": "endpoint", "formats": "format", "errors": "error",
}
# Our field names as a GeoReport client knows them, for the description of an error.
OPEN311_NAMES = {
    "category": "service_code", "province": "jurisdiction_id", "regency": "jurisdiction_id",
    "district": "jurisdiction_id", "latitude": "lat", "longitude": "long",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def document(root: str, content: Any, fmt: str, status: int = 200) -> HttpResponse:
    """``content`` (lists and dicts of plain values) as JSON, or as XML under ``root``."""
    if fmt == "json":
        body = json.dumps(content, ensure_ascii=False).encode()
    else:
        element = ElementTree.Element(root)
        _fill(element, content)
        body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(items: list[tuple[int, str]], fmt: str, status: int) -> HttpResponse:
    return document("errors", [{"code": code, "description": text} for code, text in items],
                    fmt, status=status)


def domain_error(error: DomainError, fmt: str) -> HttpResponse:
    """A refusal of our services in the spec's shape: one entry per wrong field, its name as
    the GeoReport client sent it (``attribute[code]`` for an extra question)."""
    if isinstance(error, Invalid) and error.errors:
        items = []
        for field, message in error.errors.items():
            name = (f"attribute[{field.removeprefix('answers.')}]"
                    if field.startswith("answers.") else OPEN311_NAMES.get(field, field))
            items.append((error.status, f"{name}: {message}"))
    else:
        items = [(error.status, str(error))]
    response = errors(items, fmt, error.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
