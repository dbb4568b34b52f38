"""What the learner reads: the notebooks' prose, widget text, findings and ``explain`` (issue 14).

- the deprecation banner of the WDK is stated where a reader first meets the feature;
- a rule the rule book marks inferred (INF) or reverse-engineered (RE) is never cited as plain fact;
- every citation resolves: a public address or a file of this repository (``docs/sources.md`` lists them);
- the specific teaching errors of issue 14 stay fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from helpers import spec_path

import ipsecexplore as ix
from ipsecexplore.rules import RULES, validate
from ipsecexplore.sources import DEPRECATION_BANNER, DOCUMENTS, SOURCES_DOC, cite

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TEACHING = ["01-offload-model-tour.ipynb", "02-build-ipsecov2-bytes.ipynb", "03-fleet-analysis.ipynb",
            "04-bring-your-own-captures.ipynb", "05-exercises.ipynb"]
# Words that say a statement's basis is not the documentation.
BASIS_WORDS = re.compile(r"\bRE\b|\bINF\b|basis|inferred|observed|decompiled|reverse-engineered|simulator",
                         re.IGNORECASE)
SPEC_FILES = ("ipsecov2-rules.md", "adapters.md", "capture-formats.md", "constants.md", "layouts.md",
              "layouts.json", "seed-reporting-ipsecov2-capabilities.md")


def _markdown(name: str) -> list[str]:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _paragraphs(name: str) -> list[str]:
    return [p for cell in _markdown(name) for p in re.split(r"\n\s*\n", cell) if p.strip()]


def _anchors(markdown: str) -> set[str]:
    """GitHub-style anchors of a markdown file's headings."""
    out = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return out


