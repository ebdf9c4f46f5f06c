"""Schemathesis over the whole OpenAPI schema, against a live server (a thread serving the
portal over HTTP on the test database), as three callers: anonymous, a citizen and an operator
of Kota Semarang, each with its API token. Every operation gets a few generated requests that
fit the schema and a few that do not, each sent as all three callers; operations on something
that exists (a report with a photo, a body, a membership, …) get a few more with its id in the
path, so that their answers of success are checked too, not only their 404s. Every answer must
be no server error and match the schema: a documented status code, its content type, its
body's schema, its headers (``Retry-After`` on a 429 or 503).

Bounded: a fixed number of examples per operation and mode, derandomized (every run sends the
same requests), no shrinking, and a time budget past which the remaining cases are counted as
not run (but an operation not reached yet still gets its first case). About 1,700 requests
in under a minute on a busy 2-core machine. The figures (operations, cases, requests,
failures) are printed.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy

import pytest
import requests
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers import basehttp
from django.db import DEFAULT_DB_ALIAS, connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies import two_factor
from agencies.models import Role
from complaints.services import intake
from lapor.db_router import REPLICA
from tests.complaints.images import png
from tests.conftest import make_user, verified_api_token
from tests.factories import public_report

# The server answers from its own thread and connections: the rows the fixtures write are
# committed so that it sees them (and flushed after the test).
pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,  # Retry-After on every 429 and 503
]
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 3}
KNOWN_EXAMPLES = 2  # per operation on something that exists (see ``known``)
BUDGET_SECONDS = 75.0
# Signing out through the API deletes the caller's token; the run signs them back in after.
SIGN_OUT = ("DELETE", "/api/v1/auth/token/")


@dataclass
class Run:
    started: float = field(default_factory=time.monotonic)
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    requests: int = 0
    not_run: int = 0
    waited: float = 0.0
    unsatisfiable: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > BUDGET_SECONDS


class _Server(basehttp.WSGIServer):
    """Django's development server, one request at a time, with Nagle's algorithm off: its
    headers and body leave in two writes, and with Nagle on the second waits out the client's
    delayed ACK (40 ms a request, which is most of the run's time)."""

    def get_request(self):
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


def _serve(server: _Server) -> None:
    try:
        server.serve_forever(poll_interval=0.05)
    finally:
        connections.close_all()  # this thread's, so the test database can be dropped


@pytest.fixture
def api_server(agency_tree):
    """The portal served over HTTP from a thread, on the test database."""
    server = _Server(("127.0.0.1", 0), basehttp.WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=_serve, args=(server,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """The run's rate-limit counters (it registers, resets passwords and looks reports up
    hundreds of times from 127.0.0.1) start from zero and stay out of every other test's way."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-fuzz-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def callers(agency_tree):
    """Anonymous, a citizen and an operator of Kota Semarang, the latter two with tokens."""
    citizen = make_user("fuzz.warga@example.id", "Warga Uji")
    operator = make_user("fuzz.operator@example.id", "Operator Uji", Role.OPERATOR,
                         "regency-33.74")
    return {
        "anonymous": None,
        "citizen": (citizen, Token.objects.create(user=citizen).key),
        # Issued as the API issues it to staff: after the second factor's code.
        "operator": (operator, verified_api_token(operator).key),
    }


@pytest.fixture
def known(callers, tmp_path, settings):
    """Things that exist, by the path that names them: a public report of the citizen's, held
    by the operator's body, with a photo; the body, its membership, a category, a region. Cases
    with these in their path reach the views' answers of success, not only their 404s."""
    settings.MEDIA_ROOT = tmp_path
    citizen, operator = callers["citizen"][0], callers["operator"][0]
    report = public_report(reporter=citizen)
    photo = intake.add_attachment(report=report, upload=png(), actor=citizen)
    membership = operator.memberships.get()
    return {
        "/api/v1/reports/{id}/": {"id": report.pk},
        "/api/v1/attachments/{id}/": {"id": photo.pk},
        "/api/v1/bodies/{id}/": {"id": membership.body_id},
        "/api/v1/memberships/{id}/": {"id": membership.pk},
        "/api/v1/categories/{id}/": {"id": report.category_id},
        "/api/v1/regions/{code}/": {"code": "33.74"},
        "/api/v1/track/{tracking_number}/": {"tracking_number": report.tracking_number},
        "/api/v1/public/reports/{tracking_number}/": {
            "tracking_number": report.tracking_number},
        "/api/v1/staff/reports/{tracking_number}/": {
            "tracking_number": report.tracking_number},
    }


def _send(case, caller, identity, base_url, session, run: Run) -> None:
    headers = {"Authorization": f"Token {identity[1]}"} if identity else {}
    run.requests += 1
    sent = time.monotonic()
    try:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
    except requests.RequestException as error:
        run.failures[(case.operation.label, caller, "no answer")] = repr(error)
        return
    finally:
        run.waited += time.monotonic() - sent
    run.statuses[response.status_code] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            key = (case.operation.label, caller, failure.title)
            run.failures.setdefault(key, f"{response.status_code}: {failure.message}"[:600])
    if identity and (case.method.upper(), case.operation.path) == SIGN_OUT:
        token, _ = Token.objects.get_or_create(user=identity[0], defaults={"key": identity[1]})
        if two_factor.must_verify(identity[0]):
            two_factor.mark_token_verified(token=token)


def _fuzz(operation, mode, callers, base_url, session, run: Run, path_parameters=None) -> None:
    """A few cases of ``operation`` in ``mode``, each sent as every caller."""

    @settings(
        max_examples=EXAMPLES[mode] if path_parameters is None else KNOWN_EXAMPLES,
        derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def one(case):
        # Past the budget an operation still gets its first case (every operation must
        # have had one, however busy the machine); only the further ones are skipped.
        if run.out_of_time() and operation.label in run.operations:
            run.not_run += 1
            return
        run.cases += 1
        run.operations.add(operation.label)
        for caller, identity in callers.items():
            _send(case, caller, identity, base_url, session, run)

    try:
        one()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (no parameters, no body): no
        # negative case exists for it.
        run.unsatisfiable.add(operation.label)


def _known_parameters(operation, known):
    for prefix, parameters in known.items():
        if operation.path.startswith(prefix):
            return parameters
    return None


def test_the_api_answers_as_its_schema_says(api_server, callers, known, capsys):
    schema = schemathesis.openapi.from_url(f"{api_server}/api/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    session = requests.Session()
    # Callers are who their token says: no cookie (a session, a CSRF token) carries over.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    run = Run()
    for operation in operations:  # first what exists, while it still does
        parameters = _known_parameters(operation, known)
        if parameters is not None:
            _fuzz(operation, GenerationMode.POSITIVE, callers, api_server, session, run,
                  path_parameters=parameters)
    for mode in EXAMPLES:
        for operation in operations:
            _fuzz(operation, mode, callers, api_server, session, run)
    elapsed = time.monotonic() - run.started
    with capsys.disabled():
        print(f"\nschemathesis {schemathesis.__version__}, {', '.join(callers)}: "
              f"{len(operations)} operations, {run.cases} cases ({run.requests} requests), "
              f"{len(run.failures)} failures; {run.not_run} cases not run in time; "
              f"{elapsed:.0f} s, {run.waited:.0f} s of it waiting for answers; "
              f"statuses {dict(sorted(run.statuses.items()))}")
        for (label, caller, title), message in sorted(run.failures.items()):
            print(f"  {label} [{caller}] {title}: {message.splitlines()[0]}")
    assert run.operations == {operation.label for operation in operations}, (
        "operations that no case reached in time",
        {operation.label for operation in operations} - run.operations)
    assert not run.failures, "\n".join(
        f"{label} [{caller}] {title}\n{message}"
        for (label, caller, title), message in sorted(run.failures.items())
    )
