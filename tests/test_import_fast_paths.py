"""The shortcuts the import takes for speed (issue 12 item 7) give what the plain definitions give: line-end
normalisation, the uniform-line-ends test, the Linux transcript test, and the worker schedule.

Expected values come from the definitions written out here (``str.replace``, ``str.count``, the ``PROMPT``
expression applied to every line), never from the code under test."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time

import pytest
from captures_support import ipsec_obj
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsecexplore.captures import import_bytes, import_paths, parallel, synth
from ipsecexplore.captures.linux.commands import PROMPT, classify, split_transcript
from ipsecexplore.captures.linux.reader import looks_like_linux
from ipsecexplore.captures.textio import normalize_newlines

# Text made of the characters the shortcuts look at, with plain letters, blanks and a non-ASCII letter.
_TEXT = st.text(alphabet=st.sampled_from(list("\r\n ab:#$[@é\t")), max_size=60)
_LINE = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab #$[]@:~.-\t")), max_size=20),
    st.sampled_from(["$ ethtool -k eth0", "# ip xfrm state", "[root@h1 ~]# hostname", "user@h2:~$ ip -s xfrm state",
                     "Description : Example Adapter #2", "#", "$", "[x]", "a@b", "  $ ethtool -i eth0"]))


@given(_TEXT)
def test_normalize_newlines_is_replace_crlf_then_cr(text):
    assert normalize_newlines(text) == text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_capture_with_odd_line_ends_imports_as_its_normalised_text(data):
    """The Format-List reader is given CRLF text as it is; a lone CR or LF anywhere sends it to the careful
    path, which must read it as the same text with LF line ends."""
    text = synth.format_list([ipsec_obj("A"), ipsec_obj("B", host="H2")]).replace("\n", "\r\n")
    ends = [i for i in range(len(text)) if text.startswith("\r\n", i)]
    for i in sorted(data.draw(st.sets(st.sampled_from(ends), min_size=1, max_size=3)), reverse=True):
        text = text[:i] + data.draw(st.sampled_from(["\r", "\n"])) + text[i + 2:]  # a line end made lone
    for i in sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=2)), reverse=True):
        text = text[:i] + data.draw(st.sampled_from(["\r", "\n"])) + text[i:]  # or added inside a line
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    odd, even = import_bytes(text.encode(), "h.txt"), import_bytes(plain.encode(), "h.txt")
    assert odd.records or odd.rejected  # something was read, and it is what the LF text gives
    assert odd.records == even.records
    assert (odd.rejected, odd.remarks) == (even.rejected, even.remarks)


def test_normalize_newlines_on_a_large_crlf_text_and_one_with_a_lone_cr():
    body = "Name : Ethernet 2\r\nEspSupported : True\r\n\r\n" * 1000
    assert normalize_newlines(body) == body.replace("\r\n", "\n")
    assert normalize_newlines(body + "x\ry") == body.replace("\r\n", "\n") + "x\ny"
    assert normalize_newlines(body + "é\r\n") == body.replace("\r\n", "\n") + "é\n"


@given(st.lists(_LINE, max_size=12))
def test_split_transcript_finds_every_prompt_line_with_a_command(lines):
    expected = any(m is not None and classify(m.group("cmd").strip()) for m in map(PROMPT.match, lines))
    assert (split_transcript(lines) is not None) == bool(expected)


@pytest.mark.parametrize("head,linux", [
    ("\n\n\ndriver: mlx5_core\nversion: 5.0\nfirmware-version: 1\nbus-info: 0000:01:00.0\n", True),
    ("driver: x\n" + "a\n" * 11 + "bus-info: y\n", False),  # bus-info past the first 12 non-blank lines
    ("driver: x\n" + "a\n" * 10 + "bus-info: y\n", True),
    ("Name : Ethernet 2\nDescription : Example Adapter #2\n", False),
    ("Name : x\n" * 399 + "$ ethtool -k eth0\n", True),  # a prompt on line 400
    ("Name : x\n" * 400 + "$ ethtool -k eth0\n", False),  # on line 401: past what recognition reads
    ("\n" * 500 + "Features for eth0:\n", False),
])
def test_looks_like_linux_reads_the_first_400_lines(head, linux):
    assert looks_like_linux(head, ("x.txt",)) is linux


_FORK = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="worker processes need fork")


@_FORK
@pytest.mark.parametrize("workers", [2, 3])
@settings(max_examples=10, deadline=None)
@given(sizes=st.lists(st.integers(0, 3), max_size=40))
def test_ordered_batches_keeps_order(small_batches, workers, sizes):
    """Every batch comes back once, in order, with its own result, and the first one from a worker."""
    entries = list(enumerate(sizes))
    got = list(parallel.ordered_batches(iter(entries), lambda e: e[1], _whose, workers))
    assert [e for batch, _ in got for e in batch] == entries
    assert all([e for _, e in res] == batch for batch, res in got)  # each result is its own batch's
    if got:
        assert got[0][1][0][0] != os.getpid()


@_FORK
def test_this_process_parses_while_the_workers_are_busy(small_batches):
    """A worker's batch is not ready at once (it sleeps): this process takes the next batches meanwhile."""
    entries = [(i, 2) for i in range(12)]
    got = list(parallel.ordered_batches(iter(entries), lambda e: e[1], _slow_in_workers, 2))
    assert [e for batch, _ in got for e in batch] == entries
    pids = [pid for _, res in got for pid, _ in res]
    assert os.getpid() in pids and set(pids) - {os.getpid()}


_PARENT = os.getpid()


def _whose(batch):
    return [(os.getpid(), e) for e in batch]


