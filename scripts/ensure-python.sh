#!/usr/bin/env bash
# The training tests need PyTorch and friends (training/requirements.txt); installs them when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
if python3 -c 'import torch, numpy, onnx, onnxruntime, pytest' 2>/dev/null; then exit 0; fi
echo "Installing the training requirements (training/requirements.txt)…" >&2
python3 -m pip install --quiet --disable-pip-version-check -r training/requirements.txt
