"""Hostile input, property-based (hypothesis): every form and every query parameter of
every page, as every role. Routes come from app.url_map (through the access matrix,
which must have a row for each endpoint), form fields and filters from the pages
themselves, so a new route or field is fuzzed without touching this file.

Each example must answer below 500 and leave the database consistent (tests/integrity.py).
`make test` runs a few examples per route; `make fuzz` runs many (FUZZ_EXAMPLES)."""
import io
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests import integrity
from tests.access import ROLES
from tests.test_access_matrix import ROWS, _client, world_for
from tests.test_robustness import HOSTILE_VALUES

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="FUZZ_SEED" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])
# Filters and fields the pages may not show to every role, always tried too.
COMMON_PARAMETERS = ("page", "q", "status", "course", "module", "cohort", "organisation", "show", "days",
                     "separator", "sep", "next", "lang", "filter", "sort", "attempt", "action")
NAME = re.compile(r'<(?:input|textarea|select|button)\b[^>]*\bname="([^"]+)"', re.I)
FILE_INPUT = re.compile(r'<input\b[^>]*\btype="file"[^>]*\bname="([^"]+)"'
                        r'|<input\b[^>]*\bname="([^"]+)"[^>]*\btype="file"', re.I)

values = st.one_of(
    st.sampled_from(HOSTILE_VALUES + ["0", "1", "2026-13-45", "ja", ";", " ", "\t", "%", "a@b", "https://x"]),
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**64).map(str),
    st.text(alphabet="0123456789-.,;:", max_size=12),
)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=3)
                           | st.dictionaries(st.text(max_size=10), children, max_size=3), max_leaves=8)


def _rules_to_rows(app):
    """One row per (endpoint, method) in the app's URL map: new routes are fuzzed automatically."""
    by_key = {(row.endpoint, row.method): row for row in ROWS}
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            row = by_key.get((rule.endpoint, method))
            if row is not None and rule.endpoint != "static" and row not in found:
                found.append(row)
    return found


def _field_names(client, path) -> tuple[set[str], set[str]]:
    """The names of the fields a page shows (its forms and filters), and its file inputs."""
    response = client.get(path)
    response.close()
    if response.status_code != 200 or response.mimetype != "text/html":
        return set(), set()
    html = response.get_data(as_text=True)
    files = {a or b for a, b in FILE_INPUT.findall(html)}
    return set(NAME.findall(html)) - {"csrf_token"}, files


class Fuzzer:
    def __init__(self, app, world):
        self.app, self.world = app, world
        self.clients = {role: _client(app, world, role) for role in ROLES}
        self._fields = {}

    def fields(self, role, path):
        if (role, path) not in self._fields:
            self._fields[(role, path)] = _field_names(self.clients[role], path)
        return self._fields[(role, path)]

    def check(self, response, what):
        response.close()
        assert response.status_code < 500, f"{what}: {response.status_code}"
        broken = integrity.problems()
        assert broken == [], f"{what}: database inconsistent: {broken}"


# Edges that random examples may miss in a short run: every field at once, for each permitted role.
EDGE_VALUES = [" ", "\t", "", "-1", "0", "abc", "99999999999999999999", "x" * 2000, "<script>", "\u202e\x00"]
POST_ROWS = [r for r in ROWS if r.method == "POST"]
GET_ROWS = [r for r in ROWS if r.method == "GET" and r.endpoint != "static"]


def test_every_route_of_the_url_map_is_fuzzed(app):
    rows = _rules_to_rows(app)
    assert {r.endpoint for r in rows} == {r.endpoint for r in POST_ROWS + GET_ROWS}


@pytest.mark.parametrize("row", POST_ROWS, ids=lambda r: r.id)
def test_forms_never_fail_and_keep_the_database_consistent(app, row):
    fuzzer = Fuzzer(app, world_for(row))
    path = row.path(fuzzer.world)
    known = set(row.data(fuzzer.world)) if row.data else set()
    json_body = getattr(app.view_functions[row.endpoint], "accepts_json", False)

    @FUZZ
    @given(role=st.sampled_from(ROLES), data=st.data())
    def fuzz(role, data):
        shown, files = fuzzer.fields(role, path)
        names = sorted(known | shown | {"name", "email", "text", "decision", "lock_version"})
        if json_body:
            body = data.draw(st.dictionaries(st.sampled_from(["fields", "text", *names]), json_values, max_size=4))
            response = fuzzer.clients[role].post(path, data=json.dumps(body), content_type="application/json")
        else:
            form = data.draw(st.dictionaries(st.sampled_from(names), st.lists(values, min_size=1, max_size=3),
                                             max_size=len(names)))
            multi = [(k, v) for k, vs in form.items() for v in vs]
            for name in sorted(files):
                raw = data.draw(st.binary(max_size=300))
                multi.append((name, (io.BytesIO(raw), data.draw(st.sampled_from(["team.csv", "x.xlsx", "a.txt"])))))
            response = fuzzer.clients[role].post(path, data=MultiDict(multi))
        fuzzer.check(response, f"{row.id} as {role}")

    fuzz()


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda r: r.id)
def test_query_parameters_never_fail_and_keep_the_database_consistent(app, row):
    fuzzer = Fuzzer(app, world_for(row))
    path = row.path(fuzzer.world)

    @FUZZ
    @given(role=st.sampled_from(ROLES), data=st.data())
    def fuzz(role, data):
        shown, _files = fuzzer.fields(role, path) if not row.endpoint.endswith(("csv", "pdf", "markdown")) \
            else (set(), set())
        names = sorted(shown | set(COMMON_PARAMETERS))
        query = data.draw(st.lists(st.tuples(st.sampled_from(names), values), max_size=6))
        fuzzer.check(fuzzer.clients[role].get(path, query_string=query), f"{row.id} as {role} ? {query!r}")

    fuzz()


def _permitted(row) -> list[str]:
    return [role for role in ROLES if row.expect[role] < 400 and not (role == "anonymous" and row.expect[role] == 302)]


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda r: r.id)
def test_edge_values_in_every_filter_at_once(app, row):
    fuzzer = Fuzzer(app, world_for(row))
    path = row.path(fuzzer.world)
    for role in _permitted(row):
        shown, _files = fuzzer.fields(role, path) if not row.endpoint.endswith(("csv", "pdf", "markdown")) \
            else (set(), set())
        for value in EDGE_VALUES:
            query = {name: value for name in shown | set(COMMON_PARAMETERS)}
            fuzzer.check(fuzzer.clients[role].get(path, query_string=query), f"{row.id} as {role} = {value[:20]!r}")


@pytest.mark.parametrize("row", [r for r in POST_ROWS if r.endpoint not in ("learn.autosave", "learn.preview")],
                         ids=lambda r: r.id)
def test_edge_values_in_every_field_at_once(app, row):
    world = world_for(row)
    path = row.path(world)  # before a request may delete the object
    fuzzer = Fuzzer(app, world)
    for role in _permitted(row):
        shown, _files = fuzzer.fields(role, path)
        names = shown | (set(row.data(world)) if row.data else set())
        for value in EDGE_VALUES:
            form = {name: value for name in names}
            fuzzer.check(fuzzer.clients[role].post(path, data=form), f"{row.id} as {role} = {value[:20]!r}")
