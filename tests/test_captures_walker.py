"""Folders, zip files, the size limit, skipped files and the loaded + rejected == seen invariant."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from captures_support import drop, ipsec_obj, load, replace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsecexplore.captures import import_bytes, import_paths, synth
from ipsecexplore.errors import InputError
from ipsecexplore.model import encode


def fl(*objs, enc="utf-16-le"):
    return synth.encode_windows(synth.format_list(list(objs)), enc)


def test_folder_is_walked_recursively_and_unknown_files_are_listed(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_bytes(fl(ipsec_obj("E1")))
    (tmp_path / "top.json").write_text(synth.to_json([ipsec_obj("E2")], style="ps7"))
    (tmp_path / "notes.md").write_text("# my notes\nnothing to import here\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    r = import_paths([tmp_path], progress=False)
    assert sorted({x.adapter for x in r.records}) == ["E1", "E2"]
    skipped = dict(r.skipped_files)
    assert "not a recognised capture" in skipped[str(tmp_path / "notes.md")]
    assert skipped[str(tmp_path / "empty.txt")] == "empty file"
    assert r.files_read == 4  # every file was opened; two of them hold no capture


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_getnetview_zip_host_from_banner_and_folder(tmp_path):
    obj = drop(ipsec_obj("SLOT 2 Port 1", host=None), "PSComputerName")
    cmd = 'Get-NetAdapterIPsecOffload -Name "SLOT 2 Port 1" -IncludeHidden | Format-List -Property *'
    gnv = synth.getnetview_file("admin", "SRV-A", [(cmd, synth.format_list([obj]), None)])
    plain = synth.format_list([drop(ipsec_obj("E9", host=None), "PSComputerName")])
    z = _zip({"msdbg.SRV-A/pNIC.3.SLOT 2 Port 1.X550/Get-NetAdapterIPsecOffload.txt": gnv,
              "msdbg.SRV-A/pNIC.3.SLOT 2 Port 1.X550/Get-NetAdapter.txt":
                  synth.getnetview_file("admin", "SRV-A", [("Get-NetAdapter", "x\n", None)]),
              "msdbg.SRV-A/extra/E9.txt": plain})
    (tmp_path / "msdbg.SRV-A-2025.zip").write_bytes(z)
    r = import_paths([tmp_path / "msdbg.SRV-A-2025.zip"], progress=False)
    hosts = {(x.adapter, x.host, x.host_from) for x in r.records}
    assert hosts == {("SLOT 2 Port 1", "SRV-A", "Get-NetView banner"), ("E9", "SRV-A", "Get-NetView folder")}
    src = {x.source_file for x in r.records}
    assert str(tmp_path / "msdbg.SRV-A-2025.zip") + "/msdbg.SRV-A/extra/E9.txt" in src
    assert any("Get-NetAdapter" in why for _, why in r.skipped_files)


def test_zip_inside_a_folder_and_a_zip(tmp_path):
    inner = _zip({"x.txt": synth.format_list([ipsec_obj("Z1")])})
    (tmp_path / "outer.zip").write_bytes(_zip({"inner.zip": inner, "y.txt": synth.format_list([ipsec_obj("Z2")])}))
    r = import_paths([tmp_path], progress=False)
    assert sorted({x.adapter for x in r.records}) == ["Z1", "Z2"]


def test_size_limit_named_file_raises_walked_file_is_one_rejected_record(tmp_path):
    big = fl(*[ipsec_obj(f"E{i}") for i in range(5)])
    small = fl(ipsec_obj("S1"))
    (tmp_path / "big.txt").write_bytes(big)
    (tmp_path / "small.txt").write_bytes(small)
    with pytest.raises(InputError, match="larger than the size limit") as exc:
        import_paths([tmp_path / "big.txt"], size_limit=len(big) - 1)
    assert exc.value.source == str(tmp_path / "big.txt")
    r = import_paths([tmp_path], size_limit=len(big) - 1, progress=False)
    # The small file still loads; the big one is one rejected record naming its size and the limit.
    assert r.loaded == 1 and r.records_seen == 2 and not r.skipped_files
    (rej,) = r.rejected
    assert rej.source_file == str(tmp_path / "big.txt") and rej.line is None and rej.refused == "size limit"
    assert f"file is {len(big)} bytes" in rej.reason and f"size limit of {len(big) - 1} bytes" in rej.reason
    assert import_paths([tmp_path], size_limit=len(big), progress=False).loaded == 6


def test_size_limit_applies_to_zip_members(tmp_path):
    member = synth.format_list([ipsec_obj(f"E{i}") for i in range(5)]).encode()
    (tmp_path / "b.zip").write_bytes(_zip({"a.txt": member}))
    r = import_paths([tmp_path / "b.zip"], size_limit=len(member) - 1, progress=False)
    assert r.records_seen == 1 and r.loaded == 0 and not r.skipped_files
    (rej,) = r.rejected
    assert rej.source_file == str(tmp_path / "b.zip") + "/a.txt" and rej.refused == "size limit"
    assert f"file is {len(member)} bytes" in rej.reason
    with pytest.raises(InputError, match="size limit"):
        import_bytes(member, "x.txt", size_limit=10)


def test_zip_inside_a_zip_over_the_limit_is_rejected(tmp_path):
    inner = _zip({"x.txt": synth.format_list([ipsec_obj(f"Z{i}") for i in range(4)])})
    small = synth.format_list([ipsec_obj("Y")]).encode()
    (tmp_path / "outer.zip").write_bytes(_zip({"inner.zip": inner, "y.txt": small}))
    r = import_paths([tmp_path / "outer.zip"], size_limit=len(inner) - 1, progress=False)
    assert {x.adapter for x in r.records} == {"Y"}
    assert [(x.source_file.rsplit("/", 1)[-1], x.refused) for x in r.rejected] == [("inner.zip", "size limit")]
    assert r.loaded + len(r.rejected) == r.records_seen


def test_missing_path_and_broken_zip(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_paths([tmp_path / "nope"])
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="zip"):
        import_paths([tmp_path / "bad.zip"])
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    r = import_paths([tmp_path / "d"], progress=False)
    (rej,) = r.rejected  # found by walking: a file that cannot be read is a rejected record, not skipped
    assert "not a readable zip file" in rej.reason and rej.refused == "unreadable" and not r.skipped_files
    assert r.records_seen == 1


def test_provenance_file_annotates_matching_records(tmp_path):
    (tmp_path / "a.txt").write_bytes(fl(ipsec_obj("E1"), ipsec_obj("E2")))
    (tmp_path / "provenance.json").write_text(json.dumps({
        "format": "ipsecexplore-provenance/1",
        "adapters": [{"host": "host01", "adapter": "e1", "view": "hardware", "provenance": "sourced: X"},
                     {"host": "HOST01", "adapter": "E1", "provenance": "illustrative: Y"}]}))
    r = import_paths([tmp_path], progress=False)
    prov = {(x.adapter, x.view): x.provenance for x in r.records}
    assert prov == {("E1", "hardware"): "sourced: X", ("E1", "current"): "illustrative: Y",
                    ("E2", "hardware"): "captured", ("E2", "current"): "captured"}
    assert r.records_seen == 2  # the provenance file is not a capture record


def test_progress_bar_for_many_files_and_off_switch(tmp_path, capsys):
    for i in range(20):
        (tmp_path / f"h{i}.txt").write_text(synth.format_list([ipsec_obj(f"E{i}")]))
    import_paths([tmp_path])
    assert "importing captures" in capsys.readouterr().err
    import_paths([tmp_path], progress=False)
    assert "importing captures" not in capsys.readouterr().err
    import_paths([tmp_path / "h0.txt"], progress=True)
    assert "importing captures" in capsys.readouterr().err


# ------------------------------------------------------------------------------- invariant (hypothesis)
_BREAKERS = [
    lambda o: replace(o, "EspSupported", "Maybe"),
    lambda o: replace(o, "EncryptionAlgorithmsSupported", "{NOPE}"),
    lambda o: drop(o, "Name", "ifAlias", "InterfaceAlias"),
    lambda o: replace(o, "SaOffloadCapacityEnabled", "12x"),
]


@st.composite
def _capture_file(draw):
    """A file of valid and broken objects in one syntax; returns (bytes, name, valid count, broken count)."""
    n = draw(st.integers(0, 6))
    syntax = draw(st.sampled_from(["fl", "json", "csv"]))
    objs, good = [], 0
    for i in range(n):
        # Export-Csv cannot carry name lists (it writes System.String[]), so CSV objects use numbers.
        o = ipsec_obj(f"E{i}", algorithms="int" if syntax == "csv" else draw(st.sampled_from(["int", "brace"])))
        if draw(st.booleans()):
            o = draw(st.sampled_from(_BREAKERS))(o)
        else:
            good += 1
        objs.append(o)
    if syntax == "fl":
        data = synth.encode_windows(synth.format_list(objs), draw(st.sampled_from(["utf-16-le", "utf-8"])))
        name = "f.txt"
    elif syntax == "json":
        data = synth.to_json(objs, style=draw(st.sampled_from(["ps5", "compress"]))).encode() if objs else b"[]"
        name = "f.json"
    else:
        if not objs:
            return b"", "f.csv", 0, 0
        keys = [k for k, _ in ipsec_obj()]
        objs = [[(k, dict(o).get(k)) for k in keys] for o in objs]  # Export-Csv uses one header
        data, name = synth.to_csv(objs).encode(), "f.csv"
    return data, name, good, n - good


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(_capture_file(), min_size=1, max_size=4))
def test_loaded_plus_rejected_equals_seen_over_generated_files(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("inv")
    for i, (data, name, _, _) in enumerate(files):
        (root / f"{i}-{name}").write_bytes(data)
    r = import_paths([root], progress=False)
    assert r.loaded + len(r.rejected) == r.records_seen
    assert r.loaded == sum(f[2] for f in files)
    assert len(r.rejected) == sum(f[3] for f in files)
    for rej in r.rejected:
        assert rej.line is not None and rej.reason


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.txt", "x.bin", "x.json", "x.csv", "x.hex", "x"]))
def test_arbitrary_bytes_never_escape_as_an_untyped_error(data, name):
    try:
        r = import_bytes(data, name)
    except InputError:
        return
    assert r.loaded + len(r.rejected) == r.records_seen


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(0, 10_000), flip=st.integers(0, 10_000), byte=st.integers(0, 255),
       fmt=st.sampled_from(["fl", "json", "csv", "raw"]))
def test_damaged_real_captures_keep_the_invariant(cut, flip, byte, fmt):
    objs = [ipsec_obj(f"E{i}", algorithms="brace") for i in range(3)]
    data = {"fl": lambda: fl(*objs), "json": lambda: synth.to_json(objs).encode(),
            "csv": lambda: synth.to_csv(objs).encode(),
            "raw": lambda: encode({"IPsecV2.Esp": True}, revision=2) * 3}[fmt]()
    data = bytearray(data[: max(1, cut % (len(data) + 1))])
    data[flip % len(data)] = byte
    name = {"fl": "a.txt", "json": "a.json", "csv": "a.csv", "raw": "a.bin"}[fmt]
    try:
        r = load(bytes(data), name)
    except InputError:
        return
    assert r.loaded <= 3


def test_registry_export_is_skipped_with_its_reason(tmp_path):
    reg = ('Windows Registry Editor Version 5.00\r\n\r\n'
           '[HKEY_LOCAL_MACHINE\\SYSTEM\\x\\0001]\r\n"*IPsecOffloadV2"="0"\r\n')
    r = load(reg.encode("utf-16-le"), "nic.reg")
    assert r.records_seen == 0 and "registry export" in r.skipped_files[0][1]


def test_prose_and_scripts_that_mention_properties_are_skipped_not_rejected(tmp_path):
    """A README or a generator script names EspSupported in prose or code: it is not a capture."""
    (tmp_path / "README.md").write_text("# notes\n\nThe `EspSupported` property: see below.\nHost: x\n")
    (tmp_path / "make.py").write_text('ROW = {"EspSupported": True, "SaOffloadCapacity": 1}\nprint(ROW)\n')
    (tmp_path / "real.txt").write_text(synth.format_list([ipsec_obj()]))
    res = import_paths([tmp_path], progress=False)
    skipped = {p.rsplit("/", 1)[-1] for p, _ in res.skipped_files}
    assert {"README.md", "make.py"} <= skipped
    assert not res.rejected
    assert res.loaded >= 1 and res.loaded + len(res.rejected) == res.records_seen


# ------------------------------------------------------ one bad JSON file does not stop a folder import
DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_in_a_folder_is_one_rejected_record(tmp_path):
    (tmp_path / "a.txt").write_bytes(fl(ipsec_obj("E1")))
    (tmp_path / "deep.json").write_text(DEEP)
    (tmp_path / "deepobj.json").write_text('{"EspSupported":' * 50_000 + "1" + "}" * 50_000)
    (tmp_path / "z.json").write_text(synth.to_json([ipsec_obj("E2")], style="ps7"))
    r = import_paths([tmp_path], progress=False)
    assert sorted({x.adapter for x in r.records}) == ["E1", "E2"]
    by_file = {x.source_file.rsplit("/", 1)[-1]: x for x in r.rejected}
    assert sorted(by_file) == ["deep.json", "deepobj.json"]
    assert all("nested too deeply" in x.reason and x.line == 1 for x in by_file.values())
    assert r.loaded + len(r.rejected) == r.records_seen


@pytest.mark.parametrize("side,needle", [
    (DEEP, "nested too deeply"),
    ('{"source": "rndis", "adapter": "E1",\n "adapter": "E2"}', "key 'adapter' appears twice"),
    ('{"source": "rndis", "adapter": "E1",', "invalid JSON"),
    ('["rndis"]', "not an object"),
])
def test_a_sidecar_that_cannot_be_used_is_a_rejected_record(tmp_path, side, needle):
    (tmp_path / "nic.bin").write_bytes(encode({"IPsecV2.Esp": True}, revision=2))
    (tmp_path / "nic.bin.json").write_text(side)
    r = import_paths([tmp_path], progress=False)
    assert r.loaded == 1 and r.records[0].view == "unknown"  # the capture itself is still read
    (rej,) = r.rejected
    assert rej.source_file == str(tmp_path / "nic.bin.json") and needle in rej.reason
    assert "sidecar of" in rej.reason and r.records_seen == 2
    if "appears twice" in needle:
        assert rej.line == 2


def test_a_sidecar_over_the_size_limit_is_refused(tmp_path):
    rec = encode({"IPsecV2.Esp": True}, revision=2)
    (tmp_path / "nic.bin").write_bytes(rec)
    (tmp_path / "nic.bin.json").write_text(json.dumps({"source": "rndis", "adapter": "E1" + " " * 400}))
    r = import_paths([tmp_path], size_limit=300, progress=False)
    assert r.loaded == 1 and [x.refused for x in r.rejected] == ["size limit"]


def test_a_text_file_beside_a_deep_json_is_not_taken_for_its_sidecar(tmp_path):
    (tmp_path / "a.txt").write_bytes(fl(ipsec_obj("E1")))
    (tmp_path / "a.txt.json").write_text(DEEP)
    r = import_paths([tmp_path], progress=False)
    assert r.loaded == 1 and "nested too deeply" in r.rejected[0].reason


def test_provenance_file_with_a_repeated_key_is_rejected_not_half_applied(tmp_path):
    (tmp_path / "a.txt").write_bytes(fl(ipsec_obj("E1")))
    (tmp_path / "provenance.json").write_text(
        '{"format": "ipsecexplore-provenance/1",\n "default": "sourced: A",\n "default": "illustrative: B"}')
    r = import_paths([tmp_path], progress=False)
    assert {x.provenance for x in r.records} == {"captured"}
    (rej,) = r.rejected
    assert rej.line == 3 and "provenance file not used" in rej.reason and "'default' appears twice" in rej.reason


def test_encrypted_zip_member_is_a_rejected_record(tmp_path):
    z = bytearray(_zip({"a.txt": synth.format_list([ipsec_obj("E1")]), "b.txt": synth.format_list([ipsec_obj("E2")])}))
    # set the "encrypted" flag bit of a.txt in its central-directory entry (zipfile then refuses to read it)
    cd = z.find(b"PK\x01\x02")
    z[cd + 8] |= 0x1
    (tmp_path / "x.zip").write_bytes(bytes(z))
    r = import_paths([tmp_path / "x.zip"], progress=False)
    assert {x.adapter for x in r.records} == {"E2"}
    (rej,) = r.rejected
    assert rej.source_file.endswith("x.zip/a.txt") and "encrypted" in rej.reason and rej.refused == "unreadable"


def test_zip_nested_too_deep_is_a_rejected_record(tmp_path):
    z = _zip({"x.txt": synth.format_list([ipsec_obj("Z1")])})
    for _ in range(3):
        z = _zip({"inner.zip": z})
    (tmp_path / "outer.zip").write_bytes(z)
    r = import_paths([tmp_path / "outer.zip"], progress=False)
    assert not r.records and len(r.rejected) == 1 and "is not opened" in r.rejected[0].reason


@pytest.mark.parametrize("side,needle", [
    ({"source": "rndis", "description": [1]}, "'description' must be a string, not list"),
    ({"source": "rndis", "records": 5}, "'records' must be a list of objects"),
    ({"source": "rndis", "records": [5]}, "records[0] must be an object"),
    ({"source": "rndis", "records": [{"adapter": "a", "records": []}]}, "records[0]: unknown key 'records'"),
    ({"source": ["x"], "adapter": "a"}, "'source' must be a string"),
    ({"source": "oid_hw", "adapter": "a"}, "'source' 'oid_hw' is not one of"),
    ({"view": "sideways", "adapter": "a"}, "'view' 'sideways' is not one of"),
    ({"adapter": 5}, "'adapter' must be a string or a list of strings"),
    ({"host": 5, "adapter": "a"}, "'host' must be a string"),
    ({"adpater": "a", "source": "rndis"}, "unknown key 'adpater'"),
])
def test_a_sidecar_with_wrong_keys_or_types_is_rejected_naming_them(tmp_path, side, needle):
    (tmp_path / "nic.bin").write_bytes(encode({"IPsecV2.Esp": True}, revision=2))
    (tmp_path / "nic.bin.json").write_text(json.dumps(side))
    r = import_paths([tmp_path], progress=False)
    assert r.loaded == 1 and r.records[0].host == "nic"  # read without the sidecar: host from the file name
    (rej,) = r.rejected
    assert needle in rej.reason and rej.reason.startswith(f"sidecar of {tmp_path / 'nic.bin'} not used: ")


@pytest.mark.parametrize("doc,needle", [
    ({"adapters": {"host": "h"}}, "'adapters' must be a list"),
    ({"adapters": ["x"]}, "adapters[0] must be an object"),
    ({"adapters": [{"host": "HOST01", "adapter": "E1"}]}, "adapters[0]: 'provenance' must be a string, is missing"),
    ({"adapters": [{"host": [1], "adapter": "E1", "provenance": "p"}]}, "adapters[0]: 'host' must be a string"),
    ({"adapters": [{"host": "HOST01", "adapter": "E1", "provenance": "p", "view": "both"}]},
     "adapters[0]: 'view' must be null or one of hardware, current, unknown, not \"both\""),
    ({"adapters": [{"host": "HOST01", "adapter": "E1", "provenance": "p", "veiw": "hardware"}]},
     "adapters[0]: unknown key 'veiw'"),
    ({"default": 5}, "'default' must be a string"),
    ({"defualt": "sourced: x"}, "unknown key 'defualt'"),
])
def test_a_provenance_file_with_wrong_keys_or_types_is_rejected_not_half_applied(tmp_path, doc, needle):
    (tmp_path / "a.txt").write_bytes(fl(ipsec_obj("E1")))
    (tmp_path / "provenance.json").write_text(json.dumps({"format": "ipsecexplore-provenance/1", **doc}))
    r = import_paths([tmp_path], progress=False)
    assert {x.provenance for x in r.records} == {"captured"}
    (rej,) = r.rejected
    assert rej.source_file == str(tmp_path / "provenance.json") and needle in rej.reason
    assert rej.reason.startswith("provenance file not used: ")
