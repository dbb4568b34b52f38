"""The Format-List reader has a fast path (objects cut by a template, ``_fast_objects``) beside the careful
block-by-block one (``iter_blocks`` + ``parse_block``). On any text the fast path accepts, both must give the
same objects at the same lines — whatever template an earlier text left behind."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ipsecexplore.captures import formatlist
from ipsecexplore.captures.textio import normalize_newlines

WANTED = ["Name", "InterfaceDescription", "SystemName", "EspSupported", "AhSupported", "SaOffloadCapacity",
          "RegistryKeyword", "RegistryValue", "DisplayValue"]
OTHER = ["Caption", "Description", "ElementName", "PSComputerName", "Foo.Bar"]
VALUE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85"
                              "\u2028\u2029"), max_size=30)


@st.composite
def block(draw, keys=None):
    keys = keys or draw(st.lists(st.sampled_from(WANTED + OTHER), min_size=1, max_size=8, unique=True))
    width = max(map(len, keys))  # Format-List pads every name to the longest one of the object
    return [f"{k.ljust(width)} : {draw(VALUE)}".rstrip(" ") if draw(st.booleans()) else f"{k.ljust(width)} : "
            f"{draw(VALUE)}" for k in keys]


@st.composite
def format_list_text(draw):
    first = draw(block())
    keys = [ln.split(" ", 1)[0] for ln in first]
    # objects of one capture share their layout; some differ (another kind of object)
    blocks = [first] + draw(st.lists(st.one_of(block(keys), block()), max_size=5))
    gaps = draw(st.lists(st.integers(2, 4), min_size=len(blocks) - 1, max_size=len(blocks) - 1))
    gaps.append(draw(st.integers(0, 4)))  # the text may end after its last line, or with one line end
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    text = nl * draw(st.integers(0, 3))
    for b, gap in zip(blocks, gaps):
        text += nl.join(b) + nl * gap
    return text


def _careful(text: str, line_base: int):
    out = []
    for line, blk in formatlist.iter_blocks(normalize_newlines(text), line_base):
        props, err = formatlist.parse_block(blk, line)
        if err is not None:
            return None
        out.append((line, props))
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(format_list_text(), min_size=1, max_size=3), st.integers(0, 5))
def test_the_fast_path_agrees_with_the_block_by_block_path(texts, line_base):
    formatlist._LAST_TEMPLATE[0] = formatlist._NO_TEMPLATE  # each example starts without a template
    for text in texts:  # several texts in a row: the template of one is tried on the next
        fast = formatlist._fast_objects(text, line_base)
        if fast is None:
            continue  # the fast path declined: the careful path reads the text
        careful = _careful(text, line_base)
        assert careful is not None
        assert [line for line, _ in fast] == [line for line, _ in careful]
        for (_, f), (_, c) in zip(fast, careful):
            wanted = [k for k in c if k in formatlist._WANTED]
            assert list(f) == (wanted if len(wanted) >= 2 else list(c))  # only what an importer reads
            assert all(f[k] == c[k] for k in f)


def test_the_fast_path_takes_an_ordinary_capture():
    text = "\r\n\r\nName        : eth0\r\nEspSupported : True\r\n\r\nName        : eth1\r\nEspSupported : False\r\n\r\n"
    assert formatlist._fast_objects(text, 0) == _careful(text, 0) == [
        (3, {"Name": "eth0", "EspSupported": "True"}), (6, {"Name": "eth1", "EspSupported": "False"})]
