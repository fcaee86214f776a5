"""A real OpenID provider on loopback (tests/oidc/provider.js, the npm package oidc-provider)
and a tiny HTTP user agent that logs in at its dev interactions, for the SSO tests."""
import re
import shutil
import subprocess
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

NODE_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "leerlijn", "leerlijn-secret"
OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = "leerlijn-other", "leerlijn-other-secret"


@contextmanager
def running_provider(*redirect_uris: str, clock_skew_seconds: int = 0):
    """Yields the issuer URL of a fresh provider; stops it afterwards."""
    node = shutil.which("node")
    assert node, "node is needed for the SSO tests (Node.js 20)"
    assert (NODE_DIR / "node_modules" / "oidc-provider").is_dir(), "run `npm ci` in tests/oidc (make test does)"
    env = {"PATH": "/usr/bin:/bin", "REDIRECT_URIS": ",".join(redirect_uris),
           "CLOCK_SKEW_SECONDS": str(clock_skew_seconds), "NODE_ENV": "test"}
    process = subprocess.Popen([node, "provider.js"], cwd=NODE_DIR, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("listening "), f"the provider did not start: {line!r}"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def provider_url(response) -> str:
    """Where Leerlijn's "you are being sent to your organisation" page points."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return unescape(re.search(r'id="sso-continue" class="button" href="([^"]+)"', response.get_data(as_text=True))[1])


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def log_in_at_provider(authorize_url: str, email: str, back_to: str, cancel: bool = False) -> str:
    """Follows the provider's pages as a browser would (login, then consent) and returns the
    URL it sends the browser back to (starting with `back_to`), without opening it."""
    with requests.Session() as agent:
        return _follow(agent, authorize_url, email, back_to, cancel)


def _follow(agent: requests.Session, authorize_url: str, email: str, back_to: str, cancel: bool) -> str:
    response = agent.get(authorize_url, allow_redirects=False, timeout=10)
    for _ in range(12):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(back_to):
                return location
            response = agent.get(location, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, response.text[:500]
        if cancel:
            abort = re.search(r'href="([^"]*/abort)"', response.text)
            response = agent.get(urljoin(response.url, unescape(abort.group(1))), allow_redirects=False, timeout=10)
            continue
        action, body = _FORM.search(response.text).groups()
        data = dict(_HIDDEN.findall(body))
        if 'name="login"' in body:
            data |= {"login": email, "password": "any"}
        response = agent.post(urljoin(response.url, unescape(action)), data=data, allow_redirects=False, timeout=10)
    raise AssertionError("the provider did not send the browser back")
