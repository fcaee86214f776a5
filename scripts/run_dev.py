"""`make run`: the web server and the worker side by side. Ctrl-C stops both, and
when one of them stops the other is stopped too.

BASE_URL follows --host/--port unless it is set, so the links in mail, badges and
certificates point at this server."""
import argparse
import os
import signal
import subprocess
import sys
import time

FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def child_env(host: str, port: int, environ=None) -> dict:
    env = dict(os.environ if environ is None else environ)
    if not env.get("BASE_URL"):
        env["BASE_URL"] = f"http://{host}:{port}"
    return env


def _stop(processes: list[subprocess.Popen], timeout: float = 15) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # graceful for both: flask run and the Huey consumer
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    env = child_env(args.host, args.port)
    # SIGTERM (e.g. from a test or a process manager) stops both, like Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    worker = subprocess.Popen([*FLASK, "worker"], env=env)  # noqa: S603  (our own fixed command)
    web = subprocess.Popen([*FLASK, "run", "--host", args.host, "--port", str(args.port)],  # noqa: S603
                           env=env)
    print(f"Leerlijn runs on {env['BASE_URL']}; mail appears in instance/mail/. Stop with Ctrl-C.", flush=True)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop([web, worker])
    return web.returncode if web.returncode and web.returncode > 0 else 0


if __name__ == "__main__":
    sys.exit(main())
