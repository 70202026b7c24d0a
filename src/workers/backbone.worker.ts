/// <reference lib="webworker" />
/**
 * Hosts the backbone in onnxruntime-web (WebGPU when an adapter exists and was chosen, else WASM) and runs the
 * same engine code as Node: recommendations for one user, or the whole evaluation with progress.
 */
import type { BackboneModel } from '../engines/backbone/backboneRecommender';
import { encodeSequences } from '../engines/backbone/encoding';
import { recommendBatch } from '../engines/backbone/recommend';
import { evalCases } from '../engines/eval/cases';
import { runProtocol } from '../engines/eval/protocol';
import { complementIntents } from '../engines/reasoner/complements';
import { reasonUser } from '../engines/reasoner/counterfactualReasoner';
import type { BackboneRequest, BackboneResponse, ModelSummary, ProviderChoice } from './backboneProtocol';
import { loadBrowserBackbone, webgpuAvailable } from './browserBackbone';

/**
 * A live run on a slow provider (WASM on 2 cores, a long history) stops simulating further counterfactual paths after
 * this; the provenance says how many of the planned paths ran.
 */
const LIVE_REASONING_BUDGET_MS = 15_000;

declare const self: DedicatedWorkerGlobalScope;

let model: BackboneModel | null = null;
const inFlight = new Map<number, AbortController>();

function post(message: BackboneResponse): void {
  self.postMessage(message);
}

async function loadModel(requestId: number, baseUrl: string, choice: ProviderChoice, signal: AbortSignal): Promise<ModelSummary> {
  const gpu = await webgpuAvailable();
  if (choice === 'webgpu' && !gpu) throw new Error('WebGPU was chosen but this browser exposes no WebGPU adapter');
  const provider: ModelSummary['provider'] = choice === 'webgpu' || (choice === 'auto' && gpu) ? 'webgpu' : 'wasm';
  // Threads need cross-origin isolation; without it ORT would silently fall back to one.
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, self.navigator.hardwareConcurrency || 1)) : 1;
  const loaded = await loadBrowserBackbone(baseUrl, {
    provider,
    threads,
    signal,
    onProgress: (stage, done, total) => post({ kind: 'progress', requestId, stage, done, total }),
  });
  await model?.runtime.dispose();
  model = loaded;
  return { dataset: loaded.meta.dataset, provider, threads, maxLen: loaded.meta.maxLen, vocab: loaded.meta.vocab, items: loaded.sids.items.length };
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
      const { reasoning } = await reasonUser(model, request.user, request.events, {
        complements,
        signal: controller.signal,
        timeBudgetMs: LIVE_REASONING_BUDGET_MS,
      });
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
