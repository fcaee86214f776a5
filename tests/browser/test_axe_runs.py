"""The axe helper waits out a navigation that lands while axe runs, and nothing else."""
import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.axe_runs import run_on_settled_page

TORN_DOCUMENT = "Page.evaluate: TypeError: Cannot read properties of null (reading 'documentElement')"


class FakePage:
    def __init__(self):
        self.waits = 0

    def wait_for_load_state(self, state):
        assert state == "load"
        self.waits += 1


class FakeAxe:
    def __init__(self, *errors):
        self.errors = list(errors)
        self.runs = 0

    def run(self, page):
        self.runs += 1
        if self.errors:
            raise self.errors.pop(0)
        return "results"


def test_a_navigation_during_the_run_is_waited_out_and_axe_runs_again():
    page, axe = FakePage(), FakeAxe(PlaywrightError(TORN_DOCUMENT))
    assert run_on_settled_page(axe, page) == "results"
    assert (axe.runs, page.waits) == (2, 2)


def test_any_other_error_is_not_retried():
    axe = FakeAxe(PlaywrightError("axe is not defined"))
    with pytest.raises(PlaywrightError, match="axe is not defined"):
        run_on_settled_page(axe, FakePage())
    assert axe.runs == 1


def test_a_page_that_keeps_navigating_fails_after_three_runs():
    axe = FakeAxe(*[PlaywrightError(TORN_DOCUMENT)] * 3)
    with pytest.raises(PlaywrightError, match="documentElement"):
        run_on_settled_page(axe, FakePage())
    assert axe.runs == 3
