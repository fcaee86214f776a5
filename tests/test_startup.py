"""Cold start and memory per worker (issue 16): the libraries only a few requests need
are imported by those requests, not by every worker when it loads the app; the
migration commands still work as before."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFERRED = ("fpdf", "fontTools", "uharfbuzz", "PIL", "segno", "authlib", "requests", "joserfc", "cryptography",
            "alembic", "flask_migrate", "marshmallow", "apispec", "icalendar")


def test_loading_the_app_leaves_the_heavy_libraries_for_the_requests_that_need_them():
    probe = f"import sys, app; print(' '.join(m for m in {DEFERRED!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                            check=True).stdout.split()
    assert loaded == []


def test_the_migration_commands_load_on_demand(app):
    result = app.test_cli_runner().invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    assert "upgrade" in result.output and "downgrade" in result.output
    assert app.extensions["migrate"].directory == str(ROOT / "migrations")
