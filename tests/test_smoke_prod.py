"""`make smoke-prod` follows the README's Production steps and finds a Dutch site."""
import subprocess
import sys

import pytest
import redis
import sqlalchemy as sa

from tests.worker_process import ROOT


@pytest.mark.postgres
def test_the_production_steps_give_a_dutch_site(database_url, is_postgres):
    if not is_postgres:
        pytest.skip("needs the PostgreSQL server of the PostgreSQL lane (TEST_DATABASE_URL)")
    server = sa.engine.make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "scripts/smoke_prod.py"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, env={"PATH": "/usr/bin:/bin", "SMOKE_POSTGRES_URL": server,
                                              "SMOKE_REDIS_URL": "redis://127.0.0.1:6379/11"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: the page says lang=\"nl\"" in result.stdout
    assert "ok: the admin reaches /beheer, in Dutch" in result.stdout
    assert "ok: the worker wrote the reset mail" in result.stdout
    engine = sa.create_engine(server)
    with engine.connect() as conn:
        left = conn.scalars(sa.text("SELECT datname FROM pg_database WHERE datname LIKE 'leerlijn_smoke_%'")).all()
    engine.dispose()
    assert left == [], "the smoke database is dropped afterwards"
    assert not list(redis.Redis.from_url("redis://127.0.0.1:6379/11").scan_iter(match="*leerlijn-smoke-*"))
