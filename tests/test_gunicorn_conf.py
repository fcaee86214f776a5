"""gunicorn.conf.py freezes the loaded app's objects out of the garbage collector in
each worker (issue 16: full collections were half the p95)."""
import gc
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    gc.unfreeze()


def _worker(preload: bool, app=None):
    return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload), wsgi=app)


def _master(preload: bool, app=None):
    return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload), app=SimpleNamespace(wsgi=lambda: app))


@pytest.fixture
def warmed(conf, monkeypatch):
    """The apps gunicorn.conf.py warms up (course/warmup.py, tested in test_warmup.py)."""
    apps = []
    monkeypatch.setattr(conf, "_warm_up", apps.append)
    monkeypatch.setattr(conf, "_compile_statements", lambda app: None)
    return apps


@pytest.fixture
def compiled(conf, monkeypatch):
    """The apps whose statements gunicorn.conf.py compiles (course/statements.py)."""
    apps = []
    monkeypatch.setattr(conf, "_compile_statements", apps.append)
    return apps


def test_a_worker_freezes_what_it_loaded(conf, monkeypatch, warmed):
    monkeypatch.delenv("LEERLIJN_GC_FREEZE", raising=False)
    gc.unfreeze()
    conf.post_worker_init(_worker(preload=True))
    assert gc.get_freeze_count() > 1000


def test_the_master_freezes_only_a_preloaded_app(conf, monkeypatch, warmed):
    monkeypatch.delenv("LEERLIJN_GC_FREEZE", raising=False)
    gc.unfreeze()
    conf.when_ready(_master(preload=False))
    assert gc.get_freeze_count() == 0
    conf.when_ready(_master(preload=True))
    assert gc.get_freeze_count() > 1000


def test_the_bench_can_turn_it_off(conf, monkeypatch, warmed):
    monkeypatch.setenv("LEERLIJN_GC_FREEZE", "0")
    gc.unfreeze()
    conf.post_worker_init(_worker(preload=True))
    assert gc.get_freeze_count() == 0


def test_a_preloaded_app_is_warmed_up_once_in_the_master(conf, warmed, compiled):
    app = object()
    conf.when_ready(_master(preload=True, app=app))
    assert compiled == []  # the master never touches the database
    conf.post_worker_init(_worker(preload=True, app=app))
    assert warmed == [app]
    assert compiled == [app]  # each worker compiles the statements on its own connection


def test_without_preloading_each_worker_warms_up_its_own_app(conf, warmed, compiled):
    app = object()
    conf.when_ready(_master(preload=False, app=app))
    conf.post_worker_init(_worker(preload=False, app=app))
    assert warmed == [app]
    assert compiled == [app]


def test_the_real_warm_up_runs_on_the_app(conf, app):
    gc.unfreeze()
    conf._warm_up(app)  # no exception; the app's templates are all in memory afterwards
    assert len(app.jinja_env.cache) >= 100


def test_the_app_is_loaded_once_before_the_fork(conf):
    assert conf.preload_app is True


def test_a_worker_starts_with_empty_database_pools(conf, app):
    from course.extensions import db

    with app.app_context():
        with db.engine.connect():
            pass
        pool = db.engine.pool
        server = SimpleNamespace(cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: app))
        conf.post_fork(server, SimpleNamespace())
        assert db.engine.pool is not pool  # a new pool: the master's connections are never handed out here
        # In a real fork the old pool's connections belong to the master; here they are this
        # process's own, so close them rather than leave them to the garbage collector.
        pool.dispose()


def test_a_worker_trims_its_heap_every_few_requests(conf, monkeypatch):
    calls = []
    monkeypatch.setattr(conf, "_trim", calls.append)
    for _ in range(conf.TRIM_EVERY * 2):
        conf.post_request(None, None, {}, None)
    assert calls == [0, 0]


def test_trimming_can_be_turned_off(conf, monkeypatch):
    monkeypatch.setenv("LEERLIJN_MALLOC_TRIM", "0")
    assert conf._malloc_trim() is None


def test_another_app_served_with_these_settings_still_boots(conf):
    """The bench serves its ceiling app with this file too: it has no Leerlijn database."""
    from flask import Flask

    other = Flask("ceiling")
    conf.when_ready(_master(preload=True, app=other))
    conf.post_worker_init(_worker(preload=True, app=other))
    conf.post_worker_init(_worker(preload=False, app=other))
    gc.unfreeze()
