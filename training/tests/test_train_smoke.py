"""Training smoke test on a tiny fixture: one short epoch, export, contract checks, ONNX vs torch."""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from training.rolegen_train.export import check_parity, torch_reference
from training.rolegen_train.train import BUY, Trie, all_items_log_prob, parse_args, run, sid_log_prob

from .fixture import write_fixture


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("smoke")
    data = write_fixture(str(root / "prepared"))
    out = str(root / "model")
    meta, model = run(parse_args(["--dataset", data, "--out", out, "--epochs", "1", "--seed", "7",
                                  "--vocab", "4", "4", "4", "--d-model", "32", "--ff", "64",
                                  "--head-hidden", "32", "--batch-size", "8"]))
    return out, meta, model


def test_files_and_meta(trained):
    out, meta, _ = trained
    for f in ("encoder.onnx", "head.onnx", "sids.tsv", "meta.json", "parity.json", "model.pt"):
        assert os.path.isfile(os.path.join(out, f)), f
    with open(os.path.join(out, "meta.json")) as f:
        m = json.load(f)
    assert m["schema"] == "rolegen.backbone" and m["version"] == 1
    assert m["dataset"] == "fixture"
    assert m["attribution"]["source"] == "synthetic test fixture"
    assert m["maxLen"] == 128 and m["dModel"] == 32
    assert len(m["vocab"]) == 4 and m["vocab"][:3] == [4, 4, 4]
    assert m["actions"] == ["click", "fav", "cart", "buy"]
    assert m["gapBoundsSeconds"] == [1, 60, 600, 3600, 86400, 172800, 259200, 604800, 2592000]
    assert m["padding"] == "left"
    assert m["files"] == {"encoder": "encoder.onnx", "head": "head.onnx", "sids": "sids.tsv",
                          "parity": "parity.json"}
    assert [i["id"] for i in m["intents"]] == list(range(len(m["intents"])))
    assert all(isinstance(i["label"], str) and i["label"] for i in m["intents"])
    t = m["training"]
    for k in ("config", "seed", "epochs", "bestEpoch", "validation", "trainSeconds", "torch"):
        assert k in t
    assert t["seed"] == 7 and t["epochs"] == 1
    assert "collisionRate" in m["sidStats"] and "codebookUsage" in m["sidStats"]


def test_sids_tsv(trained):
    out, meta, _ = trained
    with open(os.path.join(out, "sids.tsv")) as f:
        lines = f.read().split("\n")
    assert lines[0] == "item_id\tc1\tc2\tc3\tc4"
    rows = [l.split("\t") for l in lines[1:] if l]
    assert len(rows) == 48
    sids = {tuple(int(x) for x in r[1:]) for r in rows}
    assert len(sids) == 48
    for s in sids:
        assert all(0 <= s[k] < meta["vocab"][k] for k in range(4))


def _io(path):
    m = onnx.load(path)
    return ({i.name: (i.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim])
             for i in m.graph.input},
            {o.name: (o.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim])
             for o in m.graph.output}, m.opset_import[0].version)


def test_onnx_contract_shapes(trained):
    out, meta, _ = trained
    T, D, V = meta["maxLen"], meta["dModel"], meta["vocab"]
    I32, F32 = onnx.TensorProto.INT32, onnx.TensorProto.FLOAT
    ins, outs, opset = _io(os.path.join(out, "encoder.onnx"))
    assert opset >= 17
    assert list(ins) == ["codes", "actions", "gaps", "mask"]
    assert ins["codes"][0] == I32 and ins["codes"][1][1:] == [T, 4]
    for n in ("actions", "gaps", "mask"):
        assert ins[n][0] == I32 and ins[n][1][1:] == [T]
    assert list(outs) == ["state", "states", "action_logits", "copy_logits", "gate_logits"]
    assert all(o[0] == F32 for o in outs.values())
    ins, outs, _ = _io(os.path.join(out, "head.onnx"))
    assert list(ins) == ["state", "action", "prefix"]
    assert ins["state"][0] == F32 and ins["action"][0] == I32 and ins["prefix"][0] == I32
    assert list(outs) == ["logits1", "logits2", "logits3", "logits4"]

    # run with a batch size the export never saw
    rng = np.random.RandomState(0)
    B = 5
    mask = np.zeros((B, T), np.int32)
    for b in range(B):
        mask[b, T - (b * 20 + 1):] = 1
    codes = np.stack([rng.randint(0, V[k], (B, T)) for k in range(4)], -1).astype(np.int32) * mask[..., None]
    feeds = {"codes": codes, "actions": (rng.randint(0, 4, (B, T)) * mask).astype(np.int32),
             "gaps": (rng.randint(0, 10, (B, T)) * mask).astype(np.int32), "mask": mask}
    enc = ort.InferenceSession(os.path.join(out, "encoder.onnx"), providers=["CPUExecutionProvider"])
    state, states, al, cl, gl = enc.run(None, feeds)
    assert state.shape == (B, D) and states.shape == (B, T, D)
    assert al.shape == (B, 4) and cl.shape == (B, T) and gl.shape == (B, 4)
    assert np.all(cl[mask == 0] <= -1e8) and np.all(np.isfinite(cl[mask == 1])) and np.all(np.abs(cl[mask == 1]) < 1e6)
    assert np.allclose(state, states[:, -1])

    head = ort.InferenceSession(os.path.join(out, "head.onnx"), providers=["CPUExecutionProvider"])
    N = 7
    hs = rng.randn(N, D).astype(np.float32)
    act = rng.randint(0, 4, N).astype(np.int32)
    prefix = np.stack([rng.randint(0, V[k], N) for k in range(3)], -1).astype(np.int32)
    logits = head.run(None, {"state": hs, "action": act, "prefix": prefix})
    assert [l.shape for l in logits] == [(N, V[0]), (N, V[1]), (N, V[2]), (N, V[3])]
    # logits_k depends only on prefix[:, :k-1]: levels not yet chosen do not matter
    for k in range(4):
        p2 = prefix.copy()
        p2[:, k:] = (prefix[:, k:] + 1) % np.array(V[k:3], dtype=np.int32)
        l2 = head.run(None, {"state": hs, "action": act, "prefix": p2})
        assert np.array_equal(l2[k], logits[k]), k


