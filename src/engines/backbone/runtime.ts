/**
 * The model runtime behind an interface: onnxruntime-web in a browser worker, onnxruntime-node in Node,
 * the same engine code on top. Engines never import a runtime package; callers inject one.
 */
import type { EncodedBatch } from './encoding';

export interface EncoderOutput {
  readonly batch: number;
  readonly length: number;
  readonly dModel: number;
  /** [batch, dModel]: the state after the most recent event. */
  readonly state: Float32Array;
  /** [batch, length, dModel] */
  readonly states: Float32Array;
  /** [batch, 4] */
  readonly actionLogits: Float32Array;
  /** [batch, length]: pointer scores over history positions (padding very negative). */
  readonly copyLogits: Float32Array;
  /** [batch, 4]: logit of the copy gate for each next action. */
  readonly gateLogits: Float32Array;
}

export interface HeadInput {
  readonly rows: number;
  /** [rows, dModel] */
  readonly state: Float32Array;
  /** [rows] */
  readonly action: Int32Array;
  /** [rows, 3]: codes of levels 1..3 chosen so far (0 where not chosen yet). */
  readonly prefix: Int32Array;
}

export interface HeadOutput {
  /** logits[level] is [rows, vocab[level]]. */
  readonly logits: readonly [Float32Array, Float32Array, Float32Array, Float32Array];
}

export interface BackboneRuntime {
  /** The execution provider actually in use, e.g. 'webgpu', 'wasm', 'cpu'. */
  readonly provider: string;
  encode(batch: EncodedBatch): Promise<EncoderOutput>;
  head(input: HeadInput): Promise<HeadOutput>;
  dispose(): Promise<void>;
}
