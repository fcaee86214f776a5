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


def test_a_worker_freezes_what_it_loaded(conf, monkeypatch):
    monkeypatch.delenv("LEERLIJN_GC_FREEZE", raising=False)
    gc.unfreeze()
    conf.post_worker_init(SimpleNamespace())
    assert gc.get_freeze_count() > 1000


def test_the_master_freezes_only_a_preloaded_app(conf, monkeypatch):
    monkeypatch.delenv("LEERLIJN_GC_FREEZE", raising=False)
    gc.unfreeze()
    conf.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
    assert gc.get_freeze_count() == 0
    conf.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    assert gc.get_freeze_count() > 1000


def test_the_bench_can_turn_it_off(conf, monkeypatch):
    monkeypatch.setenv("LEERLIJN_GC_FREEZE", "0")
    gc.unfreeze()
    conf.post_worker_init(SimpleNamespace())
    assert gc.get_freeze_count() == 0
