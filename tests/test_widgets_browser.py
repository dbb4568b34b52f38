"""The widgets in a real browser, for what only a browser can show: hover highlighting (pure CSS, no kernel
round trip), and that the flow and fleet widgets render and react.

Uses the project's browser harness (tests/browser_harness.py) over a temporary folder holding one small
notebook written here, so the committed notebooks are not involved. Screenshot: test-artifacts/widgets-*.png.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from browser_harness import DATA_DIR, chromium, require_browser, screenshot, serve
from browser_notebooks import notebook, run_all
from helpers import spec_member

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UI_TIMEOUT_MS = 60_000
HOVER_OUTLINE = "rgb(25, 113, 194)"  # _HOVER_MEMBER in ipsecexplore/widgets/builder.py (#1971c2)


def test_hover_flow_and_fleet_in_jupyterlab():
    require_browser()
    from playwright.sync_api import expect

    esp = spec_member("NDIS_OFFLOAD", "IPsecV2.Esp")["offset"]
    ah = spec_member("NDIS_OFFLOAD", "IPsecV2.Ah")["offset"]
    enc = spec_member("NDIS_OFFLOAD", "IPsecV2.EncryptionAlgorithms")["offset"]
    tmp = Path(tempfile.mkdtemp(prefix="ipsecexplore-widgets-browser-"))
    shots = []
    try:
        sample = DATA_DIR / "sample"
        (tmp / "widgets.ipynb").write_text(json.dumps(notebook([
            "from ipsecexplore.widgets import BuilderWidget, FlowWidget, FleetWidget\n"
            "BuilderWidget(revision=2, load_fleet_presets=False)",
            "FlowWidget()",
            f"FleetWidget([{str(sample)!r}])" if sample.is_dir() else "None",
        ])))
        with serve("lab", tmp, log_name="server-widgets.log") as server, \
                chromium(block_external=True, viewport=(1500, 1400)) as (page, _blocked):
            try:
                page.set_default_timeout(UI_TIMEOUT_MS)
                expect.set_options(timeout=UI_TIMEOUT_MS)
                run_all(page, server, "widgets.ipynb")
                builder = page.locator(".ipsecexplore-builder")
                expect(builder).to_have_count(1)
                byte = builder.locator(f'.ipsecexplore-hexdump span[data-offset="{esp}"]')
                other = builder.locator(f'.ipsecexplore-hexdump span[data-offset="{ah}"]')
                expect(byte).to_have_count(1)

                def outline(loc) -> str:
                    return loc.evaluate("e => getComputedStyle(e).outlineColor + ' ' "
                                        "+ getComputedStyle(e).outlineStyle")

                page.mouse.move(0, 0)
                assert HOVER_OUTLINE not in outline(byte)
                builder.locator(".ipsecexplore-ctl-IPsecV2-Esp").hover()
                expect(byte).to_have_css("outline-color", HOVER_OUTLINE)
                assert HOVER_OUTLINE not in outline(other)  # only the hovered member's bytes light up
                shots.append(screenshot(page, "widgets-hover-esp"))
                # a flag toggle marks its member and, more strongly, the byte holding its bit
                builder.locator(".ipsecexplore-ctl-IPsecV2-EncryptionAlgorithms-AES_CBC_256").hover()
                bit_byte = builder.locator(f'.ipsecexplore-hexdump span[data-offset="{enc + 1}"]')
                first_byte = builder.locator(f'.ipsecexplore-hexdump span[data-offset="{enc}"]')
                expect(first_byte).to_have_css("outline-color", HOVER_OUTLINE)
                expect(bit_byte).to_have_css("outline-width", "3px")
                # the dump column is sticky: scrolled down to the algorithm toggles, the bytes stay in view
                builder.locator(".ipsecexplore-ctl-IPsecV2-SaOffloadCapacity").scroll_into_view_if_needed()
                box = bit_byte.bounding_box()
                print(f"\nbyte box after scrolling: {box}")
                assert box is not None and 0 <= box["y"] <= page.viewport_size["height"]
                shots.append(screenshot(page, "widgets-hover-flag"))
                page.mouse.move(0, 0)
                expect(byte).not_to_have_css("outline-color", HOVER_OUTLINE)

                # the flow widget: Initialize, then a too-short query answers BUFFER_TOO_SHORT in the page
                flow = page.locator(".ipsecexplore-flow")
                expect(flow).to_have_count(1)
                flow.locator(".ipsecexplore-flow-initialize").click()
                expect(flow.locator(".ipsecexplore-timeline")).to_contain_text("NdisMSetMiniportAttributes")
                length = flow.locator(".ipsecexplore-flow-length input")
                length.fill("10")
                length.press("Enter")
                flow.locator(".ipsecexplore-flow-query").click()
                expect(flow.locator(".ipsecexplore-flow-status")).to_contain_text("NDIS_STATUS_BUFFER_TOO_SHORT")
                flow.scroll_into_view_if_needed()
                shots.append(screenshot(page, "widgets-flow"))

                if sample.is_dir():
                    fleet = page.locator(".ipsecexplore-fleet")
                    expect(fleet).to_have_count(1)
                    chart = fleet.locator(".ipsecexplore-fleet-chart svg")
                    expect(chart).to_be_visible()
                    assert chart.evaluate("e => e.getBoundingClientRect().width") > 100
                    fleet.scroll_into_view_if_needed()
                    shots.append(screenshot(page, "widgets-fleet"))
            finally:
                if not shots:
                    shots.append(screenshot(page, "widgets-failure"))
                print("\nscreenshots: " + ", ".join(map(str, shots)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
