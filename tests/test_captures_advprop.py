"""Get-NetAdapterAdvancedProperty rows for *IPsecOffload* keywords (capture-formats.md §3), joined to adapters."""

from __future__ import annotations

import pytest
from captures_support import ipsec_obj, load, replace

from ipsecexplore.captures import import_paths, synth
from ipsecexplore.constants import INF_KEYWORDS

V2 = "*IPsecOffloadV2"


def adv(name="SLOT 2 Port 1", host="HOST01", keyword=V2, value=3):
    info = INF_KEYWORDS[keyword]
    return synth.advprop_object(name=name, description=f"Test Adapter {name}", host=host,
                                instance_id="{00000000-0000-4000-8000-000000000001}", keyword=keyword, value=value,
                                display_name=info.param_desc, labels=dict(info.values), default=info.default)


def jumbo(name="SLOT 2 Port 1", host="HOST01"):
    return synth.advprop_object(name=name, description="x", host=host, instance_id="{0}", keyword="*JumboPacket",
                                value=1514, display_name="Jumbo Packet", labels={1514: "Disabled", 9014: "9014"},
                                default=1514)


TABLE_COLS = ["Name", "DisplayName", "DisplayValue", "RegistryKeyword", "RegistryValue"]


def render(form, objs):
    if form == "list":
        return synth.encode_windows(synth.format_list(objs), "utf-16-le"), "HOST01.advprop.txt"
    if form == "table":
        return synth.encode_windows(synth.format_table(objs, TABLE_COLS), "utf-16-le"), "HOST01.advprop.txt"
    if form == "csv":
        return synth.encode_windows(synth.to_csv(objs, type_name=synth.ADVPROP_TYPE_NAME), "utf-8"), "HOST01.csv"
    if form == "json":
        return synth.encode_windows(synth.to_json(objs, style="ps5"), "utf-16-le"), "HOST01.json"
    raise AssertionError(form)


@pytest.mark.parametrize("form", ["list", "table", "csv", "json"])
def test_keyword_rows_in_every_form(form):
    objs = [jumbo("A"), adv("A", value=0), adv("B", value=2), adv("C", keyword="*IPsecOffloadV2IPv4", value=3)]
    data, name = render(form, objs)
    r = load(data, name)
    assert not r.rejected
    assert r.records_seen == 3  # the *JumboPacket row is not an IPsec capture record
    got = {(k.adapter, k.keyword): k.value for k in r.unmatched_keywords}
    assert got == {("A", V2): 0, ("B", V2): 2, ("C", "*IPsecOffloadV2IPv4"): 3}
    hosts = {k.host for k in r.unmatched_keywords}
    assert hosts == {"HOST01"}  # SystemName, or for the default table the file name
    if form == "csv":  # Export-Csv flattened RegistryValue: the value comes from the English DisplayValue
        assert {k.value_from for k in r.unmatched_keywords} == {"DisplayValue"}


@pytest.mark.parametrize("form", ["list", "table", "csv", "json"])
def test_keywords_join_adapters_by_host_and_name(tmp_path, form):
    caps = [ipsec_obj("A", host="HOST01"), ipsec_obj("B", host="HOST01"), ipsec_obj("A", host="HOST02")]
    (tmp_path / "ipsec.txt").write_bytes(synth.encode_windows(synth.format_list(caps), "utf-16-le"))
    data, name = render(form, [adv("a", value=0), adv("B", value=3)])  # names match case-insensitively
    (tmp_path / name).write_bytes(data)
    r = import_paths([tmp_path], progress=False)
    assert not r.rejected and not r.unmatched_keywords
    kw = {(rec.host, rec.adapter, rec.view): rec.keywords for rec in r.records}
    assert kw[("HOST01", "A", "hardware")] == {V2: 0} == kw[("HOST01", "A", "current")]
    assert kw[("HOST01", "B", "current")] == {V2: 3}
    assert kw[("HOST02", "A", "hardware")] == {}  # another host: not joined


def test_unmatched_keyword_rows_are_kept_not_dropped(tmp_path):
    (tmp_path / "HOST01.ipsec.txt").write_text(synth.format_list([ipsec_obj("A")]))
    (tmp_path / "HOST01.adv.txt").write_text(synth.format_list([adv("A"), adv("Z", value=1)]))
    r = import_paths([tmp_path], progress=False)
    assert [(k.adapter, k.value) for k in r.unmatched_keywords] == [("Z", 1)]
    assert r.loaded == r.records_seen == 3


def test_conflicting_keyword_rows_reject_the_later_one(tmp_path):
    (tmp_path / "a.txt").write_text(synth.format_list([ipsec_obj("A")]))
    (tmp_path / "b.txt").write_text(synth.format_list([adv("A", value=3)]))
    (tmp_path / "c.json").write_text(synth.to_json([adv("A", value=0)], style="ps7"))
    r = import_paths([tmp_path], progress=False)
    assert r.loaded + len(r.rejected) == r.records_seen == 3
    (rej,) = r.rejected
    assert rej.source_file.endswith("c.json") and "is 0 here but 3 in" in rej.reason
    assert {rec.keywords[V2] for rec in r.records} == {3}


@pytest.mark.parametrize("value,reason", [(["on"], "is not a number"), ([], "missing or empty"),
                                          (["99999999999"], "out of range")])
def test_bad_registry_value(value, reason):
    r = load(synth.format_list([replace(adv(), "RegistryValue", value)]))
    assert r.loaded == 0 and reason in r.rejected[0].reason


def test_localized_display_value_cannot_replace_a_flattened_registry_value():
    r = load(synth.to_csv([replace(adv(), "DisplayValue", "Deaktiviert")]), "x.csv")
    assert r.loaded == 0 and "documented labels" in r.rejected[0].reason


def test_truncated_table_cells_are_rejected():
    table = synth.format_table([adv("SLOT 2 Port 1")], TABLE_COLS)
    table = table.replace("*IPsecOffloadV2", "*IPsecOffl...  ")
    r = load(table, "HOST01.txt")
    assert r.loaded == 0 and "truncated" in r.rejected[0].reason


def test_table_with_text_outside_is_reported():
    table = synth.format_table([adv()], TABLE_COLS) + "\nsome note typed under the table\n"
    r = load(table, "HOST01.txt")
    assert r.loaded == 1 and "text outside a table" in r.rejected[0].reason


def test_getnetview_advanced_property_file_counts_each_row_once():
    objs = [jumbo("SLOT 2 Port 1", "SRV"), adv("SLOT 2 Port 1", "SRV", value=0)]
    cmd = 'Get-NetAdapterAdvancedProperty -Name "SLOT 2 Port 1" -AllProperties -IncludeHidden'
    text = synth.getnetview_file("admin", "SRV", [
        (cmd + " | Sort-Object RegistryKeyword | Format-Table -AutoSize", synth.format_table(objs, TABLE_COLS), None),
        (cmd + " | Format-List -Property *", synth.format_list(objs), None),
        (cmd + " | Format-Table -Property *", synth.format_table(objs, [k for k, _ in objs[0]]), None)])
    r = load(text, "msdbg.SRV/pNIC.3.SLOT 2 Port 1.X/Get-NetAdapterAdvancedProperty.txt")
    assert r.records_seen == 1 and not r.rejected
    (k,) = r.unmatched_keywords
    assert (k.host, k.adapter, k.keyword, k.value) == ("SRV", "SLOT 2 Port 1", V2, 0)
    lines = text.split("\n")
    assert lines[k.line - 1].startswith("ValueName")  # the Format-List object, not a table row
