/**
 * Parity: onnxruntime-node and onnxruntime-web (WASM, here in Node) reproduce the PyTorch outputs written at export
 * within the stated tolerance, and the TypeScript sequence encoding reproduces training's encoder inputs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/data/snapshotIo';
import { encodeSequences } from '../../src/engines/backbone/encoding';
import { parseBackboneMeta } from '../../src/engines/backbone/modelMeta';
import { parseSidTable } from '../../src/engines/backbone/sidTable';
import { evalCases } from '../../src/engines/eval/cases';
import { loadNodeBackbone } from '../../src/cli/nodeBackbone';

interface Tensor {
  dims: number[];
  type: 'int32' | 'float32';
  data: number[];
}
interface Parity {
  tolerance: number;
  users: string[];
  /** Models trained with candidates: each parity user's candidate items, best first. */
  candidateItems?: string[][];
  encoder: { inputs: Record<string, Tensor>; outputs: Record<string, Tensor> };
  head: { inputs: Record<string, Tensor>; outputs: Record<string, Tensor> };
}

const MODELS = 'models';
const modelDirs = existsSync(MODELS) ? readdirSync(MODELS).filter((d) => existsSync(join(MODELS, d, 'parity.json'))) : [];

type Ort = typeof ortNode | typeof ortWeb;

function feeds(ort: Ort, inputs: Record<string, Tensor>) {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, t]) => [
      name,
      new ort.Tensor(t.type, t.type === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data), t.dims),
    ]),
  );
}

async function maxDifference(ort: Ort, modelPath: string, graph: Parity['encoder']): Promise<number> {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(modelPath)), { executionProviders: [ort === ortNode ? 'cpu' : 'wasm'] });
  const outputs = await session.run(feeds(ort, graph.inputs) as never);
  let worst = 0;
  for (const [name, expected] of Object.entries(graph.outputs)) {
    const actual = outputs[name];
    expect(actual?.dims, `${name} dims`).toEqual(expected.dims);
    const data = actual!.data as Float32Array;
    expected.data.forEach((value, i) => (worst = Math.max(worst, Math.abs(data[i]! - value))));
  }
  await session.release();
  return worst;
}

describe('model parity', () => {
  it('has exported models to check', () => {
    expect(modelDirs).toContain('cikm2019');
  });

  ortWeb.env.wasm.numThreads = 1;
  for (const dir of modelDirs) {
    const parity = JSON.parse(readFileSync(join(MODELS, dir, 'parity.json'), 'utf8')) as Parity;
    for (const [runtime, ort] of [['onnxruntime-node', ortNode], ['onnxruntime-web (wasm)', ortWeb]] as const) {
      it(`${dir}: ${runtime} reproduces PyTorch within ${parity.tolerance}`, async () => {
        expect(await maxDifference(ort, join(MODELS, dir, 'encoder.onnx'), parity.encoder)).toBeLessThan(parity.tolerance);
        expect(await maxDifference(ort, join(MODELS, dir, 'head.onnx'), parity.head)).toBeLessThan(parity.tolerance);
      });
    }
  }

  it.skipIf(!modelDirs.includes('cikm2019'))('cikm2019: TypeScript encodes the parity users exactly as training did', async () => {
    const dir = join(MODELS, 'cikm2019');
    const meta = parseBackboneMeta(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')), 'meta.json');
    const sids = parseSidTable(readFileSync(join(dir, meta.files.sids), 'utf8'), 'sids.tsv', meta.vocab);
    const parity = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as Parity;
    const snapshot = await readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
    const cases = new Map(evalCases(snapshot.users).map((c) => [c.user, c]));
    const encoded = encodeSequences(parity.users.map((u) => cases.get(u)!.input), meta, sids);
    expect(Array.from(encoded.codes)).toEqual(parity.encoder.inputs.codes!.data);
    expect(Array.from(encoded.actions)).toEqual(parity.encoder.inputs.actions!.data);
    expect(Array.from(encoded.gaps)).toEqual(parity.encoder.inputs.gaps!.data);
    expect(Array.from(encoded.mask)).toEqual(parity.encoder.inputs.mask!.data);
  });

  // Integration (a): the TypeScript encoding of the parity users' test inputs AND their candidates, run through the
  // product runtime (ortBackboneRuntime on onnxruntime-node), reproduces PyTorch.
  it.skipIf(!modelDirs.includes('cikm2019-cand'))('cikm2019-cand: TypeScript encodes candidates as training did, and the runtime reproduces PyTorch', async () => {
    const model = await loadNodeBackbone(join(MODELS, 'cikm2019-cand'), 1);
    const parity = JSON.parse(readFileSync(join(MODELS, 'cikm2019-cand', 'parity.json'), 'utf8')) as Parity;
    expect(model.meta.candidateSlots).toBeGreaterThan(0);
    expect(parity.candidateItems).toHaveLength(parity.users.length);
    expect(parity.candidateItems!.some((items) => items.length > 0) && parity.candidateItems!.some((items) => items.length === 0)).toBe(true);
    const snapshot = await readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
    const cases = new Map(evalCases(snapshot.users).map((c) => [c.user, c]));
    const encoded = encodeSequences(parity.users.map((u) => cases.get(u)!.input), model.meta, model.sids, parity.candidateItems);
    const inputs = parity.encoder.inputs;
    expect(Array.from(encoded.codes)).toEqual(inputs.codes!.data);
    expect(Array.from(encoded.mask)).toEqual(inputs.mask!.data);
    expect(Array.from(encoded.gaps)).toEqual(inputs.gaps!.data);
    expect(Array.from(encoded.candidates)).toEqual(inputs.candidates!.data);
    expect(Array.from(encoded.candidateMask)).toEqual(inputs.candidate_mask!.data);

    const out = await model.runtime.encode(encoded);
    const worst = (actual: Float32Array, expected: Tensor) => expected.data.reduce((w, v, i) => Math.max(w, Math.abs(actual[i]! - v)), 0);
    const outputs = parity.encoder.outputs;
    expect(worst(out.state, outputs.state!)).toBeLessThan(parity.tolerance);
    expect(worst(out.states, outputs.states!)).toBeLessThan(parity.tolerance);
    expect(worst(out.actionLogits, outputs.action_logits!)).toBeLessThan(parity.tolerance);
    expect(worst(out.copyLogits, outputs.copy_logits!)).toBeLessThan(parity.tolerance);
    expect(worst(out.gateLogits, outputs.gate_logits!)).toBeLessThan(parity.tolerance);
    // the candidates matter: without them the conditioned rows' states move, the row without candidates does not
    const bare = await model.runtime.encode(encodeSequences(parity.users.map((u) => cases.get(u)!.input), model.meta, model.sids));
    const d = model.meta.dModel;
    const rowDiff = (row: number) => worst(bare.state.subarray(row * d, (row + 1) * d), { ...outputs.state!, data: outputs.state!.data.slice(row * d, (row + 1) * d) });
    parity.candidateItems!.forEach((items, row) => (items.length > 0 ? expect(rowDiff(row)).toBeGreaterThan(parity.tolerance) : expect(rowDiff(row)).toBeLessThan(parity.tolerance)));
    await model.runtime.dispose();
  });
});
