"""Single sign-on: the login routes are public (and refuse what they cannot check);
the provider set-up of an organisation is for platform admins only."""
from . import Row, everyone, only

SSO_FORM = {"issuer": "https://login.microsoftonline.com/tenant/v2.0", "client_id": "leerlijn",
            "client_secret": "geheim", "allowed_domains": "zorggroep.nl"}

ROWS = [
    Row("sso.start", lambda w: "/inloggen/werkaccount", everyone(302, anonymous=200)),
    Row("sso.start", lambda w: "/inloggen/werkaccount", everyone(302, anonymous=404), method="POST",
        data=lambda w: {"email": "iemand@zonder-sso.example"}, note="no organisation signs in with this domain"),
    Row("sso.callback", lambda w: "/inloggen/werkaccount/terug", everyone(400),
        note="without a known state it is refused for everyone"),
    Row("sso.link", lambda w: "/inloggen/werkaccount/koppelen", everyone(400),
        note="nothing to link without a verified sign-in in this session"),
    Row("sso.link", lambda w: "/inloggen/werkaccount/koppelen", everyone(400), method="POST",
        data=lambda w: {"password": "x"}),
    Row("sso.link_mail", lambda w: "/inloggen/werkaccount/koppelen/mail", everyone(400), method="POST"),
    Row("sso.confirm_link", lambda w: "/inloggen/werkaccount/koppelen/not-a-token", everyone(400),
        note="a tampered link is refused for everyone"),
    Row("sso.edit_config", lambda w: f"/beheer/organisaties/{w.org.public_id}/sso", only("admin")),
    Row("sso.edit_config", lambda w: f"/beheer/organisaties/{w.org.public_id}/sso", only("admin", ok=302),
        method="POST", data=lambda w: SSO_FORM),
]
