"""The staff actions through the API: one endpoint per action of the registry
(routing.actions), ``POST /api/v1/staff/reports/<number>/actions/<name>/``, each with its own
request shape in the OpenAPI schema. The page's form validates, so the messages are the page's;
the serializer only describes the fields to the schema."""

from __future__ import annotations

from typing import Any

from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.signed_in import signed_in_user
from complaints import selectors as report_selectors
from complaints.forms import MultipleFileField
from complaints.models import Report
from lapor.api_errors import REFUSED
from lapor.parsers import JSONParser
from routing.actions import ACTIONS, Action, available_actions
from routing.api.serializers import StaffReportSerializer
from routing.forms import AssignForm, DisposeDownForm


def _described(field: forms.Field) -> serializers.Field:
    """A serializer field that says to the schema what the form field takes."""
    common: dict[str, Any] = {"required": field.required, "help_text": str(field.label or "")}
    if isinstance(field, MultipleFileField):
        return serializers.ListField(child=serializers.FileField(), **common)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField | forms.IntegerField):
        return serializers.IntegerField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if isinstance(field, forms.ChoiceField):
        # Django normalises choices (a callable becomes a CallableChoiceIterator); the stubs'
        # getter type still includes a bare callable.
        return serializers.ChoiceField(choices=list(field.choices), **common)  # type: ignore[arg-type]
    return serializers.CharField(**common)


def request_serializer(slug: str, action: Action) -> type[serializers.Serializer]:
    """The action's request shape, from its form's fields."""
    fields = {name: _described(field) for name, field in action.form.base_fields.items()}
    name = "".join(part.title() for part in action.api_name.split("-")) + "Request"
    return type(name, (serializers.Serializer,), fields)


class StaffActionView(APIView):
    """One staff action on one report (the subclasses below name which)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    slug = ""

    def post(self, request: Request, tracking_number: str) -> Response:
        report = (
            Report.objects.select_related("category", "holder_body", "province", "regency",
                                          "district")
            .filter(tracking_number=tracking_number).first()
        )
        if report is None or not report_selectors.is_staff_viewer(request.user, report):
            raise NotFound()
        if self.slug not in available_actions(signed_in_user(request), report):
            raise PermissionDenied("Tindakan ini tidak tersedia untuk Anda pada laporan ini.")
        spec = ACTIONS[self.slug]
        kwargs: dict[str, Any] = {}
        if spec.form in (DisposeDownForm, AssignForm):
            kwargs["holder"] = report.holder_body
        form = spec.form(request.data, request.FILES, **kwargs)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        result = spec.run(report, signed_in_user(request), form.cleaned_data,
                          form.cleaned_data.get("attachments") or [])
        # The result of the act, even when the actor can no longer see the report (a verifier
        # after a rejection, an operator after a redirect): its actions then come back empty.
        result = Report.objects.select_related(
            "category", "holder_body", "province", "regency", "district"
        ).get(pk=result.pk)
        return Response(StaffReportSerializer(result, context={"request": request}).data)


def _view_for(slug: str, action: Action) -> type[StaffActionView]:
    shape = request_serializer(slug, action)

    def post(self: StaffActionView, request: Request, tracking_number: str) -> Response:
        return StaffActionView.post(self, request, tracking_number)

    post.__doc__ = str(action.label)
    documented = extend_schema(
        operation_id=f"staff_reports_{action.api_name.replace('-', '_')}",
        summary=str(action.label),
        request={"application/json": shape, "multipart/form-data": shape},
        responses={200: StaffReportSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED,
                   409: REFUSED, 429: REFUSED},
    )(post)
    return type(f"{shape.__name__[:-len('Request')]}ActionView", (StaffActionView,),
                {"slug": slug, "post": documented, "__doc__": str(action.label)})


ACTION_VIEWS: dict[str, type[StaffActionView]] = {
    action.api_name: _view_for(slug, action) for slug, action in ACTIONS.items()
}
