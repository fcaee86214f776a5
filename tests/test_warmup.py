"""A process does its first request's one-off work before it serves (course/warmup.py,
issue 16: a new worker's first page took 40-60 times as long as the next ones)."""
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from course.warmup import TemplateCache, compile_templates, template_names, warm_up
from tests.factories_learn import learner_on_their_pages

ROOT = Path(__file__).resolve().parent.parent


def _environment(sources: dict, folder: Path) -> Environment:
    return Environment(loader=DictLoader(sources), autoescape=True, bytecode_cache=TemplateCache(str(folder)))


def _count_compiles(env, monkeypatch) -> list:
    compiled = []
    original = env.compile

    def counting(source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(source, name, *args, **kwargs)

    monkeypatch.setattr(env, "compile", counting)
    return compiled


def test_a_fresh_process_is_left_nothing_to_configure_or_compile(tmp_path):
    """In its own process: mappers are process-wide, and this suite configured them long ago."""
    script = textwrap.dedent(f"""
        import json
        from sqlalchemy.orm import mapperlib
        from config import TestConfig
        from course import create_app
        from course.extensions import db
        from course.warmup import warm_up

        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / 'db.sqlite'}")
        with app.app_context():
            db.create_all()
        from course import text
        unconfigured = lambda: any(r._new_mappers for r in mapperlib._all_registries()) or (
            getattr(text._converters, "user", None) is None)
        before = unconfigured()
        warm_up(app)
        after = unconfigured()
        compiled = []
        original = app.jinja_env.compile
        app.jinja_env.compile = lambda source, name=None, *a, **k: (
            compiled.append(name) or original(source, name, *a, **k))
        paths = ("/", "/inloggen", "/registreren", "/wachtwoord-vergeten")
        pages = [app.test_client().get(path).status_code for path in paths]
        print(json.dumps({{"before": before, "after": after, "compiled": compiled, "pages": pages}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "LEERLIJN_INSTANCE": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["before"] is True  # there was something to configure
    assert outcome["after"] is False
    assert all(code < 500 for code in outcome["pages"]), outcome["pages"]
    assert outcome["compiled"] == []


def test_a_learners_first_page_after_warm_up_compiles_no_template(make_app, monkeypatch):
    app = make_app(_fresh=True)
    web = app.test_client.__self__
    timings = warm_up(web)
    assert set(timings) == {"mappers", "templates", "languages", "markdown"}
    compiled = _count_compiles(web.jinja_env, monkeypatch)
    client, paths = learner_on_their_pages(app)
    for path in paths:
        assert client.get(path, follow_redirects=True).status_code == 200
    assert compiled == []


def test_without_warm_up_the_same_page_compiles_its_templates(make_app, monkeypatch):
    """The test above can fail: the same page on an app that was not warmed up compiles."""
    app = make_app(_fresh=True)
    compiled = _count_compiles(app.test_client.__self__.jinja_env, monkeypatch)
    assert app.test_client().get("/inloggen").status_code == 200
    assert "auth/login.html" in compiled


def test_every_template_is_loaded(make_app):
    web = make_app(_fresh=True).test_client.__self__
    loaded, failed = compile_templates(web)
    names = template_names(web)
    assert failed == []
    assert loaded == len(names) > 100
    assert any(name.endswith(".txt") for name in names)  # the mails too
    assert set(names) <= {name for _, name in web.jinja_env.cache}


def test_compiled_templates_are_kept_in_a_private_folder_and_reused(make_app, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    first = make_app(_fresh=True, TEMPLATE_CACHE_DIR=str(folder)).test_client.__self__
    loaded, _ = compile_templates(first)
    assert len(list(folder.glob("*.jinja"))) == loaded
    assert folder.stat().st_mode & 0o777 == 0o700

    second = make_app(_fresh=True, TEMPLATE_CACHE_DIR=str(folder)).test_client.__self__
    compiled = _count_compiles(second.jinja_env, monkeypatch)
    assert compile_templates(second) == (loaded, [])
    assert compiled == []


def test_a_changed_template_is_compiled_again(tmp_path):
    folder = tmp_path / "cache"
    sources = {"page.html": "old {{ 1 + 1 }}", "other.html": "other"}
    _environment(sources, folder).get_template("page.html")

    sources["page.html"] = "new {{ 2 + 2 }}"
    assert _environment(sources, folder).get_template("page.html").render() == "new 4"


def test_a_folder_others_may_write_to_is_not_used(make_app, tmp_path, caplog):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    with caplog.at_level(logging.WARNING, logger="course.warmup"):
        web = make_app(_fresh=True, TEMPLATE_CACHE_DIR=str(folder)).test_client.__self__
    assert web.jinja_env.bytecode_cache is None
    assert "other users" in caplog.text
    assert web.test_client().get("/inloggen").status_code == 200


def test_a_cache_that_cannot_be_written_or_read_still_serves_pages(make_app, tmp_path, caplog):
    folder = tmp_path / "cache"
    app = make_app(_fresh=True, TEMPLATE_CACHE_DIR=str(folder))
    folder.rmdir()
    folder.write_text("not a folder")  # as root a read-only mode would not stop the writes
    with caplog.at_level(logging.WARNING, logger="course.warmup"):
        for path in ("/inloggen", "/registreren", "/"):
            assert app.test_client().get(path, follow_redirects=True).status_code == 200
    assert caplog.text.count("Compiled templates are not kept") == 1


def test_a_damaged_cache_file_is_compiled_from_source(tmp_path):
    folder = tmp_path / "cache"
    sources = {"page.html": "fine {{ 3 }}"}
    _environment(sources, folder).get_template("page.html")
    for cached in folder.glob("*.jinja"):
        cached.write_bytes(cached.read_bytes()[:30])  # cut short, as by a full disk
    assert _environment(sources, folder).get_template("page.html").render() == "fine 3"


@pytest.fixture
def app_with_a_broken_template(make_app):
    web = make_app(_fresh=True).test_client.__self__
    from jinja2 import ChoiceLoader

    web.jinja_env.loader = ChoiceLoader([DictLoader({"broken.html": "{% if %}"}), web.jinja_env.loader])
    return web


def test_a_broken_template_is_named_and_the_rest_still_load(app_with_a_broken_template, caplog):
    web = app_with_a_broken_template
    with caplog.at_level(logging.ERROR, logger="course.warmup"):
        warm_up(web)  # the server still starts
        loaded, failed = compile_templates(web)
    assert failed == ["broken.html"]
    assert loaded == len(template_names(web)) - 1
    assert "broken.html" in caplog.text
    assert web.test_client().get("/inloggen").status_code == 200


def test_the_deploy_command_fails_on_a_broken_template(app_with_a_broken_template):
    result = app_with_a_broken_template.test_cli_runner().invoke(args=["maintenance", "compile-templates"])
    assert result.exit_code != 0
    assert "broken.html" in result.output


def test_the_deploy_command_compiles_every_template(make_app):
    web = make_app(_fresh=True).test_client.__self__
    result = web.test_cli_runner().invoke(args=["maintenance", "compile-templates"])
    assert result.exit_code == 0, result.output
    assert f"{len(template_names(web))} templates compiled" in result.output


def test_warm_up_touches_no_database(make_app):
    """gunicorn's master warms up before it forks: a connection opened there would be shared."""
    import sqlalchemy as sa

    from course.extensions import db

    web = make_app(_fresh=True).test_client.__self__
    checkouts = []

    def checked_out(*_args):
        checkouts.append(1)

    with web.app_context():
        engine = db.engine
    sa.event.listen(engine, "checkout", checked_out)
    try:
        warm_up(web)
    finally:
        sa.event.remove(engine, "checkout", checked_out)
    assert checkouts == []
