/**
 * The loaded snapshot and the progress or failure of the load in flight.
 * A failed load never replaces what is loaded: `loaded` changes only on success.
 */
import { create } from 'zustand';
import { cohortRow, type CohortOrder, type CohortRow } from '../domain/cohort';
import type { Reasoning, Snapshot, SnapshotItem } from '../domain/snapshot';
import { indexItems, indexSnapshot, withReasoning, withUserRecord, type SnapshotIndex } from '../domain/snapshotIndex';
import { snapshotMeta, type SnapshotMeta, type UserRecord } from '../domain/snapshotMeta';

export interface LoadedSnapshot {
  readonly meta: SnapshotMeta;
  /** JSON: every user. Parquet: the items, and the users read so far. */
  readonly index: SnapshotIndex;
  readonly rows: readonly CohortRow[];
  /** The cohort order `rows` are in, when the loader sorted them (Parquet); null: the snapshot's order. */
  readonly rowsOrder: CohortOrder | null;
  /** File name or URL it came from. */
  readonly source: string;
  readonly format: 'json' | 'parquet';
  /** The whole snapshot, which recomputing (evaluation, the reasoner's statistics) needs; null for Parquet. */
  readonly full: Snapshot | null;
  /** Names this load in user reads, so a read of an older snapshot can be told apart and dropped. */
  readonly snapshotId: number;
  /** Parquet users being read, or whose read failed (with the message). */
  readonly userReads: ReadonlyMap<string, UserRead>;
}

export type UserRead = { readonly status: 'reading' } | { readonly status: 'failed'; readonly message: string };

export type LoadPhase = 'reading' | 'decompressing' | 'parsing' | 'validating' | 'opening tables';

export interface LoadProgress {
  readonly source: string;
  readonly phase: LoadPhase;
  /** 0..1 where known. */
  readonly fraction: number | null;
}

export interface LoadFailure {
  readonly source: string;
  readonly message: string;
  /** Field path at fault, e.g. users[3].events[0].action, when the failure is a schema violation. */
  readonly path?: string;
  readonly value?: string;
}

export type LoadedData =
  | { readonly format: 'json'; readonly snapshot: Snapshot }
  | {
      readonly format: 'parquet';
      readonly meta: SnapshotMeta;
      readonly rows: readonly CohortRow[];
      readonly rowsOrder: CohortOrder;
      readonly items: readonly SnapshotItem[];
    };

interface SnapshotState {
  readonly loaded: LoadedSnapshot | null;
  readonly progress: LoadProgress | null;
  readonly failure: LoadFailure | null;
  startLoad(source: string): void;
  reportProgress(progress: LoadProgress): void;
  finishLoad(data: LoadedData, source: string, snapshotId?: number): void;
  failLoad(failure: LoadFailure): void;
  dismissFailure(): void;
  /** Adds or replaces one user's reasoning (a live run of the reasoner); everything else stays as loaded. */
  putReasoning(reasoning: Reasoning): void;
  startUserRead(snapshotId: number, user: string): void;
  putUserRecord(snapshotId: number, record: UserRecord): void;
  failUserRead(snapshotId: number, user: string, message: string): void;
}

export function loadedSnapshot(data: LoadedData, source: string, snapshotId = 0): LoadedSnapshot {
  const common = { source, snapshotId, userReads: new Map<string, UserRead>() };
  if (data.format === 'json') {
    const { snapshot } = data;
    return {
      ...common,
      format: 'json',
      meta: snapshotMeta(snapshot),
      index: indexSnapshot(snapshot),
      rows: snapshot.users.map(cohortRow),
      rowsOrder: null,
      full: snapshot,
    };
  }
  return { ...common, format: 'parquet', meta: data.meta, index: indexItems(data.items), rows: data.rows, rowsOrder: data.rowsOrder, full: null };
}

export const useSnapshotStore = create<SnapshotState>()((set) => {
  /** Applies a change to the loaded snapshot only if it is still the one `snapshotId` names. */
  const update = (snapshotId: number, change: (loaded: LoadedSnapshot) => Partial<LoadedSnapshot>) =>
    set((state) => (state.loaded && state.loaded.snapshotId === snapshotId ? { loaded: { ...state.loaded, ...change(state.loaded) } } : {}));
  const reads = (loaded: LoadedSnapshot, user: string, read: UserRead | null) => {
    const next = new Map(loaded.userReads);
    if (read) next.set(user, read);
    else next.delete(user);
    return next;
  };
  return {
    loaded: null,
    progress: null,
    failure: null,
    startLoad: (source) => set({ progress: { source, phase: 'reading', fraction: 0 }, failure: null }),
    reportProgress: (progress) => set({ progress }),
    finishLoad: (data, source, snapshotId) => set({ loaded: loadedSnapshot(data, source, snapshotId), progress: null, failure: null }),
    failLoad: (failure) => set({ progress: null, failure }),
    dismissFailure: () => set({ failure: null }),
    putReasoning: (reasoning) =>
      set((state) => {
        if (!state.loaded) return {};
        const { full } = state.loaded;
        const updated = full ? { ...full, reasoning: [...(full.reasoning ?? []).filter((r) => r.user !== reasoning.user), reasoning] } : null;
        return { loaded: { ...state.loaded, full: updated, index: withReasoning(state.loaded.index, reasoning) } };
      }),
    startUserRead: (snapshotId, user) => update(snapshotId, (loaded) => ({ userReads: reads(loaded, user, { status: 'reading' }) })),
    putUserRecord: (snapshotId, record) =>
      update(snapshotId, (loaded) => ({ index: withUserRecord(loaded.index, record), userReads: reads(loaded, record.user.id, null) })),
    failUserRead: (snapshotId, user, message) => update(snapshotId, (loaded) => ({ userReads: reads(loaded, user, { status: 'failed', message }) })),
  };
});
