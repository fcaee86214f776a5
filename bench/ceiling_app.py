"""The framework ceiling: the least a Flask page can cost on these server settings.

Three pages on the bench database, served by gunicorn beside Leerlijn:
/template (a template, no SQL), /select (one indexed select), /join (a 50-row join
rendered as a table). Leerlijn's pages are reported as a share of these.
"""
import os

import sqlalchemy as sa
from flask import Flask, render_template_string

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{% if rows %}<table><thead><tr><th>Naam</th><th>E-mail</th><th>Ingeschreven</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.email }}</td><td>{{ row.enrolled_at }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% if user %}<p>{{ user.name }} ({{ user.email }})</p>{% endif %}</main></body></html>"""

app = Flask(__name__)
engine = sa.create_engine(os.environ.get("BENCH_CEILING_DATABASE_URL", "sqlite://"), pool_pre_ping=False)
metadata = sa.MetaData()


def _tables():
    if not metadata.tables:
        metadata.reflect(engine, only=["user", "enrolment"])
    return metadata.tables["user"], metadata.tables["enrolment"]


@app.get("/template")
def template_only():
    return render_template_string(PAGE, title="Alleen een sjabloon", rows=None, user=None)


@app.get("/select")
def one_select():
    user, _enrolment = _tables()
    with engine.connect() as connection:
        row = connection.execute(sa.select(user.c.name, user.c.email).where(user.c.id == 7)).first()
    return render_template_string(PAGE, title="Eén select", rows=None, user=row)


@app.get("/join")
def fifty_row_join():
    user, enrolment = _tables()
    query = (sa.select(user.c.name, user.c.email, enrolment.c.enrolled_at)
             .join(enrolment, enrolment.c.user_id == user.c.id).order_by(enrolment.c.id).limit(50))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return render_template_string(PAGE, title="Join van 50 rijen", rows=rows, user=None)


@app.get("/healthz")
def healthz():
    return "ok"