# ---------------------------------------------------------------------------------------------- deprecation
def test_the_seed_page_carries_the_banner_the_project_quotes():
    assert DEPRECATION_BANNER in spec_path("seed-reporting-ipsecov2-capabilities.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TEACHING)
def test_deprecation_is_stated_where_the_reader_meets_the_feature(name):
    cells = _markdown(name)
    first_two = re.sub(r"\s*\n>?\s*", " ", "\n".join(cells[:2]).lower())
    assert "deprecated" in first_two and "should not be used" in first_two, name


def test_builder_heading_says_deprecated():
    from ipsecexplore.widgets import BuilderWidget

    w = BuilderWidget(revision=2, load_fleet_presets=False)
    assert any(DEPRECATION_BANNER in getattr(c, "value", "") for c in w.children)


# ------------------------------------------------------------------------------------------------- bases
@pytest.mark.parametrize("name", TEACHING)
def test_inferred_or_reverse_engineered_rules_carry_their_basis(name):
    bad = []
    for para in _paragraphs(name):
        for rid in sorted(set(re.findall(r"\bR(\d{1,3})\b", para))):
            rule = RULES.get(f"R{rid}")
            if rule is not None and rule.inferred and not BASIS_WORDS.search(para):
                bad.append(f"R{rid} ({rule.basis}) in: {para[:120]!r}")
    assert not bad, "\n".join(bad)


def test_known_inferred_statements_name_their_basis():
    nb01 = "\n".join(_markdown("01-offload-model-tour.ipynb"))
    assert re.search(r"R66[^.]*basis DOC/RE", nb01)                      # NDIS writes the keyword back
    nb03 = "\n".join(_markdown("03-fleet-analysis.ipynb"))
    assert "*inferred* by this project (basis INF)" in nb03               # …Supported/…Enabled ↔ the two OIDs
    assert re.search(r"R51; observed in decompiled\s+ndis\.sys, basis RE", nb03)  # keyword masking


# ------------------------------------------------------------------------------------------------ citations
def test_every_rule_citation_resolves():
    anchors = _anchors((ROOT / SOURCES_DOC).read_text(encoding="utf-8"))
    for rule in RULES.values():
        text = cite(rule.source)
        for ref in re.findall(r"docs/sources\.md#([\w-]+)", text):
            assert ref in anchors, (rule.id, ref)
        for path in re.findall(r"tests/spec/[\w.-]+", text):
            assert (ROOT / path).is_file(), (rule.id, path)
        # a header file is cited together with the docs/sources.md section that says where to get it
        rest = re.sub(r"https://\S+|tests/spec/[\w.-]+|[\w]+\.h \(docs/sources\.md#sdk-and-wdk-headers\)"
                      r"|docs/sources\.md#[\w-]+", "", text)
        assert not re.search(r"[\w-]+\.(md|json|h)\b", rest.replace("ndis.sys", "")), (rule.id, text)


def test_docs_sources_lists_every_address():
    doc = (ROOT / SOURCES_DOC).read_text(encoding="utf-8")
    missing = [name for name, url in DOCUMENTS.items() if url not in doc]
    assert not missing, missing


@pytest.mark.parametrize("name", TEACHING)
def test_notebook_citations_resolve(name):
    text = "\n".join(_markdown(name))
    assert "../shared" not in text and "shared/spec" not in text
    for m in re.finditer(r"(?<![\w/.-])([\w./-]+\.(?:md|ipynb|json))\b", text):
        ref = m.group(1)
        if ref.endswith(".json") and "/" not in ref:
            continue  # a capture's file name in an example, not a citation
        assert ref not in SPEC_FILES, f"{name} cites spec file {ref}; cite its public source or docs/sources.md"
        target = (ROOT / "notebooks" / ref) if ref.startswith("..") or ref.endswith(".ipynb") else ROOT / ref
        assert target.resolve().is_file(), f"{name} cites {ref}, which is not a file of the repository"
    for ref in re.findall(r"docs/sources\.md#([\w-]+)", text):
        assert ref in _anchors((ROOT / SOURCES_DOC).read_text(encoding="utf-8")), ref


def test_findings_and_explain_cite_no_spec_file():
    esp_only = ix.NdisOffload.new(revision=2)
    esp_only.IPsecV2.Esp = True
    found = validate(esp_only)
    text = str(found) + found._repr_html_()
    for spec in SPEC_FILES:
        assert re.search(rf"(?<![/\w]){re.escape(spec)}", text) is None, spec
    assert "https://learn.microsoft.com/" in text and 'href="https://' in found._repr_html_()
    from ipsecexplore.explain import explain

    for name in ("R34", "R81", "*IPsecOffloadV2", "IPsecV2.Tunnel"):
        out = explain(name)
        for spec in SPEC_FILES:
            assert re.search(rf"(?<![/\w]){re.escape(spec)}", out) is None, (name, spec)


# --------------------------------------------------------------------------------- the teaching errors 1–8
def test_advice_is_reworded_with_r54_and_r106():
    nb03 = "\n".join(_markdown("03-fleet-analysis.ipynb"))
    assert "would start at the top" not in nb03
    assert "R54" in nb03 and "R106" in nb03
    nb01 = "\n".join(_markdown("01-offload-model-tour.ipynb"))
    assert "R54" in nb01


def test_overview_matches_the_step_headings():
    cells = _markdown("01-offload-model-tour.ipynb")
    steps = [int(n) for c in cells for n in re.findall(r"^### Step (\d+)", c, re.MULTILINE)]
    assert steps == list(range(1, len(steps) + 1)) and len(steps) >= 5
    overview = next(c for c in cells if c.startswith("## 3. The flow"))
    assert len(re.findall(r"^\d+\. \*\*", overview, re.MULTILINE)) == len(steps)
    assert "(and its hardware capabilities)" not in "\n".join(cells)


def test_documented_and_simulated_are_told_apart_once():
    intro = _markdown("01-offload-model-tour.ipynb")[0]
    assert "What is documented, and what is the simulator's" in intro
    assert "NDIS checks the attributes against the rules" not in "\n".join(_markdown("01-offload-model-tour.ipynb"))


def test_gmac_in_text_explain_and_chart():
    nb03 = "\n".join(_markdown("03-fleet-analysis.ipynb"))
    assert "for both authentication and encryption" not in nb03 and "AES-GMAC" in nb03
    from ipsecexplore.explain import explain

    assert "integrity only" in explain("IPsecV2.AuthenticationAlgorithms")
    import pandas as pd

    from ipsecexplore import charts

    frame = pd.DataFrame({"host": ["h"], "adapter": ["a"], "view": ["hardware"],
                          **{c.column: [True] for c in charts.capabilities()},
                          **{m: [1] for m in charts.COVERAGE_MEMBERS}})
    fig = charts.algorithm_coverage(frame)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    auth = [t for t in titles if t.startswith("IPsecV2.AuthenticationAlgorithms")]
    assert auth and "GMAC" in auth[0] and "integrity only" in auth[0]


def test_512_is_the_class_documentation_value():
    nb03 = "\n".join(_markdown("03-fleet-analysis.ipynb"))
    assert "customary per-vNIC budget" not in nb03
    assert "class documentation" in nb03 and "IPSecOffloadLimit" in nb03
    assert "shows `IPSecOffloadLimit = 512`" in spec_path("capture-formats.md").read_text(encoding="utf-8")


def test_refused_initialization_does_not_repeat_the_findings():
    nb = nbformat.read(ROOT / "notebooks" / "01-offload-model-tour.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not any("print(Simulation(esp_only" in c for c in code)


def test_flow_widget_faults_list_is_full_width():
    from ipsecexplore.widgets import FlowWidget

    w = FlowWidget()
    assert w.faults.layout.width == "100%" and w.faults.description == ""


# ------------------------------------------------------------------------------------- the seed page's story
def _hardware():
    off = ix.NdisOffload.new(revision=2)
    v2 = off.IPsecV2
    v2.Encapsulation, v2.Esp, v2.Ah, v2.Transport, v2.Tunnel = 2, True, True, True, True
    v2.AuthenticationAlgorithms, v2.EncryptionAlgorithms, v2.SaOffloadCapacity = 8, 8, 4
    return off


def test_bind_gives_the_protocol_the_masked_current_configuration():
    from ipsecexplore.flow import Simulation

    sim = Simulation(_hardware(), keywords={"*IPsecOffloadV2": "2"}, ndis="6.1")
    early = sim.bind()
    assert early.status == "NDIS_STATUS_FAILURE"
    sim.initialize()
    ev = sim.bind()
    assert ev.ok and ev.kind == "bind" and "NDIS_BIND_PARAMETERS" in ev.name
    seen = ix.decode(ev.response).IPsecV2
    assert (seen.Ah, seen.Esp) == (False, True)  # R50: keyword 2 = ESP only
    assert ev.response == sim.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 144).response
    assert ev.extra["HardwareOffloadCapabilities"] == ix.encode(_hardware())
    assert any("R75" in n for n in ev.notes) and any("RE" in n for n in ev.notes)
    assert not sim.audit().errors


def test_the_seed_story_is_in_notebook_01():
    text = "\n".join(_markdown("01-offload-model-tour.ipynb"))
    for needle in ("read the keywords → build the default configuration", "OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES",
                   "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES", "direct OID request interface",
                   "NDIS_OID_REQUEST", "*IPsecOffloadV2IPv4", "NDIS_BIND_PARAMETERS"):
        assert needle in text, needle


def test_flow_widget_binds_a_protocol():
    from ipsecexplore.widgets import FlowWidget

    w = FlowWidget()
    w.initialize_button.click()
    w.bind_button.click()
    ev = w.sim.timeline[-1]
    assert ev.kind == "bind" and ev.ok
    assert "HardwareOffloadCapabilities (NDIS_OFFLOAD)" in w.event_view.value and "R75" in w.event_view.value
