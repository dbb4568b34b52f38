"""Real-browser test harness: a JupyterLab or Voila server over a temporary copy of the notebooks, and
Debian's Chromium driven by Python Playwright.

The servers are started through ``scripts/serve.py`` -- the very script behind ``make lab`` and ``make app``
-- so the browser tests cover what users run (127.0.0.1, a token, ``--allow-root`` when root, no news
prompt, Voila without code cells). Everything the harness starts is stopped on the way out, also when a
test fails half way: the server's whole process tree (Jupyter starts kernels in their own sessions, so a
process-group kill alone would miss them) and the Chromium instance.

Chromium is always ``/usr/bin/chromium`` (``make chromium`` installs Debian's package); the harness never
runs ``playwright install`` and skips with the reason when that binary is absent.

Every page opened through ``chromium()`` is held to the offline rules of ``make lab`` / ``make app``: the
browser's requests and console messages are all recorded (``BrowserRecord``; written to
test-artifacts/browser-<test>.log), and the ``with`` block fails on leaving it if any request went to a
host other than 127.0.0.1 (see ``is_local`` for exactly what counts), if anything was logged as a console
error, or if an extension's shared-module version did not match the page ("Unsatisfied version ...").
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DATA_DIR = REPO_ROOT / "data"
SERVE_SCRIPT = REPO_ROOT / "scripts" / "serve.py"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # gitignored; screenshots and server logs land here
HOST = "127.0.0.1"

CHROMIUM = Path("/usr/bin/chromium")
# --headless etc. as agreed for this project; --user-data-dir is given per launch (a fresh one each time).
# Requests Chromium makes for itself (component and safe-browsing updates, sync, first-run pages) belong to
# no page, so BrowserRecord cannot see them; the --disable-*/--no-first-run flags switch them off instead.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root in a container; Chromium's sandbox refuses to start as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A cold JupyterLab start on the 2-core development machine takes ~5-15 s; leave room for a loaded CI box.
SERVER_START_TIMEOUT = 90.0
STOP_GRACE = 15.0  # Jupyter shuts its kernels down on SIGTERM; slow on a loaded 2-core box


# ------------------------------------------------------------------ prerequisites
def require_browser() -> None:
    """Skip the calling test, saying why, when Chromium or the playwright package is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (run `make chromium`, or `make test`, which installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api", reason="the Python playwright package is not installed")


# ------------------------------------------------------------------ process bookkeeping
def _children_map() -> dict[int, list[int]]:
    """ppid -> [pid] for every process visible in /proc right now."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # the process ended while we were looking
            continue
        # The command name (field 2) may contain spaces and ')' -- split after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first), found by walking /proc."""
    kids = _children_map()
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop(0)
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists but not ours; cannot be one we started
        return False
    # A zombie is dead for our purposes (its parent will reap it).
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_process_tree(proc: subprocess.Popen, grace: float = STOP_GRACE) -> list[int]:
    """Stop `proc` and everything it started; return the pids that had to be SIGKILLed.

    SIGTERM goes to the top process first so Jupyter can shut its kernels down cleanly; whatever is
    still alive after `grace` seconds -- the process group and every descendant seen before the stop
    (kernels live in their own sessions) -- gets SIGKILL, by pid.
    """
    tree = descendants(proc.pid)
    killed: list[int] = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in tree):
        time.sleep(0.1)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # start_new_session=True made proc.pid the group id
    except (ProcessLookupError, PermissionError):
        pass
    for p in [proc.pid, *tree]:
        if _alive(p):
            try:
                os.kill(p, signal.SIGKILL)
                killed.append(p)
            except ProcessLookupError:
                pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
        pass
    # SIGKILL is delivered asynchronously: wait until the kernel has actually ended them.
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in killed):
        time.sleep(0.05)
    return killed


