"""Export-Csv without quotes (capture-formats.md §2.6 marks "every value is quoted" as [assumed]):
PowerShell 7 ``Export-Csv -UseQuotes AsNeeded|Never`` and Excel's Save As CSV write an unquoted header."""

from __future__ import annotations

import csv
import io

import pytest
from captures_support import CUR, HW, by_view, expected_values, ipsec_obj, load, replace

from ipsecexplore.captures import import_paths, synth


def unquoted_csv(objects, quote=csv.QUOTE_MINIMAL, delimiter=",", booleans=str) -> str:
    """What ``Export-Csv -UseQuotes AsNeeded`` (QUOTE_MINIMAL) or ``Never`` (QUOTE_NONE) writes."""
    objects = [[(k, booleans(v) if isinstance(v, bool) else v) for k, v in o] for o in objects]
    # Rebuild the rows from the quoted synth output so the values are Export-Csv's spellings.
    rows = list(csv.reader(io.StringIO(synth.to_csv(objects))))
    out = io.StringIO()
    w = csv.writer(out, quoting=quote, delimiter=delimiter, lineterminator="\r\n", escapechar="\\")
    w.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("quote", [csv.QUOTE_MINIMAL, csv.QUOTE_NONE])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_unquoted_header_rows_load(quote, delimiter):
    objs = [ipsec_obj(f"U{i}", aliases=False) for i in range(2)]
    text = unquoted_csv(objs, quote, delimiter)
    assert not text.startswith('"')
    r = load(synth.encode_windows(text, "utf-8"), "HU.csv")
    assert not r.rejected and not r.skipped_files and r.loaded == 2
    got = by_view(r)
    for i in range(2):
        assert got[("HOST01", f"U{i}", "hardware")].values == expected_values(HW)
        assert got[("HOST01", f"U{i}", "current")].values == expected_values(CUR)
        assert got[("HOST01", f"U{i}", "hardware")].line == 2 + i


def test_asneeded_quotes_only_values_with_the_delimiter():
    obj = replace(ipsec_obj("A1", aliases=False), "InterfaceDescription", "X550, rev 2")
    text = unquoted_csv([obj])
    assert '"X550, rev 2"' in text and not text.startswith('"')
    r = load(text, "a.csv")
    assert r.loaded == 1 and by_view(r)[("HOST01", "A1", "hardware")].description == "X550, rev 2"


def test_excel_save_as_csv_upper_case_booleans_and_bom():
    objs = [ipsec_obj("X1", aliases=False)]
    text = unquoted_csv(objs, booleans=lambda b: "TRUE" if b else "FALSE")
    assert "TRUE" in text
    r = load(synth.encode_windows(text, "utf-8-sig"), "excel.csv")
    assert not r.rejected and r.loaded == 1
    assert by_view(r)[("HOST01", "X1", "hardware")].values == expected_values(HW)


def test_folder_with_an_unquoted_csv_is_not_skipped(tmp_path):
    (tmp_path / "HU.csv").write_text(unquoted_csv([ipsec_obj("U1"), ipsec_obj("U2")], csv.QUOTE_NONE))
    r = import_paths([tmp_path], progress=False)
    assert not r.skipped_files and r.loaded == 2 and not r.rejected


@pytest.mark.parametrize("text", [
    "Name,Status\nE1,Up\n",  # names no capture property: not an IPsec capture
    "EspSupported, AhSupported and the rest are listed below.\nNothing else.\n",  # prose
])
def test_unquoted_lines_that_are_not_a_capture_header_are_not_csv(text):
    r = load(text, "notes.csv")
    assert r.records_seen == 0 and len(r.skipped_files) == 1
