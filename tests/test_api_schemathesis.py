"""Schemathesis against the served OpenAPI document, in the normal suite: for every
operation, generated valid and invalid requests with a real token (and with the ids
of real rows) find no 500 and no response that breaks the documented schema.
Examples are bounded so this stays fast; set API_FUZZ_EXAMPLES for a longer run."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories_api import bearer, team_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def api(app):
    world = team_world()
    web = app.test_client.__self__  # the app that serves test-client requests (see conftest)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web)
    return schema, world


def _real_ids(world) -> dict:
    return {"member_id": world.done.public_id, "cohort_id": world.cohort.public_id,
            "enrolment_id": world.done_enrolment.public_id}


def _run(operation, strategy) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def exercise(case):
        case.call_and_validate(checks=CHECKS)

    exercise()


def test_schemathesis_finds_no_server_error_and_no_schema_breach(api):
    schema, world = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    headers = bearer(world.secret)
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fixed = {name: value for name, value in _real_ids(world).items() if name in names}
        _run(operation, operation.as_strategy(GenerationMode.POSITIVE, headers=headers))
        if fixed:
            _run(operation, operation.as_strategy(GenerationMode.POSITIVE, headers=headers, path_parameters=fixed))
        # Invalid data needs a typed parameter to break: the lists' limit and updated_since. (Any string is a
        # valid id, so the detail endpoints have no negative cases; their unknown ids are covered above.)
        if list(operation.query):
            _run(operation, operation.as_strategy(GenerationMode.NEGATIVE, headers=headers))
