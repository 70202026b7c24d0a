/**
 * BackboneRuntime over onnxruntime. onnxruntime-web and onnxruntime-node share this API, so the module is passed
 * in: the browser worker gives `onnxruntime-web/webgpu`, Node gives `onnxruntime-node`.
 */
import type { EncodedBatch } from './encoding';
import type { BackboneRuntime, EncoderOutput, HeadInput, HeadOutput } from './runtime';
import { SID_LEVELS } from './sidTable';

/** The slice of the onnxruntime API this runtime uses. */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OrtModule {
  readonly Tensor: new (type: 'int32' | 'float32', data: Int32Array | Float32Array, dims: readonly number[]) => OrtTensor;
}

export interface OrtSessions {
  readonly encoder: OrtSession;
  readonly head: OrtSession;
  readonly provider: string;
}

export function ortBackboneRuntime(ort: OrtModule, sessions: OrtSessions, dModel: number): BackboneRuntime {
  const int32 = (data: Int32Array, dims: readonly number[]) => new ort.Tensor('int32', data, dims);
  return {
    provider: sessions.provider,
    async encode(batch: EncodedBatch): Promise<EncoderOutput> {
      const dims = [batch.batch, batch.length];
      const out = await sessions.encoder.run({
        codes: int32(batch.codes, [...dims, SID_LEVELS]),
        actions: int32(batch.actions, dims),
        gaps: int32(batch.gaps, dims),
        mask: int32(batch.mask, dims),
        // Only a model trained with candidates has these inputs; ORT rejects feeds a graph does not declare.
        ...(batch.candidateSlots > 0
          ? {
              candidates: int32(batch.candidates, [batch.batch, batch.candidateSlots, SID_LEVELS]),
              candidate_mask: int32(batch.candidateMask, [batch.batch, batch.candidateSlots]),
            }
          : {}),
      });
      return {
        batch: batch.batch,
        length: batch.length,
        dModel,
        state: float32(out, 'state'),
        states: float32(out, 'states'),
        actionLogits: float32(out, 'action_logits'),
        copyLogits: float32(out, 'copy_logits'),
        gateLogits: float32(out, 'gate_logits'),
      };
    },
    async head(input: HeadInput): Promise<HeadOutput> {
      const out = await sessions.head.run({
        state: new ort.Tensor('float32', input.state, [input.rows, dModel]),
        action: int32(input.action, [input.rows]),
        prefix: int32(input.prefix, [input.rows, 3]),
      });
      return { logits: [float32(out, 'logits1'), float32(out, 'logits2'), float32(out, 'logits3'), float32(out, 'logits4')] };
    },
    async dispose() {
      await Promise.all([sessions.encoder.release(), sessions.head.release()]);
    },
  };
}

function float32(outputs: Record<string, OrtTensor>, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor || !(tensor.data instanceof Float32Array)) throw new Error(`model output "${name}" is missing or not float32`);
  return tensor.data;
}
