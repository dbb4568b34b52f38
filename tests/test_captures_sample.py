"""data/: the generator reproduces the committed files, and importing them gives back the generator's fleet."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from captures_support import REPO, expected_values, make_sample

from ipsecexplore.captures import import_paths
from ipsecexplore.captures.linux import is_linux_format

DATA = REPO / "data"


OWNED = ("README.md", "sample_archetypes.csv", "sample_fleet.csv", "sample/", "bad/")  # what the script writes


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(DATA / "make_sample.py"), "--out", str(tmp_path)], check=True,
                   cwd=tmp_path)
    made = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(DATA).as_posix(): p.read_bytes() for p in DATA.rglob("*") if p.is_file()}
    committed = {k: v for k, v in committed.items() if k.startswith(OWNED) and "__pycache__" not in k}
    assert all(k.startswith(OWNED) for k in made)
    assert sorted(made) == sorted(committed)
    differ = [name for name in made if made[name] != committed[name]]
    assert not differ, f"re-run data/make_sample.py: these files differ: {differ[:5]}"


@pytest.fixture(scope="module")
def sample():
    res = import_paths([DATA / "sample"], progress=False)
    # The generator's fleet is the Windows one; Linux rows (sample/linux) are checked in test_sample_linux.py.
    res.records = [r for r in res.records if not is_linux_format(r.fmt)]
    return res


@pytest.fixture(scope="module")
def truth():
    ms = make_sample()
    return ms, ms.build_fleet(random.Random(ms.SEED))


def test_sample_size_and_nothing_rejected(sample, truth):
    _, fleet = truth
    assert not sample.rejected and not sample.unmatched_keywords
    assert 60 <= len(fleet) <= 200
    hosts = {a.host for a in fleet}
    assert len(hosts) >= 5
    assert {r.host for r in sample.records} == hosts


def test_every_captured_value_matches_the_generator(sample, truth):
    """Each adapter with IPsec offload appears with exactly the values the generator gave it; PowerShell
    captures carry only the 13 mapped members, raw captures all 16."""
    ms, fleet = truth
    got = {}
    for r in sample.records:
        got.setdefault((r.host, r.adapter, r.view), []).append(r)
    raw_hosts = {h for h, how, _ in ms.HOSTS if how.startswith("raw")}
    checked = 0
    for ad in fleet:
        if not ad.has_ipsec:
            continue
        for view, values in (("hardware", ad.hw), ("current", ad.current)):
            recs = got.get((ad.host, ad.name, view), [])
            if ad.host in ms.NO_SIDECAR:  # a raw file without sidecar: view unknown, named after the file
                recs = got.get((ad.host, ms.NO_SIDECAR[ad.host], "unknown"), []) if view == "hardware" else []
            if ad.host in raw_hosts:
                if not recs and view == "current":
                    continue  # only HOST11 has current-config captures
                (rec,) = recs
                assert {k: v for k, v in rec.values.items() if k.startswith("IPsecV2.")} == values
            else:
                (rec,) = recs
                assert rec.values == expected_values(values), (ad.host, ad.name, view)
                kw = {ad.keyword[0]: ad.keyword[1]} if ad.keyword else {}
                assert rec.keywords == kw
            checked += 1
    assert checked >= 100


def test_adapters_without_ipsec_show_as_expected(sample, truth):
    ms, fleet = truth
    ns = [a for a in fleet if a.archetype == "intel-82576ns"]
    raw = {(r.host, r.adapter): r for r in sample.records if r.host == "HOST14"}
    for ad in ns:
        if ad.host == "HOST14":
            vals = raw[(ad.host, ad.name)].values
            ipsec = {k: v for k, v in vals.items() if k.startswith("IPsecV2.")}
            assert ipsec == {} if vals["Header.Revision"] == 1 else all(v in (False, 0) for v in ipsec.values())
        else:  # Get-NetView: the [Failed] block is a skipped file with its reason, not a record
            assert not [r for r in sample.records if (r.host, r.adapter) == (ad.host, ad.name)]
            assert any(ad.name in f and "[Failed]" in why for f, why in sample.skipped_files)


def test_keywords_cause_hardware_current_differences(sample):
    rows = {(r.host, r.adapter, r.view): r for r in sample.records}
    differ = [k for k in rows if k[2] == "hardware" and (k[0], k[1], "current") in rows
              and rows[k].values != rows[(k[0], k[1], "current")].values]
    assert len(differ) >= 10
    for h, a, _ in differ:
        kw = rows[(h, a, "hardware")].keywords
        assert kw or h == "HOST11"  # the raw pair on HOST11 has no keyword capture


def test_every_row_says_sourced_or_illustrative(sample):
    for r in sample.records:
        assert r.provenance.startswith(("sourced:", "illustrative:")), (r.source, r.provenance)


def test_bad_files_each_show_their_error():
    ms = make_sample()
    _, table = ms.bad_tree(ms.build_fleet(random.Random(ms.SEED)))
    r = import_paths([DATA / "bad"], progress=False)
    assert not r.skipped_files
    by_file = {}
    for kind, items in (("rejected", ((x.source_file, x.reason) for x in r.rejected)),
                        ("note", ((x.source_file, x.text) for x in r.remarks))):
        for source, message in items:
            by_file.setdefault((source.rsplit("/", 1)[-1], kind), []).append(message)
    assert sorted(by_file) == sorted((name, kind) for name, _, _, kind in table)
    for name, _, reason, kind in table:
        assert any(reason in got for got in by_file[name, kind]), (name, by_file[name, kind])


def test_readme_counts_are_what_the_importer_gives():
    """data/README.md quotes the import of data/sample (adapters, hosts, rows, pairs that differ)."""
    import re

    from ipsecexplore.fleet import load_fleet

    text = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())  # unwrap the lines
    m = re.search(r"that gives (\d+) adapters on (\d+) hosts \((\d+) rows, (\d+) rejected\)", text)
    assert m, "README no longer states the imported counts"
    fleet = load_fleet([DATA / "sample"], progress=False)
    assert tuple(map(int, m.groups())) == (fleet.adapters, fleet.hosts, len(fleet.frame), len(fleet.rejected))
    f = fleet.frame
    f = f[f["os"] == "windows"]  # the hardware-vs-current pairs the README counts are Windows adapters
    members = [c for c in f.columns if c.startswith("IPsecV2.") and c.count(".") == 1]
    hw = f[f["view"] == "hardware"].set_index(["host", "adapter"])[members]
    cur = f[f["view"] == "current"].set_index(["host", "adapter"])[members]
    both = hw.index.intersection(cur.index)
    differ = sum(not hw.loc[k].equals(cur.loc[k]) for k in both)
    m = re.search(r"(\d+) adapters are captured in both views .*?; (\d+) of them show hardware-vs-current", text)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(both), differ)
