"""Cases (*kasus bersama*) in the staff API: group reports a body holds into a case, read a
case with its reports, give the case its one final answer (``routing.services.cases``, the
same services as the staff pages)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.signed_in import signed_in_user
from lapor.api_errors import ErrorSerializer
from routing.models import Case
from routing.selectors import cases_visible_to
from routing.services import cases


class CaseCreateSerializer(serializers.Serializer):
    reports = serializers.ListField(child=serializers.CharField(), help_text="Nomor laporan.")
    title = serializers.CharField(max_length=cases.TITLE_MAX, allow_blank=True)


class CaseAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True,
                                   help_text="Jawaban akhir untuk setiap laporan kasus.")


class CaseReportSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    waits_for_answer = serializers.BooleanField()


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    holder_body = serializers.CharField(source="holder_body.name")
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    reports = CaseReportSerializer(many=True)


def _body(case: Case) -> dict[str, object]:
    waiting = {r.pk for r in cases.answerable(case)}
    reports = list(cases.case_reports(case))
    for report in reports:
        report.waits_for_answer = report.pk in waiting  # type: ignore[attr-defined]
    return CaseSerializer({
        "id": case.pk, "title": case.title, "holder_body": case.holder_body,
        "created_at": case.created_at, "answered_at": case.answered_at, "reports": reports,
    }).data


def _case(request: Request, pk: int) -> Case:
    case = cases_visible_to(signed_in_user(request)).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


class CaseCreateView(APIView):
    """Group two or more reports one body holds (and the user may act on) into a case."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="staff_cases_create", request=CaseCreateSerializer,
                   responses={201: CaseSerializer, 400: ErrorSerializer, 403: ErrorSerializer})
    def post(self, request: Request) -> Response:
        shape = CaseCreateSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        case = cases.group_reports(numbers=shape.validated_data["reports"],
                                   title=shape.validated_data["title"],
                                   actor=signed_in_user(request))
        return Response(_body(case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    """A case with its reports (404 for a body's case the user does not see)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="staff_cases_retrieve",
                   responses={200: CaseSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_body(_case(request, pk)))


class CaseAnswerView(APIView):
    """The case's final answer, given to each of its reports still handled by its body."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="staff_cases_answer", request=CaseAnswerSerializer,
                   responses={200: CaseSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        shape = CaseAnswerSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        cases.answer_case(case=case, actor=signed_in_user(request),
                          answer=shape.validated_data["answer"])
        case.refresh_from_db()
        return Response(_body(case))
