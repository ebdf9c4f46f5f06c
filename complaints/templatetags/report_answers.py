"""``{% answers_of report as answered %}``: the report's answers to its category's extra
questions as (question, answer) pairs, for the staff's and the reporter's report pages."""

from __future__ import annotations

from django import template

from complaints import questions
from complaints.models import CategoryQuestion, Report

register = template.Library()


@register.simple_tag
def answers_of(report: Report) -> list[tuple[str, str]]:
    if not report.answers or report.category_id is None:
        return []
    # Questions deactivated since the report was filed still label its answers.
    asked = list(CategoryQuestion.objects.filter(category_id=report.category_id))
    return questions.shown(asked, report.answers)