def test_training_is_reproducible(trained, tmp_path):
    out, _, _ = trained
    data = os.path.join(os.path.dirname(out), "prepared")
    out2 = str(tmp_path / "again")
    run(parse_args(["--dataset", data, "--out", out2, "--epochs", "1", "--seed", "7", "--vocab", "4", "4", "4",
                    "--d-model", "32", "--ff", "64", "--head-hidden", "32", "--batch-size", "8"]))
    for f in ("sids.tsv", "parity.json"):
        with open(os.path.join(out, f), "rb") as a, open(os.path.join(out2, f), "rb") as b:
            assert a.read() == b.read(), f


def test_onnx_matches_torch(trained):
    out, meta, model = trained
    assert check_parity(out) < 1e-4
    # and on fresh inputs, against the returned (best) model in eager mode
    rng = np.random.RandomState(1)
    T, D, V = meta["maxLen"], meta["dModel"], meta["vocab"]
    B = 2
    mask = np.zeros((B, T), np.int32)
    mask[0, -7:] = 1
    mask[1, :] = 1
    enc_in = {"codes": np.stack([rng.randint(0, V[k], (B, T)) for k in range(4)], -1).astype(np.int32)
              * mask[..., None], "actions": (rng.randint(0, 4, (B, T)) * mask).astype(np.int32),
              "gaps": (rng.randint(0, 10, (B, T)) * mask).astype(np.int32), "mask": mask}
    head_in = {"state": rng.randn(4, D).astype(np.float32), "action": np.array([3, 0, 1, 2], np.int32),
               "prefix": (np.array([[0, 0, 0], [1, 0, 0], [1, 2, 0], [3, 3, 3]]) % np.array(V[:3])).astype(np.int32)}
    te, th = torch_reference(model, enc_in, head_in)
    enc = ort.InferenceSession(os.path.join(out, "encoder.onnx"), providers=["CPUExecutionProvider"])
    head = ort.InferenceSession(os.path.join(out, "head.onnx"), providers=["CPUExecutionProvider"])
    for name, o in zip(["state", "states", "action_logits", "copy_logits", "gate_logits"], enc.run(None, enc_in)):
        assert np.max(np.abs(o - te[name])) < 1e-4, name
    for name, o in zip(["logits1", "logits2", "logits3", "logits4"], head.run(None, head_in)):
        assert np.max(np.abs(o - th[name])) < 1e-4, name
    with open(os.path.join(out, "parity.json")) as f:
        doc = json.load(f)
    assert doc["encoder"]["inputs"]["codes"]["dims"] == [3, T, 4]
    assert doc["head"]["inputs"]["prefix"]["dims"][1] == 3


def test_checkpoint_reloads(trained):
    from training.rolegen_train.model import Backbone

    out, _, model = trained
    ck = torch.load(os.path.join(out, "model.pt"), map_location="cpu", weights_only=True)
    m2 = Backbone(**ck["config"])
    m2.load_state_dict(ck["state_dict"])
    for (n, a), b in zip(model.state_dict().items(), m2.state_dict().values()):
        assert torch.equal(a, b), n


def test_full_scoring_matches_teacher_forcing(trained):
    out, meta, model = trained
    with open(os.path.join(out, "sids.tsv")) as f:
        codes = np.array([[int(x) for x in l.split("\t")[1:]] for l in f.read().split("\n")[1:] if l])
    trie = Trie(codes, meta["vocab"])
    state = torch.randn(3, meta["dModel"])
    with torch.no_grad():
        full = all_items_log_prob(model.sid_head, state, BUY, trie)  # [3, n_items]
        # trie-restricted softmax at every level: a distribution over the real items
        assert torch.allclose(full.exp().sum(1), torch.ones(3), atol=1e-4)
        items = torch.arange(len(codes))
        for r in range(3):
            tf = sid_log_prob(model.sid_head, state[r].expand(len(codes), -1),
                              torch.full((len(codes),), BUY), items, trie)
            assert torch.allclose(tf, full[r], atol=1e-4)
