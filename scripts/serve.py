"""Start JupyterLab (`make lab`) or Voila (`make app`) on 127.0.0.1 and print the URL to open.

Run with the project venv's python (the Makefile does):
    .venv/bin/python scripts/serve.py lab notebooks [--port N] [--open auto|yes|no]
    .venv/bin/python scripts/serve.py app notebooks/02-build-ipsecov2-bytes.ipynb [--port N]

Why a script and not a one-line Makefile recipe: the port has to be chosen free before the server
starts, the token generated, a browser opened only where one exists (headless Debian has none),
--allow-root added only for root, and the URL printed once the server actually listens.

Both pages ask nothing of any host but 127.0.0.1: JupyterLab runs without its news feed and update
check, and Voila renders with this repository's template scripts/jupyter/voila/templates/ipsecexplore
(the stock one links Font Awesome on a CDN). tests/test_browser_*.py hold both pages to that.
"""

from __future__ import annotations

import argparse
import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = {"lab": 8888, "app": 8866}
PORT_SCAN = 50  # how many ports past the default to try
READY_TIMEOUT = 180.0  # seconds; a cold JupyterLab start on 2 cores takes ~5-15 s
# A Jupyter data folder in this repository (scripts/jupyter/voila/templates/...), put first on JUPYTER_PATH.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
VOILA_TEMPLATE = "ipsecexplore"


def port_is_free(port: int) -> bool:
    """True when nothing listens on HOST:port and we may bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def choose_port(requested: int | None, default: int) -> int:
    """The requested port if free (error otherwise), else the first free one from `default` upward."""
    if requested is not None:
        if not port_is_free(requested):
            sys.exit(f"error: port {requested} on {HOST} is in use; pick another with PORT=")
        return requested
    for port in range(default, default + PORT_SCAN):
        if port_is_free(port):
            return port
    sys.exit(f"error: no free port in {default}-{default + PORT_SCAN - 1} on {HOST}; set PORT=")


def browser_available() -> bool:
    """A graphical browser can be opened: a display on Linux/BSD, always on macOS/Windows."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd")):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def wait_listening(port: int, proc: subprocess.Popen, timeout: float) -> bool:
    """Wait until HOST:port accepts connections; False if the server exited or timed out first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.25)
    return False


def build_command(args: argparse.Namespace, port: int, open_browser: bool) -> tuple[list[str], str, str]:
    """(argv, URL to print, what is served) for the chosen mode."""
    py = sys.executable
    token = secrets.token_hex(24)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if args.mode == "lab":
        root = Path(args.target).resolve()
        if not root.is_dir():
            sys.exit(f"error: {args.target} is not a directory")
        # The token goes in a private config file, not argv, so `ps` does not show it (JUPYTER_TOKEN would
        # work too, but jupyter_server 2 prints a deprecation warning for it).
        config = Path(tempfile.mkdtemp(prefix="ipsecexplore-lab-")) / "lab_token_config.py"
        config.write_text(f"c.IdentityProvider.token = {token!r}\n", encoding="utf-8")
        atexit.register(shutil.rmtree, config.parent, True)
        argv = [
            py, "-m", "jupyter", "lab",
            f"--config={config}",
            f"--ServerApp.root_dir={root}",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.open_browser={open_browser}",
            # No news feed prompt and no update check: both fetch from the internet, which learners
            # (and this machine) may not reach; the prompt also covers part of the page.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if as_root:
            argv.append("--allow-root")
        return argv, f"http://{HOST}:{port}/lab?token={token}", f"JupyterLab on {root}"
    notebook = Path(args.target).resolve()
    if not notebook.is_file():
        sys.exit(f"error: {args.target} does not exist")
    # Voila's own defaults already strip code cells (strip_sources); say so explicitly anyway.
    # Voila only asks for a token when auto_token is on; it then takes JUPYTER_TOKEN from the environment.
    os.environ["JUPYTER_TOKEN"] = token
    # The page template lives in this repository (JUPYTER_DATA/voila/templates/ipsecexplore): Voila's lab
    # template without what it would fetch from CDNs (Font Awesome, Mermaid), so the page works offline.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")]))
    argv = [
        py, "-m", "voila", str(notebook),
        f"--Voila.ip={HOST}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",
        f"--VoilaConfiguration.template={VOILA_TEMPLATE}",
        "--VoilaConfiguration.strip_sources=True",
        f"--Voila.root_dir={notebook.parent}",
        f"--Voila.open_browser={open_browser}",
    ]
    return argv, f"http://{HOST}:{port}/?token={token}", f"Voila app for {notebook.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["lab", "app"])
    parser.add_argument("target", help="lab: folder to serve; app: notebook to render")
    parser.add_argument("--port", type=int, default=None, help="default: first free from 8888 (lab) / 8866 (app)")
    parser.add_argument("--open", choices=["auto", "yes", "no"], default="auto",
                        help="open a browser (auto: only where a display and browser exist)")
    args = parser.parse_args(argv)

    port = choose_port(args.port, DEFAULT_PORT[args.mode])
    open_browser = {"yes": True, "no": False}.get(args.open) if args.open != "auto" else browser_available()
    cmd, url, what = build_command(args, port, open_browser)

    proc = subprocess.Popen(cmd)
    # Ctrl-C reaches the server too (same process group) and it shuts down by itself; we just wait.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    if wait_listening(port, proc, READY_TIMEOUT):
        bar = "=" * max(60, len(url) + 4)
        print(f"\n{bar}\n  {what} is running{' (browser opened)' if open_browser else ''}.\n"
              f"  Open this URL (Ctrl-C to stop):\n\n    {url}\n\n{bar}\n", flush=True)
    elif proc.poll() is None:
        print(f"warning: server not listening on {HOST}:{port} after {READY_TIMEOUT:.0f}s; URL would be {url}",
              file=sys.stderr, flush=True)
    rc = proc.wait()
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