def _slow_in_workers(batch):
    if os.getpid() != _PARENT:
        time.sleep(0.3)
    return _whose(batch)


@pytest.fixture(scope="module")
def small_batches():
    """Batches of 2 bytes, so that a short list makes several."""
    old = parallel.BATCH_BYTES
    parallel.BATCH_BYTES = 2
    yield
    parallel.BATCH_BYTES = old


def test_a_folder_is_walked_in_pathlib_order(tmp_path):
    """Files as ``sorted(rglob('*'))`` lists them (by path parts: 'a/b' before 'a-c'), hidden ones included;
    a symlink to a file is read, a symlinked folder is not entered (no file is read twice)."""
    root = tmp_path / "fleet"
    for rel in ["a/b.txt", "a-c.txt", "a/z/y.txt", ".hidden.txt", "B.txt", "a b/c.txt", "a/b-c/d.txt"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("not a capture\n")
    (root / "link.txt").symlink_to(root / "B.txt")
    (root / "linked").symlink_to(root / "a", target_is_directory=True)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    expected = [str(q) for q in sorted(q for q in root.rglob("*") if q.is_file())]
    got = list(import_paths([root], progress=False, workers=1).files)
    assert got == expected and str(root / "link.txt") in got and not any("linked" in g for g in got)


@_FORK
def test_large_batches_and_large_results_do_not_block(small_batches):
    """Batches carrying megabytes (zip members read here) while the worker sends megabytes back: neither
    side may wait on a full pipe for the other (an alarm fails the test instead of hanging it)."""
    entries = [(i, b"x" * (3 << 20)) for i in range(6)]
    old = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(60)
    try:
        got = list(parallel.ordered_batches(iter(entries), lambda e: len(e[1]), _echo, 2))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert [e for batch, _ in got for e in batch] == entries
    assert all(res == [e[1] * 2 for e in batch] for batch, res in got)


@_FORK
def test_an_error_in_a_worker_is_raised_here(small_batches):
    with pytest.raises(ValueError, match="entry 0"):
        list(parallel.ordered_batches(iter([(0, 2), (1, 2), (2, 2)]), lambda e: e[1], _fail_in_workers, 2))


def _echo(batch):
    return [e[1] * 2 for e in batch]


def _fail_in_workers(batch):
    if os.getpid() != _PARENT:
        raise ValueError(f"entry {batch[0][0]}")
    return batch


def _too_slow(*_):
    raise TimeoutError("ordered_batches blocked")


@_FORK
def test_a_worker_that_dies_is_reported(small_batches):
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        list(parallel.ordered_batches(iter([(0, 2), (1, 2), (2, 2)]), lambda e: e[1], _die_in_workers, 2))


@_FORK
def test_workers_run_with_descriptors_past_1023(small_batches):
    """An import keeps its zip files open: the pipes to its workers may get descriptors select() cannot watch."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"the hard limit on open files is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200) if hard == resource.RLIM_INFINITY
                                                else min(max(soft, 1200), hard), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        entries = [(i, 2) for i in range(6)]
        got = list(parallel.ordered_batches(iter(entries), lambda e: e[1], _whose, 2))
        assert [e for batch, _ in got for e in batch] == entries
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _die_in_workers(batch):
    if os.getpid() != _PARENT:
        os._exit(3)
    time.sleep(0.2)  # the worker's end is seen while this process waits for its result
    return batch


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1


@_FORK
def test_a_worker_that_cannot_start_leaves_nothing_behind(small_batches, monkeypatch):
    """The second fork fails: the first worker is stopped and no pipe stays open."""
    real_fork, forks = os.fork, []

    def fork():
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable (simulated)")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    before = _open_fds()
    with pytest.raises(BlockingIOError):
        list(parallel.ordered_batches(iter([(i, 2) for i in range(6)]), lambda e: e[1], _whose, 3))
    assert _open_fds() == before


@_FORK
def test_a_result_that_cannot_be_sent_says_why(small_batches):
    with pytest.raises(RuntimeError, match="could not be sent back"):
        list(parallel.ordered_batches(iter([(i, 2) for i in range(8)]), lambda e: e[1], _unpicklable_in_workers, 2))


@_FORK
def test_this_process_reads_ahead_a_bounded_number_of_batches(small_batches):
    """A slow worker: this process parses on, but holds at most a few batches before yielding."""
    held = []
    gen = parallel.ordered_batches(iter([(i, 2) for i in range(16)]), lambda e: e[1], _count_here(held), 2)
    next(gen)
    assert 1 <= len(held) <= 3 * 2
    assert len(list(gen)) == 15


@_FORK
def test_results_are_the_same_when_the_memo_starts_anew(small_batches, monkeypatch):
    monkeypatch.setattr(parallel, "_MEMO_BYTES", 64)  # a new pickler memo for nearly every result
    entries = [(i, 2) for i in range(20)]
    got = list(parallel.ordered_batches(iter(entries), lambda e: e[1], _shared_in_workers, 2))
    assert [e for batch, _ in got for e in batch] == entries
    assert all(res == [{"k": e[0] % 3} for e in batch] for batch, res in got)


def _unpicklable_in_workers(batch):
    if os.getpid() != _PARENT:
        time.sleep(0.1)
        return [lambda: None]
    return batch


def _count_here(held):
    def work(batch):
        if os.getpid() != _PARENT:
            time.sleep(0.4)
        else:
            held.append(batch)
        return batch
    return work


_SHARED_VALUES = [{"k": 0}, {"k": 1}, {"k": 2}]


def _shared_in_workers(batch):
    return [_SHARED_VALUES[e[0] % 3] for e in batch]
