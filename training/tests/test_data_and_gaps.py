import numpy as np

from training.rolegen_train.data import (DEFAULT_GAP_BOUNDS, gap_bucket, gap_buckets, load_dataset,
                                         split_categories, unescape)
from training.rolegen_train.train import encode_sequence

from .fixture import write_fixture


def test_unescape_and_categories():
    assert unescape("a\\tb\\nc\\rd\\\\e") == "a\tb\nc\rd\\e"
    assert unescape("plain") == "plain"
    assert split_categories("top>a\\>b") == ["top", "a>b"]
    assert split_categories("top>tab\\there") == ["top", "tab\there"]
    assert split_categories("x\\\\>y") == ["x\\", "y"]
    assert split_categories("") == []


def test_reader_on_fixture(tmp_path):
    ds = load_dataset(write_fixture(str(tmp_path / "d")))
    assert len(ds.items) == 48
    cats = {it.categories[-1] for it in ds.items}
    assert "a>b" in cats and "tab\there" in cats
    assert all(it.categories[0] == "top" for it in ds.items)
    for u in ds.users:
        assert [e.seq for e in u.events] == list(range(len(u.events)))
        assert sum(e.part == "train" for e in u.events) == u.train_events
        # train rows are a prefix of the sequence
        assert all(e.part == "train" for e in u.events[: u.train_events])


def test_gap_bucket_bounds():
    b = DEFAULT_GAP_BOUNDS  # [1, 60, 600, 3600, 86400, 172800, 259200, 604800, 2592000]
    assert gap_bucket(0, b) == 0
    assert gap_bucket(1, b) == 1
    assert gap_bucket(59, b) == 1
    assert gap_bucket(60, b) == 2
    assert gap_bucket(86399, b) == 4
    assert gap_bucket(86400, b) == 5
    assert gap_bucket(2 * 86400, b) == 6
    assert gap_bucket(10 ** 9, b) == len(b)
    assert gap_buckets([100, 100, 100 + 86400, 100 + 3 * 86400], b) == [0, 0, 5, 6]


def test_encode_sequence_left_pads_and_keeps_cut_gap():
    codes = np.arange(40).reshape(10, 4)
    items = [0, 1, 2, 3, 4]
    times = [0, 86400, 2 * 86400, 2 * 86400, 5 * 86400]
    c, a, g, m, it = encode_sequence(items, [0, 1, 2, 3, 0], times, codes, DEFAULT_GAP_BOUNDS, 8)
    assert m.tolist() == [0, 0, 0, 1, 1, 1, 1, 1]
    assert it.tolist() == [-1, -1, -1, 0, 1, 2, 3, 4]
    assert g.tolist() == [0, 0, 0, 0, 5, 5, 0, 7]
    assert (c[:3] == 0).all() and c[3].tolist() == [0, 1, 2, 3]
    assert a.tolist() == [0, 0, 0, 0, 1, 2, 3, 0]
    # truncated: most recent 3 kept, the first kept event's gap is measured to the cut-off one
    c, a, g, m, it = encode_sequence(items, [0, 1, 2, 3, 0], times, codes, DEFAULT_GAP_BOUNDS, 3)
    assert it.tolist() == [2, 3, 4]
    assert g.tolist() == [5, 0, 7]
    assert m.tolist() == [1, 1, 1]
