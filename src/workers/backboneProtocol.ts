/** Messages between the main thread and the backbone worker: one kind per intent, with progress, failure, cancel. */
import type { ComparisonRecord, Metric, Reasoning, SnapshotEvent, SnapshotUser } from '../domain/snapshot';
import type { ScoredItem } from '../engines/backbone/recommend';

export const PROVIDER_CHOICES = ['auto', 'webgpu', 'wasm'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];

export interface ModelSummary {
  readonly dataset: string;
  /** The execution provider actually in use. */
  readonly provider: 'webgpu' | 'wasm';
  readonly threads: number;
  readonly maxLen: number;
  readonly vocab: readonly number[];
  readonly items: number;
}

export type BackboneRequest =
  | { readonly kind: 'load-model'; readonly requestId: number; readonly baseUrl: string; readonly provider: ProviderChoice }
  | { readonly kind: 'recommend'; readonly requestId: number; readonly events: readonly SnapshotEvent[]; readonly topN: number }
  | {
      readonly kind: 'evaluate';
      readonly requestId: number;
      readonly users: readonly SnapshotUser[];
      readonly ks: readonly number[];
      readonly catalogueSize: number;
    }
  | {
      readonly kind: 'reason';
      readonly requestId: number;
      readonly user: string;
      readonly events: readonly SnapshotEvent[];
      /** Every user of the snapshot: co-purchase statistics (complement clusters) come from their inputs. */
      readonly users: readonly SnapshotUser[];
    }
  | { readonly kind: 'cancel'; readonly requestId: number };

export interface EvaluationSummary {
  readonly users: number;
  readonly seconds: number;
  readonly metrics: readonly Metric[];
  readonly comparisons: readonly ComparisonRecord[];
}

export type BackboneResponse =
  | { readonly kind: 'progress'; readonly requestId: number; readonly stage: string; readonly done: number; readonly total: number }
  | { readonly kind: 'model-loaded'; readonly requestId: number; readonly model: ModelSummary }
  | { readonly kind: 'recommended'; readonly requestId: number; readonly items: readonly ScoredItem[]; readonly actionProbs: readonly number[]; readonly copyGate: number }
  | { readonly kind: 'evaluated'; readonly requestId: number; readonly summary: EvaluationSummary }
  | { readonly kind: 'reasoned'; readonly requestId: number; readonly reasoning: Reasoning }
  | { readonly kind: 'failed'; readonly requestId: number; readonly message: string };
