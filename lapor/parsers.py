"""The API's JSON parser: DRF's, with a bound on nesting and its refusals in the user's
language. A body of 5,000 ``[`` made Python's decoder raise RecursionError, which no one
caught (a 500); no request body of this API nests deeper than a few levels, so anything
deeper than ``MAX_DEPTH`` is refused with a 400 before a serializer sees it."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import get_encoding  # type: ignore[attr-defined]  # not in the stubs
from rest_framework.utils import json

MAX_DEPTH = 32


def depth_of(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (a scalar: 0), walked without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > MAX_DEPTH:
            return depth
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in children)
    return deepest


def too_deep() -> ParseError:
    return ParseError(
        _("Data JSON bersarang terlalu dalam: paling banyak %(depth)d tingkat.")
        % {"depth": MAX_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = get_encoding(parser_context or {})
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(codecs.getreader(encoding)(stream).read(),
                              parse_constant=parse_constant)
        except RecursionError:
            raise too_deep() from None
        except ValueError as error:  # malformed JSON, or bytes that are not in the encoding
            raise ParseError(
                _("Data JSON tidak dapat dibaca: %(error)s") % {"error": error}
            ) from None
        if depth_of(data) > MAX_DEPTH:
            raise too_deep()
        return data
