"""Builder widget latency (run by `make bench`, not by the tests).

Two parts, both over 50 toggles of IPsecV2.Esp (issue 6 §5):

kernel  the Python side alone: the time from setting the control's value to the end of every observer
        (model update, encode, annotated dump, the visible view — Findings, which runs every rule).
        Target: median <= 10 ms. Also measured: a flag toggle, a SaOffloadCapacity edit, a revision change
        and a paste, for the record.
browser click-to-redrawn-hex in JupyterLab in Debian's Chromium (Playwright), through the project's browser
        harness (tests/browser_harness.py: temporary notebook copy, scripts/serve.py, every process stopped
        afterwards). The clock runs inside the page: performance.now() before the click, then a
        MutationObserver on the dump's widget sees the new byte ("DOM") and one requestAnimationFrame later
        it is on screen ("painted"). Targets: p50 <= 100 ms, p95 <= 250 ms (painted).

    python bench/widget_latency.py                 # both parts (browser skipped with the reason if absent)
    python bench/widget_latency.py --kernel-only
    python bench/widget_latency.py --json out.json
    python bench/widget_latency.py --strict        # exit status 1 when a target is missed

Without --strict the exit status is 0 whatever the figures (make bench runs on shared, noisy machines); the
last line says whether the targets were met.

The machines are shared and noisy: figures are medians and 95th percentiles of one run, printed with the
number of samples.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOGGLES = 50
KERNEL_TARGET_MS = 10.0
BROWSER_P50_MS, BROWSER_P95_MS = 100.0, 250.0


def pct(values, q: float) -> float:
    """The q-th percentile (nearest rank) of ``values``."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(values) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values), 3), "p95_ms": round(pct(values, 95), 3),
            "max_ms": round(max(values), 3)}


# ----------------------------------------------------------------------------------------------- kernel
def kernel(n: int = TOGGLES) -> dict:
    import ipsecexplore as ix
    from ipsecexplore.widgets import BuilderWidget

    w = BuilderWidget(revision=2, load_fleet_presets=False)
    assert w.views.selected_index == 0  # findings (always drawn) and the first tab are part of every toggle
    out = {}

    def timed(action, k=n):
        times = []
        for i in range(k):
            t0 = time.perf_counter()
            action(i)
            times.append((time.perf_counter() - t0) * 1000)
        return times

    esp = w.controls["IPsecV2.Esp"]
    for _ in range(5):  # warm-up: imports, caches
        esp.value = not esp.value
    before = w.update_count

    def toggle(_i):
        esp.value = not esp.value
        assert w.bytes[120] == int(esp.value)

    out["Esp toggle"] = summary(timed(toggle))
    assert w.update_count == before + n, "one toggle, one encode"
    flag = w.controls["IPsecV2.EncryptionAlgorithms.AES_GCM_128"]
    out["flag toggle"] = summary(timed(lambda i: setattr(flag, "value", not flag.value)))
    cap = w.controls["IPsecV2.SaOffloadCapacity"]
    out["SaOffloadCapacity edit"] = summary(timed(lambda i: setattr(cap, "value", 1000 + i)))
    revs = [v for _, v in w.revision.options]
    out["revision change"] = summary(timed(lambda i: setattr(w.revision, "value", revs[i % len(revs)])))
    off = ix.NdisOffload.new(revision=3)
    off.IPsecV2.Esp = True
    text = ix.encode(off).hex(" ")

    def paste(i):
        w.paste.value = text if i % 2 == 0 else ix.encode(ix.NdisOffload.new(revision=2)).hex(" ")
        w.load_button.click()

    out["paste + load"] = summary(timed(paste, 20))
    return out


