/// <reference lib="webworker" />
/**
 * Benchmark harness (npm run bench drives it in headless Chromium): the product's engine code on onnxruntime-web,
 * timing the encoder alone and the full top-K recommendation over the same users as the Node run.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { readSnapshot } from '../data/snapshotIo';
import { parseBackboneMeta } from '../engines/backbone/modelMeta';
import { ortBackboneRuntime, type OrtModule, type OrtSession } from '../engines/backbone/ortRuntime';
import { parseSidTable } from '../engines/backbone/sidTable';
import { evalCases } from '../engines/eval/cases';
import { measureBackbone, type BenchFigures } from '../engines/backbone/benchmark';

declare const self: DedicatedWorkerGlobalScope;

export interface BenchRequest {
  readonly modelUrl: string;
  readonly snapshotUrl: string;
  readonly provider: 'wasm' | 'webgpu';
  readonly threads: number;
  readonly users: number;
}

export type BenchResponse = { readonly ok: true; readonly figures: BenchFigures; readonly threads: number } | { readonly ok: false; readonly message: string };

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: ${response.status}`);
  return response;
}

async function run(request: BenchRequest): Promise<BenchResponse> {
  const base = request.modelUrl.endsWith('/') ? request.modelUrl : `${request.modelUrl}/`;
  const meta = parseBackboneMeta(await (await fetchOk(`${base}meta.json`)).json(), `${base}meta.json`);
  const sids = parseSidTable(await (await fetchOk(`${base}${meta.files.sids}`)).text(), meta.files.sids, meta.vocab);
  const snapshot = await readSnapshot((await fetchOk(request.snapshotUrl)).body!, { source: request.snapshotUrl });
  ort.env.wasm.numThreads = request.threads;
  const options = { executionProviders: [request.provider] };
  // One at a time: the WebGPU EP refuses to create two sessions concurrently.
  const encoder = await ort.InferenceSession.create(new Uint8Array(await (await fetchOk(`${base}${meta.files.encoder}`)).arrayBuffer()), options);
  const head = await ort.InferenceSession.create(new Uint8Array(await (await fetchOk(`${base}${meta.files.head}`)).arrayBuffer()), options);
  const runtime = ortBackboneRuntime(ort as unknown as OrtModule, { encoder: encoder as unknown as OrtSession, head: head as unknown as OrtSession, provider: request.provider }, meta.dModel);
  const cases = evalCases(snapshot.users).slice(0, request.users);
  const figures = await measureBackbone({ meta, sids, runtime }, cases.map((c) => c.input));
  await runtime.dispose();
  return { ok: true, figures, threads: request.threads };
}

self.addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    (response) => self.postMessage(response),
    (error: unknown) => self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies BenchResponse),
  );
});
