"""Gunicorn settings, read automatically when gunicorn starts in this folder.

After a worker has loaded the app, its objects (modules, templates, the SQLAlchemy
mappers) are moved out of the garbage collector's reach with `gc.freeze()`. A full
collection then walks only what requests create, instead of the whole app: that
removes most of the p95 ≈ 2 × p50 spread on the big pages (issue 16). With
`--preload` the app is loaded before the fork, so it is frozen there too, which also
keeps the shared pages shared between workers.

LEERLIJN_GC_FREEZE=0 turns it off (only `make bench` does that, to measure the difference).
"""
import gc
import os


def _freeze_enabled() -> bool:
    return os.environ.get("LEERLIJN_GC_FREEZE", "1") != "0"


def when_ready(server):  # the master, after a preloaded app is loaded and before forking
    if _freeze_enabled() and server.cfg.preload_app:
        gc.collect()
        gc.freeze()


def post_worker_init(worker):  # each worker, after it loaded the app
    if _freeze_enabled():
        gc.collect()
        gc.freeze()
