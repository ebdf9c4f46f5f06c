"""drf-spectacular's AutoSchema, writing into every operation the refusals it may answer
(``lapor.api_errors.refusals``) with their shapes: a 400 is ``InvalidInput`` (the message, or
each field with its messages), every other refusal is ``Error`` (``detail``), a 429 or 503
carries ``Retry-After``. A view's own ``extend_schema`` may add a status or describe one more
precisely; the shape of a refusal is the same everywhere, as the one exception handler makes
it."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent, get_view_model
from rest_framework.schemas.utils import get_pk_description

from lapor import api_errors


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path: str, path_regex: str, path_prefix: str, method: str,
                      registry: ComponentRegistry) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            self._document_refusals(operation)
        return operation

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        """An id restricted to digits in the URL (``lookup_value_regex = r"[0-9]+"``) is the
        integer primary key it always was, not a string with a pattern."""
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        for parameter in parameters:
            if parameter["schema"] == {"type": "string", "pattern": "^[0-9]+$"}:
                parameter["schema"] = {"type": "integer", "minimum": 0}
                if model is not None and not parameter.get("description"):
                    parameter["description"] = get_pk_description(model, model._meta.pk)
        return parameters

    def _document_refusals(self, operation: dict[str, Any]) -> None:
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p["in"] == "query"}
        responses: dict[str, Any] = operation["responses"]
        declared = {int(code) for code in responses if int(code) >= 400}
        codes = api_errors.refusals(
            method=self.method,
            signed_in_only={} not in operation.get("security", [{}]),
            path_parameters=any(p["in"] == "path" for p in parameters),
            query_parameters=bool(query),
            paginated="page" in query,
            body="requestBody" in operation,
            declared=declared,
        )
        error = self.resolve_serializer(api_errors.ErrorSerializer, "response").ref
        invalid = self._invalid_input().ref
        documented = {code: answer for code, answer in responses.items() if int(code) < 400}
        for code in sorted(codes):
            answer: dict[str, Any] = {"description": api_errors.REFUSALS[code]}
            own = responses.get(str(code), {}).get("description", "")
            # One body for every refusal, unless the view declares its own with its words
            # (the Error's fields and more: a filing held back lists the similar reports).
            own_schema = (responses.get(str(code), {}).get("content", {})
                          .get("application/json", {}).get("schema"))
            kept = code != 400 and own and own_schema and own_schema != error
            if kept:
                answer["description"] = own
            elif own and own != api_errors.REFUSED.description:
                answer["description"] += f" {own}"
            if code in (429, 503):
                answer["headers"] = api_errors.RETRY_AFTER_HEADER
            schema = own_schema if kept else invalid if code == 400 else error
            answer["content"] = {"application/json": {"schema": schema}}
            documented[str(code)] = answer
        operation["responses"] = documented

    def _invalid_input(self) -> ResolvedComponent:
        component = ResolvedComponent(
            name="InvalidInput", type=ResolvedComponent.SCHEMA,
            object="InvalidInput", schema=api_errors.INVALID_INPUT_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component
