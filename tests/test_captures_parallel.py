"""An import spread over worker processes gives exactly what one process gives (issue 12 item 7): the same
records, rejects, remarks, skips and keyword rows, in the same order. Speed is measured in
bench/import_captures.py, not here."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import zipfile

import netview_corpus as nc
import pandas.testing as pd_testing
import pytest
from captures_support import REPO, ipsec_obj, replace

from ipsecexplore.captures import import_paths, parallel, synth

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="worker processes need fork")


def _state(r):
    return (r.records, r.rejected, r.skipped_files, r.remarks, r.unmatched_keywords, r.records_seen, r.loaded,
            r.files_read)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """Every generation (folders and zips), broken files, a file over the size limit, a raw capture with its
    sidecar and one without, notes: everything the walk treats differently."""
    d = tmp_path_factory.mktemp("fleet")
    for gen in nc.GENERATIONS:
        nc.write_folder(gen, d / gen.name)
        nc.write_zip(gen, d / gen.name)
    (d / "bad").mkdir()
    (d / "bad" / "bad.txt").write_text(synth.format_list([ipsec_obj("C"), replace(ipsec_obj("D"), "EspSupported",
                                                                                  "Yes")]))
    (d / "bad" / "cut.json").write_text('[{"Caption": "MSFT_NetAdapterIPsecOffloadV2SettingData \'X\'", "Na')
    (d / "bad" / "big.txt").write_text(synth.format_list([ipsec_obj("E", host="BIG")] * 40))
    (d / "bad" / "notes.md").write_text("EspSupported is a property\n")
    raw = bytes([0xA7, 2, 0x90, 0]) + bytes(140)
    (d / "raw").mkdir()
    (d / "raw" / "H1.E1.hw.bin").write_bytes(raw)
    (d / "raw" / "H1.E1.hw.bin.json").write_text('{"host": "H1", "adapter": "E1", "view": "hardware"}')
    (d / "raw" / "H2.bin").write_bytes(raw[:100])
    with zipfile.ZipFile(d / "raw" / "more.zip", "w") as zf:
        zf.writestr("x/H3.txt", synth.format_list([ipsec_obj("E3", host="H3")]))
    # Linux files of one interface in several files, joined after every file is read (issue 15)
    shutil.copytree(REPO / "data" / "sample" / "linux", d / "linux")
    return d


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_give_the_same_result_in_the_same_order(tree, workers):
    kw = {"progress": False, "size_limit": 60_000}
    one = import_paths([tree], workers=1, **kw)
    many = import_paths([tree], workers=workers, **kw)
    assert one.rejected and one.remarks and one.skipped_files and one.records  # every kind is exercised
    assert any(r.refused == "size limit" for r in one.rejected)
    assert any(r.fmt.startswith("linux") for r in one.records)
    assert _state(many) == _state(one)


def test_shared_value_mappings_survive_the_pipe(tree):
    r = import_paths([tree], workers=2, progress=False)
    assert all(type(x.values).__name__ == "mappingproxy" or isinstance(x.values, dict) for x in r.records)
    with pytest.raises(TypeError):
        next(x for x in r.records if type(x.values).__name__ == "mappingproxy").values["IPsecV2.Esp"] = 1


def test_auto_stays_in_one_process_for_small_imports():
    assert parallel.auto_workers(None, 3, 1 << 30) == 1
    assert parallel.auto_workers(None, 1000, 1000) == 1
    assert parallel.auto_workers(1, 1000, 1 << 30) == 1
    assert parallel.auto_workers(4, 1, 1) == 4


@pytest.mark.parametrize("workers", [2, 3])
def test_the_fleet_frame_is_the_same_row_for_row(tree, workers, monkeypatch):
    """Small batches, so that this process and the workers each parse some of the files."""
    from ipsecexplore.fleet import load_fleet

    monkeypatch.setattr(parallel, "BATCH_BYTES", 4096)
    one = load_fleet([tree], workers=1, progress=False, size_limit=60_000)
    many = load_fleet([tree], workers=workers, progress=False, size_limit=60_000)
    pd_testing.assert_frame_equal(many.frame, one.frame, check_exact=True)
    assert many.frame.attrs == one.frame.attrs
    for name in ("rejected", "duplicates", "skipped", "unmatched_keywords", "remarks"):
        pd_testing.assert_frame_equal(getattr(many, name), getattr(one, name), check_exact=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="chosen automatically on Linux only")
@pytest.mark.parametrize("cpus,idle,expected", [(2, 0, 1), (2, 1, 2), (2, 2, 2), (4, 1, 2), (4, 3, 4), (16, 16, 8)])
def test_auto_uses_this_process_and_a_worker_per_idle_cpu(monkeypatch, cpus, idle, expected):
    monkeypatch.setattr(parallel, "cpu_count", lambda: cpus)
    monkeypatch.setattr(parallel, "idle_cpus", lambda: idle)
    assert parallel.auto_workers(None, 1000, 1 << 30) == expected
