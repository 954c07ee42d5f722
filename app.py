"""Entry point: `flask --app app ...` and `gunicorn app:app`."""

from meetgreet import create_app

app = create_app()
