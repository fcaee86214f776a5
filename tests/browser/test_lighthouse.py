"""Lighthouse (npm, pinned in tests/lighthouse/package-lock.json) scores the main page
of each role at least 95 on accessibility, best practices and SEO (issue 12).

Lighthouse drives its own headless Debian Chromium; for the pages behind a login it
is handed the session cookie of a browser that logged in through the real form.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests import factories

from .conftest import CHROMIUM, CHROMIUM_ARGS

LIGHTHOUSE = Path(__file__).resolve().parents[1] / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("accessibility", "best-practices", "seo")
MINIMUM = 0.95


def lighthouse(url: str, cookie: str = "") -> dict:
    command = ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", "--form-factor=desktop", "--screenEmulation.disabled",
               "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [f"{ref['id']}: {report['audits'][ref['id']]['title']}" for ref in refs
            if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1]


@pytest.fixture
def world(app):
    organisation = factories.make_organisation(name="Stichting Licht")
    course = factories.make_course(title="Welzijn 2.0", tagline="Van magie naar strategie", open_enrolment=True)
    trainer = factories.make_user(role="trainer", email="trainer@licht.test", name="Tamara Trainer")
    cohort = factories.make_cohort(organisation, course, name="Team Licht", trainers=[trainer])
    learner = factories.make_user(org=organisation, email="leerder@licht.test", name="Lotte Leerder")
    factories.make_enrolment(learner, course, cohort=cohort)
    return {
        "visitor": (None, "/"),
        "course page": (None, f"/cursussen/{course.slug}"),
        "learner": ("leerder@licht.test", "/mijn-leren"),
        "trainer": (trainer.email, "/beoordelen"),
        "organisation admin": (factories.make_user(org=organisation, org_role="admin",
                                                   email="beheer@licht.test").email, "/organisatie"),
        "platform admin": (factories.make_user(role="admin", email="admin@licht.test").email, "/beheer"),
    }


def test_the_main_page_of_every_role_scores_95(world, browser, live_server, browser_login):
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is not installed: run `make test` (it runs npm ci in tests/lighthouse)")
    below = []
    for role, (email, path) in world.items():
        cookie = ""
        if email:
            context = browser.new_context(base_url=live_server)
            page = context.new_page()
            browser_login(page, email)
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
            context.close()
        report = lighthouse(live_server + path, cookie)
        assert report["finalDisplayedUrl"].endswith(path), f"{role}: ended on {report['finalDisplayedUrl']}"
        for category in CATEGORIES:
            score = report["categories"][category]["score"]
            if score is None or score < MINIMUM:
                below.append(f"{role} {path} {category} {score}: {failing_audits(report, category)}")
    assert not below, "\n".join(below)