# ----------------------------------------------------------------------------------------------- browser
_CLICK_AND_WAIT = """
async ([offset]) => {
  const sel = `.ipsecexplore-hexdump span[data-offset="${offset}"]`;
  const cb = document.querySelector('.ipsecexplore-ctl-IPsecV2-Esp input[type=checkbox]');
  const before = document.querySelector(sel).textContent;
  const host = document.querySelector('.ipsecexplore-hex-view');
  return await new Promise((resolve, reject) => {
    let t0 = 0;
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error('no redraw within 10 s')); }, 10000);
    const obs = new MutationObserver(() => {
      const el = document.querySelector(sel);
      if (el && el.textContent !== before) {
        const dom = performance.now() - t0;
        obs.disconnect(); clearTimeout(timer);
        requestAnimationFrame(() => resolve([dom, performance.now() - t0, el.textContent]));
      }
    });
    obs.observe(host, {childList: true, subtree: true, characterData: true});
    t0 = performance.now();
    cb.click();
  });
}
"""


def browser(n: int = TOGGLES) -> dict:
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import browser_harness as bh
    except ImportError as exc:
        return {"skipped": f"tests/browser_harness.py not importable: {exc}"}
    if not bh.CHROMIUM.exists():
        return {"skipped": f"{bh.CHROMIUM} is absent (make chromium)"}
    try:
        from playwright.sync_api import expect
    except ImportError:
        return {"skipped": "the playwright package is not installed"}
    notebook = "02-build-ipsecov2-bytes.ipynb"
    if not (bh.NOTEBOOKS_DIR / notebook).is_file():
        return {"skipped": f"notebooks/{notebook} does not exist yet"}
    import re

    from ipsecexplore.layouts import layout

    offset = layout("NDIS_OFFLOAD").field("IPsecV2.Esp").offset
    dom, painted = [], []
    with bh.notebooks_copy([notebook]) as nb_dir, bh.serve("lab", nb_dir, log_name="bench-lab.log") as server:
        with bh.chromium(block_external=True, viewport=(1400, 1200)) as (page, _blocked):
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            page.goto(f"{server.base}/lab/tree/{notebook}?token={server.token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle\s*$"))).to_have_count(1)
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            esp = page.locator(".ipsecexplore-ctl-IPsecV2-Esp input[type=checkbox]")
            expect(esp).to_be_visible()
            expect(page.locator(f'.ipsecexplore-hexdump span[data-offset="{offset}"]')).to_have_count(1)
            expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle\s*$"))).to_have_count(1)
            for _ in range(3):  # warm-up
                page.evaluate(_CLICK_AND_WAIT, [offset])
            expected = "01" if not esp.is_checked() else "00"
            for _ in range(n):
                d, p, text = page.evaluate(_CLICK_AND_WAIT, [offset])
                assert text == expected, (text, expected)
                expected = "00" if expected == "01" else "01"
                dom.append(d)
                painted.append(p)
    return {"DOM updated": summary(dom), "painted": summary(painted)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel-only", action="store_true")
    ap.add_argument("-n", type=int, default=TOGGLES, help="toggles per measurement (default 50)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = ap.parse_args(argv)
    result = {"kernel": kernel(args.n)}
    ok = result["kernel"]["Esp toggle"]["median_ms"] <= KERNEL_TARGET_MS
    if not args.kernel_only:
        result["browser"] = browser(args.n)
        b = result["browser"].get("painted")
        if b:
            ok &= b["median_ms"] <= BROWSER_P50_MS and b["p95_ms"] <= BROWSER_P95_MS
    for part, rows in result.items():
        print(f"[{part}]")
        if "skipped" in rows:
            print(f"  skipped: {rows['skipped']}")
            continue
        for name, s in rows.items():
            print(f"  {name:<24} n={s['n']:<3} median {s['median_ms']:8.2f} ms   p95 {s['p95_ms']:8.2f} ms   "
                  f"max {s['max_ms']:8.2f} ms")
    print(f"targets: kernel Esp toggle median <= {KERNEL_TARGET_MS} ms; browser painted p50 <= {BROWSER_P50_MS} ms, "
          f"p95 <= {BROWSER_P95_MS} ms -> {'met' if ok else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
