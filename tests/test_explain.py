"""explain: members of any structure, constants, keywords, rules — and clear refusals."""

from __future__ import annotations

import pytest

from ipsecexplore.constants import lookup
from ipsecexplore.errors import InputError
from ipsecexplore.explain import explain
from ipsecexplore.layouts import layout


def test_member_offset_type_revision_and_meaning():
    text = explain("IPsecV2.LsoSupported")
    m = layout("NDIS_OFFLOAD").field("IPsecV2.LsoSupported")
    assert f"0x{m.offset:X} ({m.offset})" in text and "BOOLEAN" in text and "revision 2" in text
    assert "R25" in text  # the rule book's meaning of the member


def test_size_constants_are_those_of_the_structure():
    text = explain("Header.Size")
    assert "NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4" in text
    assert "NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1" not in text


def test_bare_member_of_another_structure():
    text = explain("IPsecV2IPv4")
    assert text.startswith("NDIS_OFFLOAD_PARAMETERS.IPsecV2IPv4")
    assert "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED" in text


def test_bare_member_of_several_structures_names_them():
    with pytest.raises(InputError, match="several structures"):
        explain("OffloadHandle")


def test_keyword_with_and_without_star():
    for name in ("*IPsecOffloadV2IPv4", "IPsecOffloadV2IPv4"):
        text = explain(name)
        assert "NDIS_OFFLOAD_PARAMETERS.IPsecV2IPv4" in text and "3 = Auth Header & ESP Enabled" in text


def test_constant_and_structure():
    c = lookup("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")
    assert explain(c.name).startswith(f"{c.name} = 0x8")
    assert "1→" not in explain("NDIS_OFFLOAD") and "revision 4: Header.Size 177" in explain("NDIS_OFFLOAD")


def test_unknown_name_suggests():
    with pytest.raises(InputError, match="did you mean IPsecV2.Esp"):
        explain("IPsecV2.Espp")
