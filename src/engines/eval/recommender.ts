/** A model under evaluation: ranked items for a batch of cases. Baselines and the backbone share this shape. */
import type { EvalCase } from './cases';

export interface RankedList {
  readonly items: readonly string[];
  readonly scores: readonly number[];
}

export interface Recommender {
  readonly name: string;
  readonly description: string;
  /** Ranked lists for the cases, in order; `onProgress` gets the number of cases done. */
  recommend(cases: readonly EvalCase[], listLength: number, onProgress?: (done: number) => void, signal?: AbortSignal): Promise<RankedList[]>;
}
