"""Foundation routes: home, health, language, accounts."""
from . import Row, everyone, logged_in

ROWS = [
    Row("main.index", lambda w: "/", everyone(200)),
    Row("main.healthz", lambda w: "/healthz", everyone(200)),
    Row("main.switch_language", lambda w: "/taal", everyone(302), method="POST", data=lambda w: {"lang": "en"}),
    Row("static", lambda w: "/static/css/app.css", everyone(200)),
    Row("auth.login", lambda w: "/inloggen", everyone(302, anonymous=200)),
    Row("auth.logout", lambda w: "/uitloggen", everyone(302), method="POST"),
    Row("auth.register", lambda w: "/registreren", everyone(302, anonymous=200)),
    Row("auth.forgot_password", lambda w: "/wachtwoord-vergeten", everyone(200)),
    Row("auth.reset_password", lambda w: "/wachtwoord-herstellen/not-a-token", everyone(400),
        note="a tampered token is refused for everyone"),
    Row("auth.change_password", lambda w: "/mijn-account/wachtwoord", logged_in()),
    Row("auth.profile", lambda w: "/mijn-account", logged_in()),
]

ROWS.append(Row("auth.erase_account", lambda w: "/mijn-account/verwijderen", logged_in()))
ROWS += [
    Row("auth.complete_registration", lambda w: "/registreren/not-a-token", everyone(400),
        note="a tampered registration link is refused for everyone"),
    Row("auth.change_email", lambda w: "/mijn-account/e-mailadres", logged_in()),
    Row("auth.confirm_email_change", lambda w: "/e-mailadres-bevestigen/not-a-token", everyone(400),
        note="a tampered confirmation link is refused for everyone"),
]
