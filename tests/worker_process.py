"""Starting `flask worker` as a real process for the tests, and stopping it as systemd would."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker_env(tmp_path: Path, database_url: str, **settings) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "MAIL_SERVER", "BASE_URL"}}
    env.update({
        "LEERLIJN_ENV": "development",
        "DATABASE_URL": database_url,
        "LEERLIJN_INSTANCE": str(tmp_path / "instance"),
        "SECRET_KEY": "worker-test-secret",
        "MAIL_DIR": str(tmp_path / "mail"),
        "WORKER_TICK_SECONDS": "2",  # a tick every 2 s instead of every minute
        "MAIL_POLL_SECONDS": "0.2",
    })
    env.update({key: str(value) for key, value in settings.items()})
    return env


def start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    with log_path.open("wb") as log:  # the child keeps its own copy of the file
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def stop_worker(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGINT: Huey's graceful stop (the systemd unit sends the same)."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def wait_for(condition, timeout: float = 30, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
