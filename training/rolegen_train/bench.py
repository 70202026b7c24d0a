"""PyTorch eager throughput of the encoder, on the exact int32 batches the TypeScript bench encoded.

Called by `npm run bench`; prints one JSON line: {"threads": n, "users": u, "encoderUsersPerSecond": x}.
Needs model.pt (config + state_dict) beside the ONNX files, written by training at export.
"""
import argparse
import json
import time

import torch

from .model import Backbone, EncoderExport


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="model folder with model.pt")
    parser.add_argument("--inputs", required=True, help="JSON: list of batches {batch, length, codes, actions, gaps, mask}")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    checkpoint = torch.load(f"{args.model}/model.pt", map_location="cpu", weights_only=True)
    model = Backbone(**checkpoint["config"])
    model.load_state_dict(checkpoint["state_dict"])
    encoder = EncoderExport(model.eval())
    batches = []
    for b in json.load(open(args.inputs)):
        dims = (b["batch"], b["length"])
        batches.append((
            torch.tensor(b["codes"], dtype=torch.int32).reshape(*dims, 4),
            torch.tensor(b["actions"], dtype=torch.int32).reshape(dims),
            torch.tensor(b["gaps"], dtype=torch.int32).reshape(dims),
            torch.tensor(b["mask"], dtype=torch.int32).reshape(dims),
        ))
    users = sum(b[1].shape[0] for b in batches)
    with torch.inference_mode():
        encoder(*batches[0])  # warm-up, as in the TypeScript runs
        started = time.perf_counter()
        for batch in batches:
            encoder(*batch)
        seconds = time.perf_counter() - started
    print(json.dumps({"threads": args.threads, "users": users, "encoderUsersPerSecond": users / seconds}))


if __name__ == "__main__":
    main()
