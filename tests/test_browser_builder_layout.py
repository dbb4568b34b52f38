"""The builder's layout in a real browser at 1400×1000: the control a learner clicks, the bytes it changes and
the findings about them are on screen together, and the findings follow each click.

Uses the project's browser harness over a temporary folder holding one small notebook written here.
Screenshots: test-artifacts/builder-layout-*.png.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from browser_harness import chromium, require_browser, screenshot, serve
from helpers import spec_member

from ipsecexplore.sources import DEPRECATION_BANNER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UI_TIMEOUT_MS = 60_000
VIEWPORT = (1400, 1000)  # issue 14: the size at which controls, bytes and findings must be visible together


def _notebook(src: str) -> dict:
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {}, "outputs": [],
                       "source": src}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def _open_and_run(page, server, name: str) -> None:
    """Open notebook ``name`` in JupyterLab and run all its cells."""
    from playwright.sync_api import expect

    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    page.goto(f"{server.base}/lab/tree/{name}?token={server.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle\s*$"))).to_have_count(1)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def _in_view(page, loc) -> bool:
    box = loc.bounding_box()
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height \
        and box["x"] >= 0 and box["x"] < width


def _findings_count(text: str) -> int:
    m = re.search(r"Findings \((\d+)\)", text)
    assert m, text
    return int(m.group(1))


def test_controls_bytes_and_findings_visible_together():
    require_browser()
    from playwright.sync_api import expect

    esp = spec_member("NDIS_OFFLOAD", "IPsecV2.Esp")["offset"]
    tunnel = spec_member("NDIS_OFFLOAD", "IPsecV2.Tunnel")["offset"]
    tmp = Path(tempfile.mkdtemp(prefix="ipsecexplore-builder-layout-"))
    shots = []
    try:
        (tmp / "builder.ipynb").write_text(json.dumps(_notebook(
            "from ipsecexplore.widgets import BuilderWidget\nBuilderWidget(revision=2, load_fleet_presets=False)")))
        with serve("lab", tmp, log_name="server-builder-layout.log") as server, \
                chromium(block_external=True, viewport=VIEWPORT) as (page, _blocked):
            try:
                _open_and_run(page, server, "builder.ipynb")
                builder = page.locator(".ipsecexplore-builder")
                expect(builder).to_have_count(1)
                expect(builder).to_contain_text(DEPRECATION_BANNER)
                title = builder.locator(".ipsecexplore-findings-title")
                findings = builder.locator(".ipsecexplore-findings")
                expect(title).to_contain_text("Findings (0)")

                # ESP on: the control, its byte and the new findings are all on screen at once
                esp_ctl = builder.locator(".ipsecexplore-ctl-IPsecV2-Esp")
                esp_ctl.scroll_into_view_if_needed()
                esp_ctl.locator("input").click()
                byte = builder.locator(f'.ipsecexplore-hexdump span[data-offset="{esp}"]')
                expect(byte).to_have_text("01")
                expect(findings).to_contain_text("R34")
                n_esp = _findings_count(title.inner_text())
                assert n_esp > 0
                shots.append(screenshot(page, "builder-layout-esp"))
                for what, loc in (("control", esp_ctl), ("byte", byte), ("findings title", title),
                                  ("first finding", findings.locator("tr").nth(1))):
                    assert _in_view(page, loc), f"{what} is off screen: {loc.bounding_box()}"

                # Tunnel on: R34 goes away, still without scrolling
                tunnel_ctl = builder.locator(".ipsecexplore-ctl-IPsecV2-Tunnel")
                assert _in_view(page, tunnel_ctl)
                tunnel_ctl.locator("input").click()
                expect(builder.locator(f'.ipsecexplore-hexdump span[data-offset="{tunnel}"]')).to_have_text("01")
                expect(findings).not_to_contain_text("R34")
                # the title counts the rows now shown
                assert _findings_count(title.inner_text()) == findings.locator("tbody tr").count()
                assert _in_view(page, title)

                # down at the last control (SaOffloadCapacity) the bytes and findings are still in view
                sa = builder.locator(".ipsecexplore-ctl-IPsecV2-SaOffloadCapacity")
                sa.scroll_into_view_if_needed()
                for what, loc in (("control", sa), ("byte", byte), ("findings title", title)):
                    assert _in_view(page, loc), f"{what} is off screen after scrolling: {loc.bounding_box()}"
                shots.append(screenshot(page, "builder-layout-scrolled"))
            finally:
                if not shots:
                    shots.append(screenshot(page, "builder-layout-failure"))
                print("\nscreenshots: " + ", ".join(map(str, shots)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_make_app_page_offers_builder_and_exercises():
    """The Voila page `make app` serves (notebooks/07-app.ipynb): the builder, and the exercises answered in
    the page (no code cells for learners)."""
    require_browser()
    from browser_harness import notebooks_copy
    from playwright.sync_api import expect

    name = "07-app.ipynb"
    shots = []
    with notebooks_copy([name]) as nb_dir, serve("app", nb_dir / name, log_name="server-app-learner.log") as server:
        with chromium(block_external=True, viewport=VIEWPORT) as (page, _blocked):
            try:
                page.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                page.goto(server.url)
                expect(page.locator(".ipsecexplore-builder")).to_have_count(1)
                expect(page.locator(".ipsecexplore-ctl-IPsecV2-Esp input[type=checkbox]")).to_be_visible()
                page.get_by_role("tab", name="Exercises").click()
                box = page.locator(".ipsecexplore-exercises")
                feedback = box.locator(".ipsecexplore-exercise-feedback")
                expect(feedback).to_contain_text("not attempted yet")
                answer = box.locator(".ipsecexplore-exercise-answer textarea")
                answer.fill("{'Type': 0x80, 'Revision': 2, 'Size': 144}")
                box.locator(".ipsecexplore-exercise-check").click()
                expect(feedback).to_contain_text("NDIS_OBJECT_TYPE_DEFAULT")
                answer.fill("a7 02 90 00")
                box.locator(".ipsecexplore-exercise-check").click()
                expect(feedback).to_contain_text("correct")
                shots.append(screenshot(page, "app-exercises"))
                expect(page.locator(".cm-editor, .CodeMirror, .jp-InputArea-editor")).to_have_count(0)
            finally:
                if not shots:
                    shots.append(screenshot(page, "app-failure"))
                print("\nscreenshots: " + ", ".join(map(str, shots)))
