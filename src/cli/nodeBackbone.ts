/** Loads an exported backbone (meta.json, sids.tsv, encoder.onnx, head.onnx) into onnxruntime-node. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { BackboneModel } from '../engines/backbone/backboneRecommender';
import { parseBackboneMeta } from '../engines/backbone/modelMeta';
import { ortBackboneRuntime, type OrtModule, type OrtSession } from '../engines/backbone/ortRuntime';
import { parseSidTable } from '../engines/backbone/sidTable';

export async function loadNodeBackbone(dir: string, threads = 2): Promise<BackboneModel> {
  const metaPath = join(dir, 'meta.json');
  const meta = parseBackboneMeta(JSON.parse(await readFile(metaPath, 'utf8')), metaPath);
  const sidsPath = join(dir, meta.files.sids);
  const sids = parseSidTable(await readFile(sidsPath, 'utf8'), sidsPath, meta.vocab);
  const options = { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 };
  const [encoder, head] = await Promise.all([
    ort.InferenceSession.create(join(dir, meta.files.encoder), options),
    ort.InferenceSession.create(join(dir, meta.files.head), options),
  ]);
  const runtime = ortBackboneRuntime(ort as unknown as OrtModule, {
    encoder: encoder as unknown as OrtSession,
    head: head as unknown as OrtSession,
    provider: 'cpu (onnxruntime-node)',
  }, meta.dModel);
  return { meta, sids, runtime };
}
