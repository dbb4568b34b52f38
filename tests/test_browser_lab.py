"""The builder notebook in a real JupyterLab, driven by Chromium through Playwright.

A user opens notebooks/02-build-ipsecov2-bytes.ipynb, runs it, ticks `Esp` and sees byte 0x78 of the
NDIS_OFFLOAD turn from 00 to 01; pastes a record and sees the controls follow. The test does exactly that
over a temporary copy of the notebooks (the committed one stays without outputs) and leaves a screenshot in
test-artifacts/lab-builder.png.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from browser_harness import (
    BrowserRecord,
    chromium,
    is_local,
    notebooks_copy,
    require_browser,
    screenshot,
    serve,
    stop_process_tree,
)
from helpers import spec_constant, spec_member

NOTEBOOK = "02-build-ipsecov2-bytes.ipynb"
UI_TIMEOUT_MS = 45_000  # the first widget render waits for the kernel and the widget manager


def ah_record() -> tuple[str, int, int]:
    """A revision-2 NDIS_OFFLOAD with only IPsecV2.Ah set, built byte by byte from the spec (not from the
    code under test); returns (hex text, Ah offset, Esp offset)."""
    size = spec_constant("NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2")
    rec = bytearray(size)
    rec[spec_member("NDIS_OFFLOAD", "Header.Type")["offset"]] = spec_constant("NDIS_OBJECT_TYPE_OFFLOAD")
    rec[spec_member("NDIS_OFFLOAD", "Header.Revision")["offset"]] = spec_constant("NDIS_OFFLOAD_REVISION_2")
    size_at = spec_member("NDIS_OFFLOAD", "Header.Size")["offset"]
    rec[size_at:size_at + 2] = size.to_bytes(2, "little")
    ah = spec_member("NDIS_OFFLOAD", "IPsecV2.Ah")["offset"]
    rec[ah] = 1
    # Sixteen bytes a line, like a debugger dump: the paste box must take multi-line input.
    text = "\n".join(rec[i:i + 16].hex(" ") for i in range(0, size, 16))
    return text, ah, spec_member("NDIS_OFFLOAD", "IPsecV2.Esp")["offset"]


@pytest.mark.browser
@pytest.mark.slow
def test_builder_in_jupyterlab():
    require_browser()
    from playwright.sync_api import expect

    hex_text, ah_offset, esp_offset = ah_record()
    assert esp_offset == 0x78  # the offset the issue names; a spec change would make this test meaningless
    t0 = time.monotonic()
    timings = {}
    shots = []
    with notebooks_copy([NOTEBOOK]) as nb_dir, serve("lab", nb_dir, log_name="server-lab.log") as server:
        timings["server ready"] = time.monotonic() - t0
        with chromium(block_external=True, viewport=(1400, 1400)) as (page, blocked):
            try:
                page.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                page.goto(f"{server.base}/lab/tree/{NOTEBOOK}?token={server.token}")
                page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
                # Run All only once the kernel is up: asked earlier, JupyterLab opens a "Select Kernel"
                # dialog instead of queueing the run. The status bar says "<kernel name> | Idle" then.
                expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle\s*$"))).to_have_count(1)
                timings["kernel idle"] = time.monotonic() - t0

                page.locator(".lm-MenuBar-item", has_text="Run").first.click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

                esp = page.locator(".ipsecexplore-ctl-IPsecV2-Esp input[type=checkbox]")
                byte = page.locator(f'.ipsecexplore-hexdump span[data-offset="{esp_offset}"]')
                expect(esp).to_be_visible()
                expect(byte).to_have_count(1)
                timings["widget shown"] = time.monotonic() - t0
                expect(esp).not_to_be_checked()
                expect(byte).to_have_text("00")

                esp.click()
                expect(byte).to_have_text("01")
                expect(esp).to_be_checked()
                esp.click()  # and back: the dump follows both ways
                expect(byte).to_have_text("00")
                timings["Esp toggled"] = time.monotonic() - t0

                ah = page.locator(".ipsecexplore-ctl-IPsecV2-Ah input[type=checkbox]")
                expect(ah).not_to_be_checked()
                page.locator(".ipsecexplore-paste textarea").fill(hex_text)
                page.locator("button.ipsecexplore-load, .ipsecexplore-load button").first.click()
                expect(ah).to_be_checked()
                expect(page.locator(f'.ipsecexplore-hexdump span[data-offset="{ah_offset}"]')).to_have_text("01")
                expect(esp).not_to_be_checked()
                errors = page.locator(".ipsecexplore-error")
                assert errors.count() == 0 or not errors.first.inner_text().strip(), errors.first.inner_text()
                timings["paste loaded"] = time.monotonic() - t0

                # Bad input: the error is shown in place (no traceback) and the state is left as it was.
                page.locator(".ipsecexplore-paste textarea").fill("a7 02 90 00 zz")
                page.locator("button.ipsecexplore-load, .ipsecexplore-load button").first.click()
                expect(errors.first).to_be_visible()
                expect(errors.first).not_to_be_empty()
                assert "Traceback" not in page.locator(".jp-NotebookPanel").inner_text()
                stderr = ".jp-NotebookPanel .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
                expect(page.locator(stderr)).to_have_count(0)
                expect(ah).to_be_checked()
                # JupyterLab scrolls inside the notebook panel, so a full-page shot shows one window's worth;
                # the 1400 px viewport holds the controls and the dump side by side once Ah is in view.
                ah.scroll_into_view_if_needed()
                page.wait_for_timeout(300)  # let the last redraw settle before the picture
                shots.append(screenshot(page, "lab-builder"))
            finally:
                if not shots:  # failed half way: keep what the page looked like
                    shots.append(screenshot(page, "lab-builder-failure"))
                print(f"\nscreenshots: {', '.join(map(str, shots))}\nblocked external requests: {len(blocked)}")
    timings["total"] = time.monotonic() - t0
    print("timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


# ------------------------------------------------------------------ the harness itself (no browser needed)
def test_stop_process_tree_reaches_children_in_their_own_session():
    """Jupyter starts kernels with start_new_session=True, so killing the server's process group would
    leave them running; the harness must stop them by pid."""
    script = ("import subprocess, sys, time\n"
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)\n"
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
              "time.sleep(300)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    from browser_harness import _alive, descendants

    deadline = time.monotonic() + 20
    while len(descendants(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    tree = descendants(proc.pid)
    assert len(tree) == 2, f"test setup: expected two children, found {tree}"
    stop_process_tree(proc, grace=2.0)
    assert proc.poll() is not None
    assert not [p for p in tree if _alive(p)], "a child survived stop_process_tree"


@pytest.mark.parametrize("url, local", [
    ("http://127.0.0.1:8888/lab?token=x", True),
    ("https://127.0.0.1/x", True),
    ("ws://127.0.0.1:41000/api/kernels/1/channels", True),
    ("data:font/woff2;base64,AAAA", True),
    ("blob:http://127.0.0.1:8866/3f1c0e52-8a7e-4f8e-9d7a-0c5b0b3d1e11", True),
    ("about:blank", True),
    ("chrome-error://chromewebdata/", True),
    ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/all.min.css", False),
    ("wss://example.org/socket", False),
    ("http://127.0.0.1.example.com/x", False),  # a host name that merely starts with 127.0.0.1
    ("http://127.0.0.1@example.com/x", False),  # user-info: the host is example.com
    ("http://localhost:8888/", False),  # the servers listen on 127.0.0.1 only; anything else is external
    ("http://[::1]:8888/", False),
    ("file:///etc/hosts", False),
    ("//cdn.example.org/x.css", False),  # scheme-relative: not a URL a browser reports, and not local
    ("http://[broken/", False),
])
def test_only_127_0_0_1_counts_as_local(url, local):
    assert is_local(url) is local


def test_record_sorts_requests_and_messages_into_problems():
    """The rules on a hand-made record: which entries are problems and which are not."""
    rec = BrowserRecord(
        requests=[("request", "http://127.0.0.1:1/a.js"), ("request", "https://cdn.example.org/x.css"),
                  ("websocket", "ws://127.0.0.1:1/k"), ("request", "https://cdn.example.org/x.css"),
                  ("request", "data:,x")],
        console=[("warning", "Unsatisfied version 4.2.5 from X of shared singleton module @jupyterlab/a "
                  "(required ^4.6.2)", "u:1"),
                 ("warning", "No satisfying version (^4.6.2) of shared module @jupyterlab/b found", "u:2"),
                 ("warning", "an ordinary warning", "u:3"), ("log", "hello", "u:4"),
                 ("error", "Failed to load resource", "u:5"), ("pageerror", "Error: boom", "u")])
    assert rec.off_host() == ["https://cdn.example.org/x.css"]  # once, however often it was asked for
    assert rec.console_errors() == ["error: Failed to load resource (u:5)", "pageerror: Error: boom (u)"]
    assert [w.split(" (")[0] for w in rec.version_warnings()] == [
        "warning: Unsatisfied version 4.2.5 from X of shared singleton module @jupyterlab/a",
        "warning: No satisfying version"]
    assert len(rec.problems()) == 1 + 2 + 2
    with pytest.raises(AssertionError, match="cdn.example.org"):
        rec.check()
    BrowserRecord(requests=[("request", "http://127.0.0.1:1/")], console=[("warning", "fine", "")]).check()


# A page at 127.0.0.1 that breaks every rule once, next to local requests that break none. Its "server" is
# a Playwright route, and every off-host request is aborted (WebSocket closed) before it leaves Chromium,
# so the test makes no network traffic at all.
BAD_HOST = "http://127.0.0.1:9"
BAD_PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="https://cdn.example.invalid/fa.css">
</head><body><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">
<script>
(async () => {
  const tryFetch = (u) => fetch(u).then(() => 'ok', () => 'failed');
  await tryFetch('/local.txt');
  await tryFetch(URL.createObjectURL(new Blob(['x'])));
  await tryFetch('http://localhost:9/other-host');
  await new Promise((done) => {
    const ws = new WebSocket('wss://ws.example.invalid/socket');
    ws.onclose = ws.onerror = () => done();
  });
  console.warn('Unsatisfied version 4.2.5 from _JUPYTERLAB.CORE_OUTPUT of shared singleton module '
               + '@jupyterlab/services (required ^7.6.2)');
  console.warn('an ordinary warning');
  console.error('boom');
  setTimeout(() => { window.finished = true; throw new Error('uncaught'); }, 0);
})();
</script></body></html>"""


