/// <reference lib="webworker" />
/**
 * Hosts the backbone in onnxruntime-web (WebGPU when an adapter exists and was chosen, else WASM) and runs the
 * same engine code as Node: recommendations for one user, or the whole evaluation with progress.
 */
import * as ort from 'onnxruntime-web/webgpu';
import type { BackboneModel } from '../engines/backbone/backboneRecommender';
import { encodeSequences } from '../engines/backbone/encoding';
import { parseBackboneMeta } from '../engines/backbone/modelMeta';
import { ortBackboneRuntime, type OrtModule, type OrtSession } from '../engines/backbone/ortRuntime';
import { recommendBatch } from '../engines/backbone/recommend';
import { parseSidTable } from '../engines/backbone/sidTable';
import { evalCases } from '../engines/eval/cases';
import { runProtocol } from '../engines/eval/protocol';
import { complementIntents } from '../engines/reasoner/complements';
import { reasonUser } from '../engines/reasoner/counterfactualReasoner';
import type { BackboneRequest, BackboneResponse, ModelSummary, ProviderChoice } from './backboneProtocol';

declare const self: DedicatedWorkerGlobalScope;

let model: BackboneModel | null = null;
const inFlight = new Map<number, AbortController>();

function post(message: BackboneResponse): void {
  self.postMessage(message);
}

async function fetchBytes(url: string, onBytes: (loaded: number, total: number) => void, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal });
  if (!response.ok || !response.body) throw new Error(`${url}: server answered ${response.status} ${response.statusText}`.trim());
  const total = Number(response.headers.get('Content-Length')) || 0;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onBytes(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function webgpuAvailable(): Promise<boolean> {
  const gpu = (self.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function loadModel(requestId: number, baseUrl: string, choice: ProviderChoice, signal: AbortSignal): Promise<ModelSummary> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const metaUrl = `${base}meta.json`;
  const metaResponse = await fetch(metaUrl, { signal });
  if (!metaResponse.ok) throw new Error(`${metaUrl}: server answered ${metaResponse.status}`);
  const meta = parseBackboneMeta(await metaResponse.json(), metaUrl);
  const sidsUrl = `${base}${meta.files.sids}`;
  const sidsResponse = await fetch(sidsUrl, { signal });
  if (!sidsResponse.ok) throw new Error(`${sidsUrl}: server answered ${sidsResponse.status}`);
  const sids = parseSidTable(await sidsResponse.text(), sidsUrl, meta.vocab);
  const [encoderBytes, headBytes] = [
    await fetchBytes(`${base}${meta.files.encoder}`, (done, total) => post({ kind: 'progress', requestId, stage: 'downloading encoder', done, total }), signal),
    await fetchBytes(`${base}${meta.files.head}`, (done, total) => post({ kind: 'progress', requestId, stage: 'downloading head', done, total }), signal),
  ];

  const wantGpu = choice === 'webgpu' || (choice === 'auto' && (await webgpuAvailable()));
  if (choice === 'webgpu' && !(await webgpuAvailable())) throw new Error('WebGPU was chosen but this browser exposes no WebGPU adapter');
  const provider: ModelSummary['provider'] = wantGpu ? 'webgpu' : 'wasm';
  // Threads need cross-origin isolation; without it ORT would silently fall back to one.
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, self.navigator.hardwareConcurrency || 1)) : 1;
  ort.env.wasm.numThreads = threads;
  post({ kind: 'progress', requestId, stage: `creating ${provider} sessions`, done: 0, total: 1 });
  const options = { executionProviders: [provider] };
  // One at a time: the WebGPU EP refuses to create two sessions concurrently.
  const encoder = await ort.InferenceSession.create(encoderBytes, options);
  const head = await ort.InferenceSession.create(headBytes, options);
  await model?.runtime.dispose();
  model = {
    meta,
    sids,
    runtime: ortBackboneRuntime(ort as unknown as OrtModule, { encoder: encoder as unknown as OrtSession, head: head as unknown as OrtSession, provider }, meta.dModel),
  };
  return { dataset: meta.dataset, provider, threads, maxLen: meta.maxLen, vocab: meta.vocab, items: sids.items.length };
}

async function handle(request: Exclude<BackboneRequest, { kind: 'cancel' }>): Promise<void> {
  const controller = new AbortController();
  inFlight.set(request.requestId, controller);
  const { requestId } = request;
  try {
    if (request.kind === 'load-model') {
      post({ kind: 'model-loaded', requestId, model: await loadModel(requestId, request.baseUrl, request.provider, controller.signal) });
      return;
    }
    if (!model) throw new Error('no model loaded');
    if (request.kind === 'recommend') {
      const encoded = encodeSequences([request.events], model.meta, model.sids);
      const [rec] = await recommendBatch(model.runtime, encoded, model.sids, { topN: request.topN, beamWidth: Math.max(50, request.topN), signal: controller.signal });
      post({ kind: 'recommended', requestId, items: rec!.items, actionProbs: rec!.actionProbs, copyGate: rec!.copyGate });
      return;
    }
    if (request.kind === 'reason') {
      post({ kind: 'progress', requestId, stage: 'reasoning: evidence, counterfactual rollouts', done: 0, total: 1 });
      const sidTable = model.sids;
      const complements = complementIntents(evalCases(request.users).map((c) => c.input), (item) => sidTable.sidOf.get(item)?.[0]);
      const { reasoning } = await reasonUser(model, request.user, request.events, { complements, signal: controller.signal });
      post({ kind: 'reasoned', requestId, reasoning });
      return;
    }
    const started = performance.now();
    const { result } = await runProtocol({
      users: request.users,
      catalogueSize: request.catalogueSize,
      ks: request.ks,
      backbone: model,
      signal: controller.signal,
      onProgress: (name, done, total) => post({ kind: 'progress', requestId, stage: name, done, total }),
    });
    post({
      kind: 'evaluated',
      requestId,
      summary: { users: result.cases.length, seconds: (performance.now() - started) / 1000, metrics: result.metrics, comparisons: result.comparisons },
    });
  } catch (error) {
    const cancelled = controller.signal.aborted;
    post({ kind: 'failed', requestId, message: cancelled ? 'cancelled' : error instanceof Error ? error.message : String(error) });
  } finally {
    inFlight.delete(requestId);
  }
}

self.addEventListener('message', (event: MessageEvent<BackboneRequest>) => {
  const request = event.data;
  if (request.kind === 'cancel') inFlight.get(request.requestId)?.abort();
  else void handle(request);
});
