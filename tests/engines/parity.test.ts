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

interface Tensor {
  dims: number[];
  type: 'int32' | 'float32';
  data: number[];
}
interface Parity {
  tolerance: number;
  users: string[];
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
});
