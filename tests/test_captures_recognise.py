"""Import format detection is one ordered table (ipsecexplore/captures/recognise.py). For each pair of
formats that could be confused, a file of the one is recognised as that one — and where a file of the one
also satisfies the other's test (a Get-NetView transcript holds Format-List text), the order decides it.
Samples are written as PowerShell and the tools write them (tests/spec/capture-formats.md)."""

from __future__ import annotations

import pytest
from captures_support import ipsec_obj

from ipsecexplore.captures import import_bytes, synth
from ipsecexplore.captures.importer import _TEXT_IMPORTERS
from ipsecexplore.captures.recognise import RECOGNISERS, Probe, recognise
from ipsecexplore.constants import INF_KEYWORDS

ONE = [ipsec_obj("eth0")]
V2 = INF_KEYWORDS["*IPsecOffloadV2"]
ADV = synth.advprop_object(name="eth0", description="Test Adapter eth0", host="HOST01", instance_id="{0}",
                           keyword="*IPsecOffloadV2", value=3, display_name=V2.param_desc, labels=dict(V2.values),
                           default=V2.default)
FORMAT_LIST = synth.format_list(ONE)
TRANSCRIPT = synth.getnetview_file("admin", "HOST01",
                                   [("Get-NetAdapterIPsecOffload | Format-List -Property *", FORMAT_LIST, None)])
TABLE = synth.format_table([ADV], ["Name", "DisplayName", "DisplayValue", "RegistryKeyword",
                                               "RegistryValue"])
SPEC_DUMP = "00000000  a7 02 90 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
XXD = "00000000: a702 9000 0000 0000 0000 0000 0000 0000  ................\n"
REG = 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\x]\n"*IPsecOffloadV2"="3"\n'
LINUX_JSON = '[{"ifindex": 2, "ifname": "eth0", "flags": ["UP"]}]\n'  # ip -j link
ETHTOOL = "Features for eth0:\nrx-checksumming: on\nesp-hw-offload: off [fixed]\n"  # ethtool -k

# (sample, what else it looks like, the format it must be read as)
PAIRS = [
    (TRANSCRIPT, "format-list", "getnetview"),  # a transcript holds a Format-List block
    (FORMAT_LIST, "getnetview", "format-list"),
    (synth.to_json(ONE), "csv", "json"),
    (synth.to_csv(ONE), "json", "csv"),
    (synth.to_csv(ONE), "format-list", "csv"),  # its header names the same properties
    (FORMAT_LIST, "csv", "format-list"),
    (TABLE, "format-list", "table"),  # the table's rows hold RegistryKeyword values
    (FORMAT_LIST, "table", "format-list"),
    (SPEC_DUMP, "hex", "hex-dump"),  # the spec's dump is also hex text
    (XXD, "hex-dump", "hex"),
    (REG, "format-list", "registry"),  # names an *IPsecOffload* keyword
    (FORMAT_LIST.replace("True", "0xA7"), "hex", "format-list"),
    (LINUX_JSON, "json", "linux"),  # ip -j output is JSON too
    (ETHTOOL, "format-list", "linux"),  # 'name: value' lines
]


def _predicate(name):
    return next(r.predicate for r in RECOGNISERS if r.name == name)


@pytest.mark.parametrize("text,other,expected", PAIRS)
def test_each_confusable_pair_is_read_as_its_own_format(text, other, expected):
    probe = Probe(text, "capture.txt")
    assert recognise(probe) == expected
    assert _predicate(expected)(probe)


@pytest.mark.parametrize("text,earlier,later", [(TRANSCRIPT, "getnetview", "format-list"),
                                                (SPEC_DUMP, "hex-dump", "hex")])
def test_where_both_tests_hold_the_order_of_the_table_decides(text, earlier, later):
    probe = Probe(text, "capture.txt")
    names = [r.name for r in RECOGNISERS]
    assert _predicate(earlier)(probe) and _predicate(later)(probe)
    assert names.index(earlier) < names.index(later) and recognise(probe) == earlier


def test_a_hex_file_name_means_the_spec_dump_and_prose_is_nothing():
    assert recognise(Probe(XXD, "x.hex")) == "hex-dump"
    assert recognise(Probe("Notes on the lab.\nNothing to import here.\n", "notes.txt")) is None


def test_every_recognised_format_has_an_importer_and_every_importer_a_recogniser():
    assert set(_TEXT_IMPORTERS) == {r.name for r in RECOGNISERS} | {None}


@pytest.mark.parametrize("text,fmt", [(FORMAT_LIST, "format-list/"), (synth.to_json(ONE), "json/"),
                                      (synth.to_csv(ONE), "csv")])
def test_the_importer_of_the_recognised_format_reads_the_file(text, fmt):
    r = import_bytes(text.encode(), "HOST01.txt")
    assert r.loaded >= 1 and not r.rejected and all(x.fmt.startswith(fmt) for x in r.records)
