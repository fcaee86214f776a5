"""Gunicorn settings, read automatically when gunicorn starts in this folder.

The app is loaded once in the master before the workers are forked (`preload_app`), so
the workers share its pages copy-on-write instead of each importing its own copy, and
they start faster (issue 16: memory per worker). Each worker starts with empty database
pools (a connection the master might have opened is not used by two processes). A code
change needs a restart (`systemctl restart`): a HUP only restarts the workers, on the
code the master already loaded.

Before any request, the app does its one-off first-request work (course/warmup.py:
SQLAlchemy's mappers, every template compiled, the languages' catalogues): in the master
when preloading, so every worker inherits it, or else in each worker as it starts. Each
worker then opens its first database connection and compiles the pages' statements
(never in the master: its connections would be shared). A new worker's first page then
costs about what the next ones cost, instead of 40-60 times more.

After the app is loaded, its objects (modules, templates, the SQLAlchemy mappers) are
moved out of the garbage collector's reach with `gc.freeze()`, in the master before the
fork and again in each worker. A full collection then walks only what requests create,
instead of the whole app: that removes most of the p95 ≈ 2 × p50 spread on the big pages.

Every TRIM_EVERY requests, after the response has been sent, a worker hands the free
pages inside its C heap back to the system (glibc `malloc_trim`; a big page's
temporaries otherwise stay resident as holes in the heap): a few MB less RSS per
worker for well under a millisecond per TRIM_EVERY requests. Not on other C libraries.

LEERLIJN_GC_FREEZE=0 turns the freezing off (only `make bench` does that, to measure the
difference); LEERLIJN_PRELOAD=0 loads the app in each worker instead and
LEERLIJN_MALLOC_TRIM=0 never trims (both to compare memory: `python -m bench.rss`).
"""
import ctypes
import gc
import os

preload_app = os.environ.get("LEERLIJN_PRELOAD", "1") != "0"
TRIM_EVERY = 10


def _freeze_enabled() -> bool:
    return os.environ.get("LEERLIJN_GC_FREEZE", "1") != "0"


def _malloc_trim():
    """glibc's malloc_trim, or None (another C library, or turned off)."""
    if os.environ.get("LEERLIJN_MALLOC_TRIM", "1") == "0":
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_trim = _malloc_trim()
_served = 0


def _warm_up(app) -> None:
    from course.warmup import warm_up

    warm_up(app)


def when_ready(server):  # the master, after a preloaded app is loaded and before forking
    if server.cfg.preload_app:
        _warm_up(server.app.wsgi())
    if _freeze_enabled() and server.cfg.preload_app:
        gc.collect()
        gc.freeze()
    if _trim is not None and server.cfg.preload_app:
        _trim(0)  # the loading's garbage is not copied into every worker


def post_fork(server, worker):
    """A preloaded app's engines came with the fork: empty their pools in the worker
    (without closing the master's connections, if it had any)."""
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()  # gunicorn keeps the app it preloaded
    extension = getattr(app, "extensions", {}).get("sqlalchemy")
    if extension is not None:
        for engine in extension._app_engines.get(app, {}).values():
            engine.dispose(close=False)


def _compile_statements(app) -> None:
    from course.warmup import compile_statements

    compile_statements(app)


def post_worker_init(worker):  # each worker, after it loaded the app
    if not worker.cfg.preload_app:
        _warm_up(worker.wsgi)
    _compile_statements(worker.wsgi)  # needs the database: here, never in the master
    if _freeze_enabled():
        gc.collect()
        gc.freeze()


def post_request(worker, req, environ, resp):  # after the response has been sent
    global _served
    _served += 1
    if _trim is not None and _served % TRIM_EVERY == 0:
        _trim(0)
