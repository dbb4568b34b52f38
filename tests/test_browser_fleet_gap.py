"""The fleet widget's "Supported but off" and "Rule findings" views in a real browser (issue 13): the tabs open,
the views show the fleet's answers for the sample data, and the "Supports" filter keeps both views of an
adapter, so a filtered fleet still shows what its current view has switched off.

Uses the project's browser harness (tests/browser_harness.py) over a temporary folder holding one small notebook
written here. Screenshots: test-artifacts/fleet-gap-*.png.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from browser_harness import DATA_DIR, chromium, require_browser, screenshot, serve
from browser_notebooks import notebook, run_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UI_TIMEOUT_MS = 60_000


def test_supported_but_off_view_in_jupyterlab():
    require_browser()
    from playwright.sync_api import expect

    from ipsecexplore.fleet import load_fleet
    from ipsecexplore.questions import supported_but_off, supporting_adapters

    sample = DATA_DIR / "sample"
    fleet = load_fleet([sample], progress=False)
    gaps, one = fleet.supported_but_off(), fleet.one_view_adapters()
    assert len(gaps) and len(one)  # the sample has both, or this test shows nothing
    adapters = gaps[["host", "adapter"]].drop_duplicates().shape[0]
    # adapters whose hardware view has ESP, all their rows (an ESP keyword gap included)
    esp = fleet.frame[supporting_adapters(fleet.frame, ["IPsecV2.Esp"])]
    esp_gaps = supported_but_off(esp)
    assert 0 < len(esp_gaps) and (esp_gaps["capability"] == "IPsecV2.Esp").any()
    tmp = Path(tempfile.mkdtemp(prefix="ipsecexplore-fleet-gap-browser-"))
    shots = []
    try:
        (tmp / "fleet.ipynb").write_text(json.dumps(notebook([
            f"from ipsecexplore.widgets import FleetWidget\nFleetWidget([{str(sample)!r}])"])))
        with serve("lab", tmp, log_name="server-fleet-gap.log") as server, \
                chromium(block_external=True, viewport=(1500, 1400)) as (page, _blocked):
            try:
                page.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                run_all(page, server, "fleet.ipynb")
                widget = page.locator(".ipsecexplore-fleet")
                expect(widget).to_have_count(1)
                expect(widget.locator(".ipsecexplore-fleet-chart svg")).to_be_visible()
                widget.locator(".lm-TabBar-tab", has_text="Supported but off").click()
                view = widget.locator(".ipsecexplore-fleet-gap")
                expect(view).to_be_visible()
                expect(view).to_contain_text(f"{len(gaps)} capabilities supported in hardware and off in the "
                                             f"current view on {adapters} adapters")
                expect(view).to_contain_text("disables AH and ESP: NDIS zeroes the whole IPsecV2 block (R51)")
                expect(view).to_contain_text(f"Captured in one view only ({len(one)} adapters)")
                # one line per adapter and cause, the capabilities it leaves off listed in it
                groups = gaps.groupby(["host", "adapter", "cause"]).ngroups
                expect(view.locator("table").first.locator("tbody tr")).to_have_count(min(groups, 200))
                shots.append(screenshot(page, "fleet-gap-all"))

                # "Supports IPsecV2.Esp": adapters whose hardware has ESP keep their current view and its gaps
                widget.locator(".ipsecexplore-fleet-filter select").last.select_option("IPsecV2.Esp")
                expect(view).to_contain_text(f"{len(esp_gaps)} capabilities supported in hardware")
                shots.append(screenshot(page, "fleet-gap-supports-esp"))

                widget.locator(".lm-TabBar-tab", has_text="Rule findings").click()
                findings = widget.locator(".ipsecexplore-fleet-findings")
                expect(findings).to_be_visible()
                expect(findings).to_contain_text("R34")
                expect(findings).to_contain_text("fleet.findings()")
                shots.append(screenshot(page, "fleet-gap-findings"))
            finally:
                if not shots:
                    shots.append(screenshot(page, "fleet-gap-failure"))
                print("\nscreenshots: " + ", ".join(map(str, shots)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