@pytest.mark.browser
def test_recorder_catches_a_page_that_goes_off_host():
    require_browser()
    rec = BrowserRecord()
    with pytest.raises(AssertionError) as failure:
        with chromium(record=rec) as (page, blocked):
            page.route(f"{BAD_HOST}/**", lambda route: route.fulfill(
                body=BAD_PAGE if route.request.url.endswith("/index.html") else "ok", content_type="text/html"))
            page.goto(f"{BAD_HOST}/index.html")
            page.wait_for_function("window.finished === true")
    off_host = ["https://cdn.example.invalid/fa.css", "http://localhost:9/other-host",
                "wss://ws.example.invalid/socket"]
    assert sorted(rec.off_host()) == sorted(off_host)
    assert sorted(set(blocked)) == sorted(off_host)  # each was stopped inside Chromium
    urls = [url for _, url in rec.requests]
    assert f"{BAD_HOST}/index.html" in urls and f"{BAD_HOST}/local.txt" in urls  # recorded, not problems
    message = str(failure.value)
    for url in off_host:
        assert f"request off 127.0.0.1: {url}" in message
    assert "console error: boom" in message and "console pageerror: Error: uncaught" in message
    assert "version mismatch warning: Unsatisfied version 4.2.5" in message
    # data: and blob: URLs never reach the network (Chromium does not even report them as requests)
    assert "ordinary warning" not in message and "local.txt" not in message
    assert "blob:" not in message and "data:" not in message
