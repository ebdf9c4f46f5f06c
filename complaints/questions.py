"""The extra questions of a category (``CategoryQuestion``) and the rules of their answers,
shared by the filing form, the API, Open311 and the submit service: every entry point parses
the same way and says the same sentence. An answer's error is keyed ``answers.<code>``."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from agencies.config_cache import cache as config_cache
from complaints.models import Category, CategoryQuestion, QuestionKind

ANSWER_MAX = 500
NUMBER_MAX = Decimal("1e12")


def field_name(question: CategoryQuestion) -> str:
    """The name of the question's field on the form and in error messages."""
    return f"answers.{question.code}"


def questions_of(category: Category | int | None) -> list[CategoryQuestion]:
    """The active questions of ``category`` in the admin's order ([] without a category)."""
    if category is None or category == "":
        return []
    category_id = category.pk if isinstance(category, Category) else category

    def load() -> list[CategoryQuestion]:
        return list(CategoryQuestion.objects.using(DEFAULT_DB_ALIAS).filter(
            category_id=category_id, is_active=True))

    # Through the per-process config cache (a question's write bumps the config version), so
    # filing reads no question once known; a copy of the list, the questions are shared.
    return list(config_cache.get(("category_questions", category_id), load))


def parse_answer(question: CategoryQuestion, raw: Any) -> str:
    """The stored form of ``raw`` (a string as typed, or a number/date from JSON), "" for no
    answer; raises ValueError with the message to show."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or isinstance(raw, list | dict):
        raise ValueError(_("Jawaban tidak dapat dibaca."))
    text = str(raw).strip()
    if not text:
        return ""
    if len(text) > ANSWER_MAX:
        raise ValueError(_("Jawaban paling banyak %(max)d karakter.") % {"max": ANSWER_MAX})
    if question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Isi dengan angka, mis. 12 atau 3,5.")) from None
        if not number.is_finite() or abs(number) >= NUMBER_MAX:
            raise ValueError(_("Isi dengan angka, mis. 12 atau 3,5."))
        return format(number.normalize(), "f")
    if question.kind == QuestionKind.DATE:
        try:
            day = datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(_("Isi tanggal dengan format TTTT-BB-HH, mis. 2025-03-17.")) \
                from None
        return day.isoformat()
    if question.kind == QuestionKind.CHOICE:
        keys = {key for key, _label in question.choice_list()}
        if text not in keys:
            raise ValueError(_("Pilih salah satu pilihan yang tersedia."))
    return text


def parse_answers(questions: list[CategoryQuestion], raw: dict[str, Any]
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """Split ``raw`` (by code) into the answers that parsed (blank ones included as "", so a
    cleared answer is cleared) and the errors, by ``answers.<code>``. Codes of no question of
    the category are ignored."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if question.code not in raw:
            continue
        try:
            values[question.code] = parse_answer(question, raw[question.code])
        except ValueError as error:
            errors[field_name(question)] = str(error)
    return values, errors


def merged(kept: dict[str, Any], new: dict[str, str],
           questions: list[CategoryQuestion]) -> dict[str, str]:
    """The answers a draft keeps: ``kept`` updated with ``new`` (blank clears), limited to the
    questions of the report's category now."""
    answers = {**kept, **new}
    return {q.code: str(answers[q.code]) for q in questions
            if str(answers.get(q.code) or "").strip()}


def missing(questions: list[CategoryQuestion], answers: dict[str, Any]) -> dict[str, str]:
    """The required questions without an answer, for a submission."""
    return {field_name(q): _("Pertanyaan ini wajib dijawab.") for q in questions
            if q.is_required and not str(answers.get(q.code) or "").strip()}


def shown(questions: list[CategoryQuestion], answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer as people read it) for each answered question, in order; a choice
    reads as its label."""
    out = []
    for question in questions:
        value = str(answers.get(question.code) or "")
        if not value:
            continue
        if question.kind == QuestionKind.CHOICE:
            value = dict(question.choice_list()).get(value, value)
        out.append((question.label, value))
    return out
