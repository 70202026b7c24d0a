/**
 * What the views need of any snapshot besides its per-user data, the same for JSON and Parquet snapshots.
 * Type-only imports: the main thread uses this, and must not pull in the zod schemas (they stay in the worker).
 */
import type { PredictionSet, Reasoning, Snapshot, SnapshotUser } from './snapshot';
import type { Manifest } from './snapshotManifest';

export type SnapshotMeta = Omit<Snapshot, 'users' | 'items' | 'predictions' | 'reasoning'> & {
  readonly predictionModels: Manifest['predictionModels'];
  readonly counts: Manifest['counts'];
};

export function snapshotMeta(snapshot: Snapshot): SnapshotMeta {
  const { users, items, predictions, reasoning, ...rest } = snapshot;
  return {
    ...rest,
    predictionModels: (predictions ?? []).map(({ model, description }) => (description === undefined ? { model } : { model, description })),
    counts: { users: users.length, items: items.length, events: users.reduce((n, u) => n + u.events.length, 0) },
  };
}

/** One user's share of the per-user tables. */
export interface UserRecord {
  readonly user: SnapshotUser;
  readonly reasoning?: Reasoning;
  /** One list per model that has one for this user. */
  readonly predictions: readonly { readonly model: string; readonly list: PredictionSet['lists'][number] }[];
}

