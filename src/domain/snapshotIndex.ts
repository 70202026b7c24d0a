/** Lookups built once per loaded snapshot, shared by every view; for a Parquet snapshot, of the users read so far. */
import type { PredictionSet, Reasoning, Snapshot, SnapshotItem, SnapshotUser } from './snapshot';
import type { UserRecord } from './snapshotMeta';

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

/** No users yet: what a Parquet snapshot starts from. */
export function indexItems(items: readonly SnapshotItem[]): SnapshotIndex {
  return { itemsById: new Map(items.map((item) => [item.id, item])), usersById: new Map(), reasoningByUser: new Map(), predictionsByModel: new Map() };
}

/** A new index with one more user's record; the maps that do not change are shared. */
export function withUserRecord(index: SnapshotIndex, record: UserRecord): SnapshotIndex {
  const id = record.user.id;
  const predictionsByModel = new Map(index.predictionsByModel);
  for (const { model, list } of record.predictions) predictionsByModel.set(model, new Map(predictionsByModel.get(model)).set(id, list));
  return {
    itemsById: index.itemsById,
    usersById: new Map(index.usersById).set(id, record.user),
    reasoningByUser: record.reasoning ? new Map(index.reasoningByUser).set(id, record.reasoning) : index.reasoningByUser,
    predictionsByModel,
  };
}

export function withReasoning(index: SnapshotIndex, reasoning: Reasoning): SnapshotIndex {
  return { ...index, reasoningByUser: new Map(index.reasoningByUser).set(reasoning.user, reasoning) };
}