# ------------------------------------------------------------------ notebooks copy
@contextmanager
def notebooks_copy(names: list[str] | None = None) -> Iterator[Path]:
    """A temporary folder laid out like the repository: ``<tmp>/notebooks/<copies>`` and ``<tmp>/data``.

    Browser tests run, save and checkpoint notebooks; working on copies keeps the committed notebooks
    free of outputs. ``data`` is a symlink to the repository's sample data so relative paths such as
    ``../data`` behave as they do in the checkout. Yields the copied notebooks folder.
    """
    tmp = Path(tempfile.mkdtemp(prefix="ipsecexplore-browser-"))
    try:
        nb_dir = tmp / "notebooks"
        nb_dir.mkdir()
        for src in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
            if names is None or src.name in names:
                shutil.copy2(src, nb_dir / src.name)
        missing = [n for n in (names or []) if not (nb_dir / n).is_file()]
        if missing:
            raise FileNotFoundError(f"notebooks not found in {NOTEBOOKS_DIR}: {', '.join(missing)}")
        if DATA_DIR.is_dir():
            (tmp / "data").symlink_to(DATA_DIR, target_is_directory=True)
        yield nb_dir
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ servers
@dataclass
class Server:
    """A running JupyterLab/Voila: `url` is the tokenised start URL serve.py printed."""

    mode: str
    url: str
    base: str  # http://127.0.0.1:PORT
    token: str
    root: Path
    log: Path
    proc: subprocess.Popen = field(repr=False)

    def log_tail(self, n: int = 60) -> str:
        """Last lines of the server log, for assertion messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A port on HOST nobody listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_URL_RE = re.compile(r"(http://127\.0\.0\.1:(\d+))(/\S*?)\?token=([0-9A-Za-z]+)")


def _http_ok(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - 127.0.0.1 only
            return 200 <= r.status < 400
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serve(mode: str, target: Path, *, log_name: str | None = None,
          timeout: float = SERVER_START_TIMEOUT) -> Iterator[Server]:
    """Start ``scripts/serve.py lab <folder>`` or ``app <notebook>`` on a free port; yield a ready Server.

    Ready means: serve.py printed the tokenised URL (it does so once the port listens) and an HTTP
    request with the token is answered (JupyterLab's ``/api/status``; for Voila the listening port). The whole
    process tree is stopped afterwards, whatever happened in between.
    """
    if mode not in ("lab", "app"):
        raise ValueError(f"mode must be 'lab' or 'app', not {mode!r}")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log = ARTIFACTS_DIR / (log_name or f"server-{mode}.log")
    root = target if target.is_dir() else target.parent
    runtime = Path(tempfile.mkdtemp(prefix="ipsecexplore-jupyter-"))
    env = dict(os.environ)
    env.update({
        # A private runtime and workspace folder: no state leaks in from (or out to) the user's ~/.jupyter,
        # so JupyterLab opens with no remembered tabs and the test sees the same page every time.
        "JUPYTER_RUNTIME_DIR": str(runtime / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(runtime / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(runtime / "config"),
        "IPYTHONDIR": str(runtime / "ipython"),
        # serve.py's token config file, Voila's connection files and the kernels' temp files go in here too,
        # so nothing is left in /tmp even when the server had to be SIGKILLed (no atexit cleanup then).
        "TMPDIR": str(runtime / "tmp"),
        "MPLBACKEND": "Agg",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("JUPYTER_TOKEN", None)  # serve.py chooses the token
    (runtime / "tmp").mkdir()
    port = free_port()
    cmd = [sys.executable, str(SERVE_SCRIPT), mode, str(target), "--port", str(port), "--open", "no"]
    with open(log, "wb") as log_fh:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log_fh, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        match = None
        while time.monotonic() < deadline:
            match = _URL_RE.search(log.read_text(errors="replace"))
            if match or proc.poll() is not None:
                break
            time.sleep(0.2)
        if not match:
            raise RuntimeError(f"{mode} server did not print its URL within {timeout:.0f}s "
                               f"(exit status {proc.poll()}); log {log}:\n{_tail(log)}")
        base, token = match.group(1), match.group(4)
        # Voila's only page is the notebook itself, and every GET of it starts a kernel: there serve.py's
        # "port listens" is the readiness signal. JupyterLab has a cheap authenticated status endpoint.
        probe = f"{base}/api/status?token={token}"
        while mode == "lab" and not _http_ok(probe):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{mode} server at {base} never answered {probe.split('?')[0]}; "
                                   f"log {log}:\n{_tail(log)}")
            time.sleep(0.3)
        yield Server(mode=mode, url=match.group(0), base=base, token=token, root=root, log=log, proc=proc)
    finally:
        stop_process_tree(proc)
        shutil.rmtree(runtime, ignore_errors=True)


def _tail(log: Path, n: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


# ------------------------------------------------------------------ browser
# Schemes that never reach a network: the page's own data:/blob:/about: documents and Chromium's internal
# pages (a failed navigation shows chrome-error://chromewebdata/).
NON_NETWORK_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-error"})
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss"})
# Module federation's complaint that an extension was built against other versions of a shared module
# than the page provides ("Unsatisfied version 4.2.5 from ... (required ^4.6.2)", "No satisfying version").
VERSION_MISMATCH = re.compile(r"Unsatisfied version|No satisfying version")
CONSOLE_ERROR_TYPES = frozenset({"error", "assert"})


def is_local(url: str) -> bool:
    """True when `url` cannot take the browser off this machine's 127.0.0.1.

    Local: http/https/ws/wss to exactly 127.0.0.1 (any port), and the schemes in NON_NETWORK_SCHEMES.
    Everything else is off-host -- other hosts, and also ``localhost`` and ``[::1]`` (the servers listen
    on 127.0.0.1 only, so a page asking for those is wrong), ``file:`` URLs and unparseable URLs.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return scheme in NON_NETWORK_SCHEMES or (scheme in NETWORK_SCHEMES and host == HOST)


@dataclass
class BrowserRecord:
    """Every request and console message of one browser context, and the offline rules they must keep.

    `requests` holds ("request" | "websocket", URL) in the order the browser made them (pages, frames,
    workers, service workers), `console` holds (type, text, where) for every console message and every
    uncaught page error (type "pageerror"). `problems()` lists what breaks the rules: a request that is
    not `is_local`, a console error, a module-federation version warning (see VERSION_MISMATCH).
    """

    requests: list[tuple[str, str]] = field(default_factory=list)
    console: list[tuple[str, str, str]] = field(default_factory=list)
    frozen: bool = False
    written_to: Path | None = None

    def attach(self, ctx) -> None:
        """Listen to a Playwright BrowserContext (and each of its pages, for WebSockets)."""
        ctx.on("request", lambda r: self.add_request("request", r.url))
        ctx.on("console", self._add_console)
        ctx.on("weberror", lambda e: self._add("pageerror", f"{e.error.name}: {e.error.message}",
                                               e.page.url if e.page else ""))

        def watch(page) -> None:
            page.on("websocket", lambda ws: self.add_request("websocket", ws.url))

        for page in ctx.pages:
            watch(page)
        ctx.on("page", watch)

    def add_request(self, kind: str, url: str) -> None:
        """Note one request ("request" or "websocket") unless the record is frozen."""
        if not self.frozen:
            self.requests.append((kind, url))

    def _add_console(self, msg) -> None:
        loc = msg.location or {}
        self._add(msg.type, msg.text, f"{loc.get('url', '')}:{loc.get('lineNumber', '')}")

    def _add(self, kind: str, text: str, where: str) -> None:
        if not self.frozen:
            self.console.append((kind, text, where))

    def off_host(self) -> list[str]:
        """The URLs requested that are not `is_local`, each once, in first-request order."""
        return list(dict.fromkeys(url for _, url in self.requests if not is_local(url)))

    def console_errors(self) -> list[str]:
        """Console errors and uncaught page errors, as 'type: text (where)'."""
        return [f"{kind}: {text} ({where})" for kind, text, where in self.console
                if kind in CONSOLE_ERROR_TYPES or kind == "pageerror"]

    def version_warnings(self) -> list[str]:
        """Console messages of any level saying a shared module's version does not satisfy an extension."""
        return [f"{kind}: {text} ({where})" for kind, text, where in self.console if VERSION_MISMATCH.search(text)]

    def problems(self) -> list[str]:
        """Everything that breaks the offline rules, one line each; empty when the page kept them."""
        return ([f"request off 127.0.0.1: {url}" for url in self.off_host()]
                + [f"console {line}" for line in self.console_errors()]
                # one logged as an error is listed above already
                + [f"version mismatch {line}" for line in self.version_warnings()
                   if not line.startswith(tuple(CONSOLE_ERROR_TYPES))])

    def check(self) -> None:
        """Raise AssertionError listing every problem (and where the full record was written)."""
        problems = self.problems()
        where = f"; every request and message: {self.written_to}" if self.written_to else ""
        assert not problems, (f"the page broke the offline rules ({len(problems)}{where}):\n  "
                              + "\n  ".join(problems))

    def write(self, path: Path) -> None:
        """Every request and console message, one a line, for reading after the test."""
        lines = [f"{kind} {'LOCAL' if is_local(url) else 'OFF-HOST'} {url}" for kind, url in self.requests]
        lines += [f"console {kind}: {text} ({where})" for kind, text, where in self.console]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.written_to = path


def _flush_events(ctx) -> None:
    """Let Playwright deliver the events the pages sent so far: one round trip per page (they arrive in order)."""
    for page in ctx.pages:
        try:
            page.evaluate("0")
        except Exception:  # a closed or crashed page has nothing left to deliver
            pass


def _record_path() -> Path:
    """test-artifacts/browser-<current test>.log (the test name from pytest, made safe for a file name)."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "browser").split(" ")[0]
    return ARTIFACTS_DIR / f"browser-{re.sub(r'[^A-Za-z0-9_.-]+', '_', test)}.log"


@contextmanager
def chromium(*, block_external: bool = True, viewport: tuple[int, int] = (1400, 1000),
             record: BrowserRecord | None = None, check: bool = True):
    """A Playwright page in Debian's Chromium with a fresh profile; yields (page, blocked_urls).

    Every request and console message is recorded (pass `record` to read it afterwards; it is also written
    to test-artifacts/browser-<test>.log). When the `with` body finishes without an exception and `check`
    is on, leaving the block raises AssertionError if the page requested anything off 127.0.0.1, logged
    a console error or a version-mismatch warning (BrowserRecord.problems). If the body failed, its own
    exception wins and the problems are only printed.

    With `block_external` (the default), no request off 127.0.0.1 reaches the network: requests are
    aborted and WebSockets closed before they leave, and their URLs collected in `blocked_urls`.
    """
    from playwright.sync_api import sync_playwright

    record = record if record is not None else BrowserRecord()
    profile = Path(tempfile.mkdtemp(prefix="ipsecexplore-chromium-"))
    blocked: list[str] = []
    body_ok = False
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                user_data_dir=str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                # Playwright adds --disable-extensions etc.; keep its defaults otherwise.
            )
            try:
                record.attach(ctx)
                if block_external:
                    _block_external(ctx, blocked, record)
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                yield page, blocked
                body_ok = True
            finally:
                # Freeze before closing: pages shutting down (WebSockets dropped) are not what we check.
                _flush_events(ctx)
                record.frozen = True
                ctx.close()
    finally:
        _kill_leftover_chromium(profile)
        shutil.rmtree(profile, ignore_errors=True)
        record.write(_record_path())
        if not body_ok and record.problems():
            print("browser record problems:\n  " + "\n  ".join(record.problems()))
    if check:
        record.check()


def _block_external(ctx, blocked: list[str], record: BrowserRecord) -> None:
    """Abort every request and close every WebSocket that is not `is_local`, noting its URL in `blocked`.

    A routed WebSocket never reaches the browser's network stack, so no "websocket" event reports it:
    it is recorded here instead.
    """
    def continue_or_abort(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def close_socket(ws):
        record.add_request("websocket", ws.url)
        blocked.append(ws.url)
        ws.close()

    ctx.route("**/*", continue_or_abort)
    ctx.route_web_socket(lambda url: not is_local(url), close_socket)


def _kill_leftover_chromium(profile: Path) -> None:
    """SIGKILL any Chromium process still using our (unique, temporary) profile folder.

    Playwright closes the browser it launched; this is the belt to those braces, for a crashed driver.
    Matching on our own temp profile path means we only ever touch processes this harness started.
    """
    marker = f"--user-data-dir={profile}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline.replace(b"\0", b" "):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except ProcessLookupError:
                pass


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
