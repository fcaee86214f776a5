"""The session cookie, with one exception: some responses must leave it untouched.

A cross-site POST arrives without the visitor's cookie (SameSite=Lax). Answering it
with a fresh cookie (the error page's CSRF token, a kept form's key) would replace
the visitor's real session and log them out. Such responses set `g.leave_session_alone`.
"""
from flask import Flask, g
from flask.sessions import SecureCookieSessionInterface


class LeerlijnSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if g.get("leave_session_alone"):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = LeerlijnSessionInterface()
