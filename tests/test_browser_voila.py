"""`make app`: the builder notebook as a standalone Voila page, in a real Chromium.

The page is served by scripts/serve.py (what `make app` runs) over a temporary copy of
notebooks/02-build-ipsecov2-bytes.ipynb. It must work offline: the harness fails the test if the page asks any
host but 127.0.0.1 for anything (Voila's stock template links Font Awesome on a CDN; serve.py's template does
not), logs a console error, or an "Unsatisfied version" warning (a widgets front end built against another
JupyterLab than Voila's page). The Font Awesome icons must still be there, from the server itself.
Learners must not see code: no code cell source and no code editor appears on the page.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from browser_harness import NOTEBOOKS_DIR, chromium, notebooks_copy, require_browser, screenshot, serve
from helpers import spec_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "02-build-ipsecov2-bytes.ipynb"
UI_TIMEOUT_MS = 45_000  # Voila executes the notebook before the widget shows


def test_builder_as_voila_app():
    require_browser()
    from playwright.sync_api import expect

    esp_offset = spec_member("NDIS_OFFLOAD", "IPsecV2.Esp")["offset"]
    code_sources = [c.source.strip() for c in nbformat.read(NOTEBOOKS_DIR / NOTEBOOK, as_version=4).cells
                    if c.cell_type == "code" and c.source.strip()]
    assert code_sources, "the builder notebook has no code cell"
    t0 = time.monotonic()
    timings = {}
    shots = []
    with notebooks_copy([NOTEBOOK]) as nb_dir, \
            serve("app", nb_dir / NOTEBOOK, log_name="server-app.log") as server:
        timings["server ready"] = time.monotonic() - t0
        with chromium(block_external=True, viewport=(1400, 1200)) as (page, blocked):
            try:
                page.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                page.goto(server.url)
                esp = page.locator(".ipsecexplore-ctl-IPsecV2-Esp input[type=checkbox]")
                byte = page.locator(f'.ipsecexplore-hexdump span[data-offset="{esp_offset}"]')
                expect(esp).to_be_visible()
                expect(byte).to_have_count(1)
                timings["widget shown"] = time.monotonic() - t0
                expect(byte).to_have_text("00")

                esp.click()
                expect(byte).to_have_text("01")
                expect(esp).to_be_checked()
                timings["Esp toggled"] = time.monotonic() - t0

                # No code for learners: neither the cell sources nor an editor are on the page.
                body = page.locator("body").inner_text()
                shown = [src.splitlines()[0] for src in code_sources if src.splitlines()[0] in body]
                assert not shown, f"code cell source visible on the Voila page: {shown}"
                expect(page.locator(".cm-editor, .CodeMirror, .jp-InputArea-editor")).to_have_count(0)

                # Icons without the CDN: the page itself declares Font Awesome 5 and its font loads
                # (from 127.0.0.1 -- the harness fails the test on any other host).
                faces = page.evaluate("async () => (await document.fonts.load('900 16px \"Font Awesome 5 Free\"'))"
                                      ".map(f => f.status)")
                assert faces and set(faces) == {"loaded"}, f"Font Awesome 5 is not available on the page: {faces}"
                page.wait_for_timeout(300)  # let the last redraw settle before the picture
                shots.append(screenshot(page, "voila-builder"))
            finally:
                if not shots:
                    shots.append(screenshot(page, "voila-builder-failure"))
                print(f"\nscreenshots: {', '.join(map(str, shots))}")
                print(f"blocked external requests ({len(blocked)}): {sorted(set(blocked))[:10]}")
    timings["total"] = time.monotonic() - t0
    print("timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


# What else a notebook may put on the page, each of which Voila's stock templates would fetch from a CDN:
# Font Awesome icons (a widget button's icon), math in markdown, a Mermaid diagram.
FEATURES_MARKDOWN = """# Offline page

Inline math $e^{i\\pi} + 1 = 0$ and a display $$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$

```mermaid
graph LR
  A --> B
```
"""
FEATURES_CODE = 'import ipywidgets as w\nw.Button(description="Load", icon="check")'


def test_voila_page_features_stay_on_127_0_0_1(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(FEATURES_MARKDOWN),
                                         nbformat.v4.new_code_cell(FEATURES_CODE)])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    path = tmp_path / "features.ipynb"
    nbformat.write(nb, path)
    with serve("app", path, log_name="server-app-features.log") as server, \
            chromium(viewport=(1000, 800)) as (page, blocked):
        page.set_default_timeout(UI_TIMEOUT_MS)
        expect.set_options(timeout=UI_TIMEOUT_MS)
        page.goto(server.url)
        icon = page.locator("button.jupyter-button i.fa-check")
        expect(icon).to_be_visible()
        family = icon.evaluate("e => getComputedStyle(e).fontFamily")
        assert "Font Awesome" in family, family
        faces = page.evaluate("async () => (await document.fonts.load('900 16px \"Font Awesome 5 Free\"'))"
                              ".map(f => f.status)")
        assert faces and set(faces) == {"loaded"}, f"the icon font did not load: {faces}"
        expect(page.locator("mjx-container").first).to_be_visible()  # math typeset on the page itself
        expect(page.get_by_text("A --> B")).to_be_visible()  # the diagram stays as its source text
        screenshot(page, "voila-features")
        assert not blocked, blocked
