"""Leerlijn: the application factory."""
import logging
from pathlib import Path

from flask import Flask

from config import Config, config_from_env

from .extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    config_class = config_class or config_from_env()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.finalise(app.config)
    logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from . import errors, i18n, security, sessions, templating, warmup

    warmup.init_app(app)  # the template cache, before any template is loaded
    errors.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    templating.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    # Register every table before migrate sees metadata, SQLite's write-lock events and
    # PostgreSQL's read-only transactions ending in COMMIT (prepared statements survive).
    from . import fastjson, models, pg_reads, sqlite_locks  # noqa: F401

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"json_deserializer": fastjson.loads,
                                               **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .api import tokens_bp as api_tokens_bp
    from .attendance import bp as attendance_bp
    from .audit import bp as audit_bp
    from .auth import bp as auth_bp
    from .authoring import bp as authoring_bp
    from .badges import bp as badges_bp
    from .discussion import bp as discussion_bp
    from .followup import bp as followup_bp
    from .learn import bp as learn_bp
    from .live import bp as live_bp
    from .main import bp as main_bp
    from .org import bp as org_bp
    from .pages import bp as pages_bp
    from .peer.routes import bp as peer_bp
    from .privacy.routes import bp as privacy_bp
    from .review import bp as review_bp
    from .sso import bp as sso_bp
    from .staff import bp as staff_bp
    from .teamplan import bp as teamplan_bp
    from .workbook import bp as workbook_bp

    for bp in (main_bp, auth_bp, learn_bp, review_bp, org_bp, admin_bp, badges_bp, workbook_bp, staff_bp,
               audit_bp, pages_bp, privacy_bp, api_bp, api_tokens_bp, sso_bp,
               teamplan_bp, followup_bp, live_bp, peer_bp, discussion_bp, authoring_bp):
        app.register_blueprint(bp)
    app.register_blueprint(attendance_bp)  # issue 13: attendance at live sessions


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
