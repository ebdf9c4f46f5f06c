"""The statements built once per process (lapor.compiled_insert, lapor.compiled_query) write
and read exactly what Django's compiler would; a statement planned once per connection
(lapor.prepared) is prepared once on each and answers as written."""

from __future__ import annotations

import pytest
from django.db import connection, connections, models
from django.db.models.functions import Now
from django.forms.models import model_to_dict
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies import two_factor
from agencies.models import Body, Membership, Role, VerifiedApiToken
from agencies.two_factor_api import token_with_marks
from complaints.models import OutgoingEmail, Report
from lapor import compiled_insert
from lapor.prepared import PreparedStatement
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _as_django_inserts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled_insert.CompiledInsert, "_do_insert",
                        models.Model._do_insert)


def _stored(report: Report) -> dict[str, object]:
    row = model_to_dict(Report.objects.get(pk=report.pk))
    # what differs between two rows written a moment apart (auto_now fields, the number)
    for name in ("id", "tracking_number", "created_at", "updated_at"):
        row.pop(name, None)
    return row


def test_a_compiled_insert_writes_and_returns_what_djangos_would(monkeypatch):
    fields = {"title": "Jalan rusak, hubungi 081234567890", "answers": {"lebar": 3},
              "description": "Lubang besar di depan sekolah.", "reporter": UserFactory(),
              "submitted_at": timezone.now()}
    compiled = ReportFactory(**fields)
    key = next(k for k in compiled_insert._statements if k[0] is Report)
    assert compiled_insert._statements[key] is not None  # the compiled statement was used
    with monkeypatch.context() as patch:
        _as_django_inserts(patch)
        by_django = ReportFactory(**fields)
    assert _stored(compiled) == _stored(by_django)
    # what RETURNING gave back is set on the instance as Django sets it (the public copy is
    # the masked title; the JSON default comes back as a dict, not text)
    assert compiled.public_title == by_django.public_title
    assert "081234567890" not in compiled.public_title
    assert compiled.answers == {"lebar": 3}
    assert compiled.pk is not None and compiled._state.adding is False


def test_a_returned_json_column_is_converted():
    email = OutgoingEmail.objects.create(address="warga@example.id", subject="S", text="T")
    assert isinstance(email.headers, dict)
    assert OutgoingEmail.objects.get(pk=email.pk).headers == email.headers


def test_an_expression_value_goes_through_djangos_compiler():
    email = OutgoingEmail.objects.create(address="warga@example.id", subject="S", text="T",
                                         next_attempt_at=Now())
    email.refresh_from_db()
    assert email.next_attempt_at is not None


def _by_orm(key: str) -> Token:
    from agencies import access

    return (Token.objects.select_related("user", "second_factor")
            .annotate(has_memberships=access.has_memberships_subquery()).get(key=key))


def test_the_compiled_token_read_gives_what_the_orm_gives(django_assert_num_queries):
    citizen = UserFactory()
    citizens_token = Token.objects.create(user=citizen)
    officer = UserFactory()
    Membership.objects.create(user=officer, body=Body.objects.filter(is_active=True).first(),
                              role=Role.OPERATOR)
    officers_token = Token.objects.create(user=officer)
    two_factor.mark_token_verified(token=officers_token)
    for token in (citizens_token, officers_token):
        with django_assert_num_queries(1):
            read = token_with_marks.get(token.key)
            read.user.email  # noqa: B018 - read with the token, no query
        expected = _by_orm(token.key)
        assert (read.key, read.user_id, read.created) == (
            expected.key, expected.user_id, expected.created)
        assert model_to_dict(read.user) == model_to_dict(expected.user)
        assert read.has_memberships is expected.has_memberships
    assert citizens_token.key and not token_with_marks.get(citizens_token.key).has_memberships
    assert token_with_marks.get(officers_token.key).has_memberships
    assert token_with_marks.get(officers_token.key).second_factor.token_id == officers_token.key
    with pytest.raises(VerifiedApiToken.DoesNotExist):
        token_with_marks.get(citizens_token.key).second_factor  # noqa: B018
    with pytest.raises(Token.DoesNotExist):
        token_with_marks.get("0" * 40)


# --- statements planned once per connection (lapor.prepared) -------------------------------

def _spied(run):
    sent: list[str] = []

    def spy(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        rows = run()
    return sent, rows


_TWICE = PreparedStatement.of(
    "lapor_test_twice", "SELECT %(n)s * 2, %(word)s || %(word)s", {"n": "integer",
                                                                   "word": "text"})


def _run_twice(n: int) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        _TWICE.execute(cursor, {"n": n, "word": "ab"})
        return cursor.fetchall()


def test_a_prepared_statement_is_prepared_once_per_connection_with_its_parameters_in_order():
    assert _TWICE.positional_sql == "SELECT $1 * 2, $2 || $2"
    assert _TWICE.parameters == ("n", "word") and _TWICE.types == ("integer", "text")
    connections["default"].__dict__.pop("_lapor_prepared", None)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    sent, rows = _spied(lambda: [_run_twice(n) for n in (1, 2, 3)])
    assert rows == [[(2, "abab")], [(4, "abab")], [(6, "abab")]]
    assert [sql.split()[0] for sql in sent] == ["PREPARE", "EXECUTE", "EXECUTE", "EXECUTE"]


def test_a_new_connection_prepares_again():
    _run_twice(1)
    wrapper = connections["default"]
    held_by, _ = wrapper._lapor_prepared
    assert held_by is wrapper.connection
    # Django opened another session (the old one closed after CONN_MAX_AGE, say): what the
    # old one held is not assumed; the new one has nothing prepared
    wrapper._lapor_prepared = (object(), {"lapor_test_twice"})
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    sent, rows = _spied(lambda: _run_twice(5))
    assert rows == [(10, "abab")]
    assert [sql.split()[0] for sql in sent] == ["PREPARE", "EXECUTE"]


def test_behind_pgbouncer_the_statement_is_sent_as_written(monkeypatch):
    monkeypatch.setitem(connections["default"].settings_dict, "DISABLE_SERVER_SIDE_CURSORS",
                        True)
    sent, rows = _spied(lambda: _run_twice(4))
    assert rows == [(8, "abab")]
    assert sent == [_TWICE.named_sql]
