"""Backups (issue 9): `flask backup create` and `flask backup restore`.

SQLite is copied through its online backup API, PostgreSQL through pg_dump in custom
format; both give a consistent copy while the app keeps running.
"""
