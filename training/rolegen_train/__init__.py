"""Generative Behavioral Backbone: semantic IDs, causal transformer, ONNX export."""
