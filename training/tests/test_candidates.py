"""Integration (a): the candidate conditioning segment. Training on the fixture with a candidates file in the
format `npm run candidates` writes, the export's extra inputs, and what the candidates may and may not change."""
import json
import os
import random

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from training.rolegen_train.data import load_dataset
from training.rolegen_train.export import check_parity
from training.rolegen_train.train import candidate_blocks, load_candidates, parse_args, run

from .fixture import write_fixture

SLOTS = 4


def write_candidates(path, ds, seed=3):
    """Two cuts per user (half its train events and all of them), 5 random real items each, best first."""
    rng = random.Random(seed)
    with open(path, "w") as f:
        for u in ds.users:
            n = sum(1 for e in u.events if e.part == "train")
            if n < 2:
                continue
            for cut in sorted({max(2, n // 2), n}):
                items = rng.sample(range(len(ds.items)), 5)
                f.write(json.dumps({"user": u.id, "cut": cut, "day": "2019-06-10",
                                    "candidates": [[ds.items[i].id, 1.0 - 0.1 * k] for k, i in enumerate(items)]})
                        + "\n")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cand")
    data = write_fixture(str(root / "prepared"))
    cands = write_candidates(str(root / "cands.jsonl"), load_dataset(data))
    out = str(root / "model")
    meta, model = run(parse_args(["--dataset", data, "--out", out, "--epochs", "2", "--seed", "7",
                                  "--vocab", "4", "4", "4", "--d-model", "32", "--ff", "64", "--head-hidden", "32",
                                  "--batch-size", "8", "--candidates", cands, "--cand-slots", str(SLOTS)]))
    return out, meta, model, data, cands


def test_candidate_blocks_only_show_a_set_from_its_cut_on():
    # cuts 5 and 9 of a user; a window over event indices 2..11 (inputs), so local position j is event 2 + j
    blocks = candidate_blocks([(5, [1, 2, 3]), (9, [4, 5])], start=2, end=11, slots=2)
    # the set of cut 5 (input = events 0..4) is first visible at event 4 and gives way to cut 9's at event 8
    assert blocks == [(2, 6, [1, 2]), (6, 10, [4, 5])]
    # a window that ends before a cut never sees its set
    assert candidate_blocks([(5, [1]), (9, [4])], start=0, end=3, slots=2) == []
    assert candidate_blocks([(5, [1]), (9, [4])], start=0, end=4, slots=2) == [(4, 5, [1])]


def test_load_candidates_rejects_inputs_beyond_the_training_events(tmp_path):
    data = write_fixture(str(tmp_path / "prepared"))
    ds = load_dataset(data)
    u = next(u for u in ds.users if any(e.part != "train" for e in u.events))
    n = sum(1 for e in u.events if e.part == "train")
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"user": u.id, "cut": n + 1, "day": "x", "candidates": []}) + "\n")
    with pytest.raises(ValueError, match="outside"):
        load_candidates(str(path), ds)
    path.write_text(json.dumps({"user": u.id, "cut": n, "day": "x", "candidates": [["no-such-item", 1]]}) + "\n")
    with pytest.raises(ValueError, match="unknown item"):
        load_candidates(str(path), ds)


def test_meta_and_contract(trained):
    out, meta, _, _, _ = trained
    with open(os.path.join(out, "meta.json")) as f:
        m = json.load(f)
    assert m["candidateSlots"] == SLOTS
    info = m["training"]["candidates"]
    assert info["slots"] == SLOTS and info["sets"] > 0 and 0 < info["transitionsWithCandidates"] < m["training"]["transitions"]
    assert "validationWithoutCandidates" in info
    enc = onnx.load(os.path.join(out, "encoder.onnx"))
    ins = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in enc.graph.input}
    assert list(ins) == ["codes", "actions", "gaps", "mask", "candidates", "candidate_mask"]
    assert ins["candidates"][1:] == [SLOTS, 4] and ins["candidate_mask"][1:] == [SLOTS]
    assert [o.name for o in enc.graph.output] == ["state", "states", "action_logits", "copy_logits", "gate_logits"]
    head = onnx.load(os.path.join(out, "head.onnx"))
    assert [i.name for i in head.graph.input] == ["state", "action", "prefix"]


def test_parity_covers_candidates(trained):
    out, _, _, _, _ = trained
    assert check_parity(out) < 1e-4
    with open(os.path.join(out, "parity.json")) as f:
        doc = json.load(f)
    items = doc["candidateItems"]
    assert len(items) == 3 and len(items[0]) > 0 and items[2] == []
    mask = np.array(doc["encoder"]["inputs"]["candidate_mask"]["data"]).reshape(3, SLOTS)
    assert mask.sum(1).tolist() == [len(x) for x in items]


def _feeds(out):
    with open(os.path.join(out, "parity.json")) as f:
        doc = json.load(f)
    return {n: np.array(v["data"], dtype=np.int32).reshape(v["dims"]) for n, v in doc["encoder"]["inputs"].items()}


def test_candidates_condition_and_padding_does_not(trained):
    out, _, model, _, _ = trained
    sess = ort.InferenceSession(os.path.join(out, "encoder.onnx"), providers=["CPUExecutionProvider"])
    feeds = _feeds(out)
    with_c = sess.run(None, feeds)
    none = dict(feeds, candidate_mask=np.zeros_like(feeds["candidate_mask"]))
    without = sess.run(None, none)
    # the trained segment moves the state of the rows that have candidates, and not of the row without
    assert np.abs(with_c[0][0] - without[0][0]).max() > 1e-6
    assert np.array_equal(with_c[0][2], without[0][2])
    # no candidates = the network without the conditioning layer (the null slot's value is zero)
    with torch.no_grad():
        plain = model.encode(*[torch.from_numpy(feeds[n]) for n in ("codes", "actions", "gaps", "mask")])
    assert np.abs(without[1] - plain.numpy()).max() < 1e-5
    # codes in masked slots are ignored
    garbage = dict(none, candidates=np.ones_like(feeds["candidates"]))
    assert np.array_equal(sess.run(None, garbage)[0], without[0])


def test_plain_models_keep_their_contract(tmp_path):
    """Without --candidates nothing changes: four encoder inputs, no candidateSlots, no candidate options."""
    data = write_fixture(str(tmp_path / "prepared"))
    out = str(tmp_path / "plain")
    meta, _ = run(parse_args(["--dataset", data, "--out", out, "--epochs", "1", "--seed", "7", "--vocab", "4", "4",
                              "4", "--d-model", "32", "--ff", "64", "--head-hidden", "32", "--batch-size", "8"]))
    assert "candidateSlots" not in meta and "candidates" not in meta["training"]
    assert not any(k.startswith("cand") for k in meta["training"]["config"])
    assert [i.name for i in onnx.load(os.path.join(out, "encoder.onnx")).graph.input] == ["codes", "actions", "gaps", "mask"]
