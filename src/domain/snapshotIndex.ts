/** Lookups built once per loaded snapshot, shared by every view. */
import type { PredictionSet, Reasoning, Snapshot, SnapshotItem, SnapshotUser } from './snapshot';

export interface SnapshotIndex {
  readonly itemsById: ReadonlyMap<string, SnapshotItem>;
  readonly usersById: ReadonlyMap<string, SnapshotUser>;
  readonly reasoningByUser: ReadonlyMap<string, Reasoning>;
  /** model -> user -> ranked list */
  readonly predictionsByModel: ReadonlyMap<string, ReadonlyMap<string, PredictionSet['lists'][number]>>;
}

export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  return {
    itemsById: new Map(snapshot.items.map((item) => [item.id, item])),
    usersById: new Map(snapshot.users.map((user) => [user.id, user])),
    reasoningByUser: new Map((snapshot.reasoning ?? []).map((r) => [r.user, r])),
    predictionsByModel: new Map(
      (snapshot.predictions ?? []).map((set) => [set.model, new Map(set.lists.map((list) => [list.user, list]))]),
    ),
  };
}
