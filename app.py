"""Entry point: `flask --app app run`, `gunicorn app:app`."""
from course import create_app

app = create_app()
