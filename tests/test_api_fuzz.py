"""Schemathesis over the whole OpenAPI schema, against a live test server, as three callers:
anonymous, a citizen and an operator (each with its API token). Every operation gets a few
generated requests that fit the schema and a few that do not; every answer must be no server
error and match the schema: a documented status code, its content type, its body's schema.

Bounded so that the whole run stays well under 90 s on a busy 2-core machine: a fixed number
of examples per operation, caller and mode (derandomized, so every run sends the same
requests), no shrinking, and a time budget after which the remaining cases are counted as not
run (and the run then fails: the budget is there to keep CI bounded, not to hide cases). The
figures (operations, cases, failures) are printed.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agencies.models import Role
from tests.conftest import make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
BUDGET_SECONDS = 400.0
# Signing out through the API deletes the caller's token; the run signs them back in after.
SIGN_OUT = ("DELETE", "/api/v1/auth/token/")


@dataclass
class Run:
    started: float = field(default_factory=time.monotonic)
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    not_run: int = 0
    waited: float = 0.0
    unsatisfiable: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > BUDGET_SECONDS


@pytest.fixture
def callers(agency_tree):
    """Anonymous, a citizen and an operator of Kota Semarang, the latter two with tokens."""
    citizen = make_user("fuzz.warga@example.id", "Warga Uji")
    operator = make_user("fuzz.operator@example.id", "Operator Uji", Role.OPERATOR,
                         "regency-33.74")
    return {
        "anonymous": None,
        "citizen": (citizen, Token.objects.create(user=citizen).key),
        "operator": (operator, Token.objects.create(user=operator).key),
    }


def _fuzz(operation, mode, caller, identity, base_url, session, run: Run) -> None:
    headers = {"Authorization": f"Token {identity[1]}"} if identity else {}

    @settings(
        max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def one(case):
        if run.out_of_time():
            run.not_run += 1
            return
        run.cases += 1
        sent = time.monotonic()
        try:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        except requests.RequestException as error:
            run.failures[(operation.label, caller, "request")] = repr(error)
            return
        run.statuses[response.status_code] += 1
        run.waited += time.monotonic() - sent
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (operation.label, caller, failure.title)
                run.failures.setdefault(key, f"{response.status_code}: {failure.message}"[:600])
        if identity and (case.method.upper(), case.operation.path) == SIGN_OUT:
            Token.objects.get_or_create(user=identity[0], defaults={"key": identity[1]})

    try:
        one()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (no parameters, no body): no
        # negative case exists for it.
        run.unsatisfiable.add(operation.label)


def test_the_api_answers_as_its_schema_says(live_server, callers, capsys):
    base_url = live_server.url
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json")
    session = requests.Session()
    run = Run()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        run.operations.add(operation.label)
        for caller, identity in callers.items():
            for mode in EXAMPLES:
                _fuzz(operation, mode, caller, identity, base_url, session, run)
    elapsed = time.monotonic() - run.started
    with capsys.disabled():
        print(f"\nschemathesis {schemathesis.__version__}: {len(run.operations)} operations, "
              f"{run.cases} cases ({run.not_run} not run in time), {len(run.failures)} failures, "
              f"{elapsed:.0f} s ({run.waited:.0f} s waiting for answers); statuses {dict(sorted(run.statuses.items()))}")
        for (label, caller, title), message in sorted(run.failures.items()):
            print(f"  {label} [{caller}] {title}: {message.splitlines()[0] if message else ''}")
    assert run.not_run == 0, "the time budget ran out before every case was sent"
    assert not run.failures, "\n".join(
        f"{label} [{caller}] {title}\n{message}"
        for (label, caller, title), message in sorted(run.failures.items())
    )
