"""ONNX export of the two graphs (encoder.onnx, head.onnx), the parity reference (parity.json) and its check with
the Python onnxruntime package."""
from __future__ import annotations

import json
import os
import warnings

import numpy as np
import torch

from .model import Backbone, EncoderExport, HeadExport

ENCODER_INPUTS = ["codes", "actions", "gaps", "mask"]
CANDIDATE_INPUTS = ["candidates", "candidate_mask"]
ENCODER_OUTPUTS = ["state", "states", "action_logits", "copy_logits", "gate_logits"]
HEAD_INPUTS = ["state", "action", "prefix"]
HEAD_OUTPUTS = ["logits1", "logits2", "logits3", "logits4"]
DEFAULT_OPSET = 18


def encoder_inputs(model: Backbone) -> list[str]:
    """A model trained with candidates (integration (a)) takes them as two more inputs; others keep the four."""
    return ENCODER_INPUTS + CANDIDATE_INPUTS if model.cand_slots else list(ENCODER_INPUTS)


def _export(module, args, path, input_names, output_names, dynamic_axes, opset):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=opset, dynamo=False,
                          do_constant_folding=True)


def export_onnx(model: Backbone, out_dir: str, opset: int = DEFAULT_OPSET):
    model.eval()
    T, D = model.max_len, model.d_model
    enc = EncoderExport(model).eval()
    head = HeadExport(model).eval()
    B = 2
    codes = torch.zeros(B, T, 4, dtype=torch.int32)
    actions = torch.zeros(B, T, dtype=torch.int32)
    gaps = torch.zeros(B, T, dtype=torch.int32)
    mask = torch.zeros(B, T, dtype=torch.int32)
    mask[:, -3:] = 1
    enc_path = os.path.join(out_dir, "encoder.onnx")
    head_path = os.path.join(out_dir, "head.onnx")
    args = (codes, actions, gaps, mask)
    if model.cand_slots:
        cand_mask = torch.zeros(B, model.cand_slots, dtype=torch.int32)
        cand_mask[0, :2] = 1
        args = args + (torch.zeros(B, model.cand_slots, 4, dtype=torch.int32), cand_mask)
    names = encoder_inputs(model)
    _export(enc, args, enc_path, names, ENCODER_OUTPUTS,
            {**{n: {0: "B"} for n in names}, **{n: {0: "B"} for n in ENCODER_OUTPUTS}}, opset)
    _fix_dims(enc_path, {"states": ["B", T, D], "copy_logits": ["B", T], "state": ["B", D]})
    N = 3
    _export(head, (torch.zeros(N, D), torch.zeros(N, dtype=torch.int32), torch.zeros(N, 3, dtype=torch.int32)),
            head_path, HEAD_INPUTS, HEAD_OUTPUTS,
            {**{n: {0: "N"} for n in HEAD_INPUTS}, **{n: {0: "N"} for n in HEAD_OUTPUTS}}, opset)
    import onnx

    for p in (enc_path, head_path):
        onnx.checker.check_model(onnx.load(p), full_check=True)
    return enc_path, head_path


def _fix_dims(path, dims):
    """Writes the fixed sizes of outputs that tracing left symbolic (T is maxLen, D is dModel)."""
    import onnx

    m = onnx.load(path)
    for o in m.graph.output:
        if o.name in dims:
            for d, want in zip(o.type.tensor_type.shape.dim, dims[o.name]):
                if isinstance(want, int):
                    d.ClearField("dim_param")
                    d.dim_value = want
                else:
                    d.ClearField("dim_value")
                    d.dim_param = want
    onnx.save(m, path)


def _flat(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        data = [float(f"{x:.9g}") for x in a.astype(np.float32).ravel().tolist()]
    else:
        data = [int(x) for x in a.ravel().tolist()]
    return {"dims": list(a.shape), "type": "float32" if a.dtype.kind == "f" else "int32", "data": data}


@torch.no_grad()
def torch_reference(model: Backbone, enc_inputs: dict, head_inputs: dict):
    model.eval()
    enc = EncoderExport(model).eval()
    head = HeadExport(model).eval()
    eo = enc(*[torch.from_numpy(enc_inputs[n]) for n in encoder_inputs(model)])
    ho = head(*[torch.from_numpy(head_inputs[n]) for n in HEAD_INPUTS])
    return ({n: t.numpy() for n, t in zip(ENCODER_OUTPUTS, eo)}, {n: t.numpy() for n, t in zip(HEAD_OUTPUTS, ho)})


def write_parity(model: Backbone, out_dir: str, enc_inputs: dict, head_inputs: dict, users: list[str],
                 tolerance: float = 1e-4, candidate_items: list[list[str]] | None = None):
    """candidate_items (models with candidates): each user's candidate item ids, best first, so the TypeScript
    encoding of the same candidates can be checked against `candidates` / `candidate_mask`."""
    enc_out, head_out = torch_reference(model, enc_inputs, head_inputs)
    doc = {
        "schema": "rolegen.backbone.parity",
        "version": 1,
        "tolerance": tolerance,
        "users": users,
        "note": "PyTorch eager outputs for these exact inputs; flattened row-major arrays with their dims",
        **({"candidateItems": candidate_items} if candidate_items is not None else {}),
        "encoder": {"inputs": {n: _flat(enc_inputs[n]) for n in encoder_inputs(model)},
                    "outputs": {n: _flat(enc_out[n]) for n in ENCODER_OUTPUTS}},
        "head": {"inputs": {n: _flat(head_inputs[n]) for n in HEAD_INPUTS},
                 "outputs": {n: _flat(head_out[n]) for n in HEAD_OUTPUTS}},
    }
    path = os.path.join(out_dir, "parity.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    return path


def check_parity(out_dir: str) -> float:
    """Runs both ONNX graphs with onnxruntime on parity.json's inputs; returns the max abs diff over all outputs."""
    import onnxruntime as ort

    with open(os.path.join(out_dir, "parity.json")) as f:
        doc = json.load(f)
    worst = 0.0
    for graph, names in (("encoder", ENCODER_OUTPUTS), ("head", HEAD_OUTPUTS)):
        sess = ort.InferenceSession(os.path.join(out_dir, f"{graph}.onnx"), providers=["CPUExecutionProvider"])
        feeds = {}
        for n, v in doc[graph]["inputs"].items():
            dt = np.float32 if v["type"] == "float32" else np.int32
            feeds[n] = np.array(v["data"], dtype=dt).reshape(v["dims"])
        outs = sess.run(names, feeds)
        for n, o in zip(names, outs):
            ref = doc[graph]["outputs"][n]
            r = np.array(ref["data"], dtype=np.float32).reshape(ref["dims"])
            if list(o.shape) != ref["dims"]:
                raise AssertionError(f"{graph}.{n}: shape {list(o.shape)} != {ref['dims']}")
            worst = max(worst, float(np.max(np.abs(o.astype(np.float32) - r))) if r.size else 0.0)
    return worst
