/**
 * The backbone runtime as the views see it: model status and provider, the selected user's recommendations,
 * and an evaluation run. Results of superseded requests (an older user, a cancelled run) are dropped.
 */
import { create } from 'zustand';
import type { SnapshotEvent, SnapshotUser } from '../domain/snapshot';
import type { ScoredItem } from '../engines/backbone/recommend';
import type { EvaluationSummary, ModelSummary, ProviderChoice } from '../workers/backboneProtocol';
import { BackboneClient } from '../workers/backboneClient';
import { useSnapshotStore } from './snapshotStore';

export interface Progress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

export type ModelStatus =
  | { readonly kind: 'none' }
  | { readonly kind: 'loading'; readonly url: string; readonly progress: Progress | null }
  | { readonly kind: 'ready'; readonly url: string; readonly model: ModelSummary }
  | { readonly kind: 'failed'; readonly url: string; readonly message: string };

export interface Recommendations {
  readonly userId: string;
  readonly items: readonly ScoredItem[];
  readonly actionProbs: readonly number[];
  readonly copyGate: number;
}

export type EvaluationStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly requestId: number; readonly progress: Progress | null }
  | { readonly kind: 'done'; readonly summary: EvaluationSummary }
  | { readonly kind: 'failed'; readonly message: string };

interface BackboneState {
  readonly provider: ProviderChoice;
  readonly status: ModelStatus;
  readonly recommendations: Recommendations | null;
  readonly recommendationError: string | null;
  readonly evaluation: EvaluationStatus;
  readonly reasoning: { readonly userId: string; readonly status: 'running' | 'failed'; readonly message?: string } | null;
  setProvider(provider: ProviderChoice): void;
  loadModel(url: string): Promise<void>;
  recommend(userId: string, events: readonly SnapshotEvent[], topN: number): Promise<void>;
  evaluate(users: readonly SnapshotUser[], ks: readonly number[], catalogueSize: number): Promise<void>;
  cancelEvaluation(): void;
  /** Runs the counterfactual reasoner on one user; the result joins the loaded snapshot's reasoning. */
  reason(userId: string, events: readonly SnapshotEvent[], users: readonly SnapshotUser[]): Promise<void>;
}

const client = new BackboneClient();
let latestRecommend = 0;
let latestLoad = 0;
let latestReason = 0;

/** `?provider=wasm|webgpu` pins the execution provider (e.g. to compare them); the default picks WebGPU when present. */
function initialProvider(): ProviderChoice {
  const value = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('provider');
  return value === 'webgpu' || value === 'wasm' ? value : 'auto';
}

export const useBackboneStore = create<BackboneState>()((set, get) => ({
  provider: initialProvider(),
  status: { kind: 'none' },
  recommendations: null,
  recommendationError: null,
  evaluation: { kind: 'idle' },
  reasoning: null,
  setProvider: (provider) => set({ provider }),
  async loadModel(url) {
    set({ status: { kind: 'loading', url, progress: null }, recommendations: null });
    const request = client.send({ kind: 'load-model', baseUrl: url, provider: get().provider }, (stage, done, total) => {
      const status = get().status;
      if (status.kind === 'loading' && latestLoad === request.requestId) set({ status: { ...status, progress: { stage, done, total } } });
    });
    latestLoad = request.requestId;
    const response = await request.done;
    if (latestLoad !== request.requestId) return;
    if (response.kind === 'model-loaded') set({ status: { kind: 'ready', url, model: response.model } });
    else if (response.kind === 'failed') set({ status: { kind: 'failed', url, message: response.message } });
  },
  async recommend(userId, events, topN) {
    const request = client.send({ kind: 'recommend', events, topN });
    latestRecommend = request.requestId;
    const response = await request.done;
    if (latestRecommend !== request.requestId) return;
    if (response.kind === 'recommended') {
      set({ recommendations: { userId, items: response.items, actionProbs: response.actionProbs, copyGate: response.copyGate }, recommendationError: null });
    } else if (response.kind === 'failed') set({ recommendations: null, recommendationError: response.message });
  },
  async evaluate(users, ks, catalogueSize) {
    const request = client.send({ kind: 'evaluate', users, ks, catalogueSize }, (stage, done, total) => {
      const evaluation = get().evaluation;
      if (evaluation.kind === 'running' && evaluation.requestId === request.requestId) {
        set({ evaluation: { ...evaluation, progress: { stage, done, total } } });
      }
    });
    set({ evaluation: { kind: 'running', requestId: request.requestId, progress: null } });
    const response = await request.done;
    const evaluation = get().evaluation;
    if (evaluation.kind !== 'running' || evaluation.requestId !== request.requestId) return;
    if (response.kind === 'evaluated') set({ evaluation: { kind: 'done', summary: response.summary } });
    else if (response.kind === 'failed') set({ evaluation: { kind: 'failed', message: response.message } });
  },
  async reason(userId, events, users) {
    const request = client.send({ kind: 'reason', user: userId, events, users });
    latestReason = request.requestId;
    set({ reasoning: { userId, status: 'running' } });
    const response = await request.done;
    if (latestReason !== request.requestId) return;
    if (response.kind === 'reasoned') {
      useSnapshotStore.getState().putReasoning(response.reasoning);
      set({ reasoning: null });
    } else if (response.kind === 'failed') set({ reasoning: { userId, status: 'failed', message: response.message } });
  },
  cancelEvaluation() {
    const evaluation = get().evaluation;
    if (evaluation.kind !== 'running') return;
    client.cancel(evaluation.requestId);
    set({ evaluation: { kind: 'failed', message: 'cancelled' } });
  },
}));
