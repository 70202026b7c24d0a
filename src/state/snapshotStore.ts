/**
 * The loaded snapshot and the progress or failure of the load in flight.
 * A failed load never replaces what is loaded: `snapshot` changes only on success.
 */
import { create } from 'zustand';
import { cohortRow, type CohortRow } from '../domain/cohort';
import type { Reasoning, Snapshot } from '../domain/snapshot';
import { indexSnapshot, type SnapshotIndex } from '../domain/snapshotIndex';

export interface LoadedSnapshot {
  readonly data: Snapshot;
  readonly index: SnapshotIndex;
  readonly rows: readonly CohortRow[];
  /** File name or URL it came from. */
  readonly source: string;
}

export type LoadPhase = 'reading' | 'decompressing' | 'parsing' | 'validating';

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

interface SnapshotState {
  readonly loaded: LoadedSnapshot | null;
  readonly progress: LoadProgress | null;
  readonly failure: LoadFailure | null;
  startLoad(source: string): void;
  reportProgress(progress: LoadProgress): void;
  finishLoad(snapshot: Snapshot, source: string): void;
  failLoad(failure: LoadFailure): void;
  dismissFailure(): void;
  /** Adds or replaces one user's reasoning (a live run of the reasoner); everything else stays as loaded. */
  putReasoning(reasoning: Reasoning): void;
}

export function loadedSnapshot(snapshot: Snapshot, source: string): LoadedSnapshot {
  return { data: snapshot, index: indexSnapshot(snapshot), rows: snapshot.users.map(cohortRow), source };
}

export const useSnapshotStore = create<SnapshotState>()((set) => ({
  loaded: null,
  progress: null,
  failure: null,
  startLoad: (source) => set({ progress: { source, phase: 'reading', fraction: 0 }, failure: null }),
  reportProgress: (progress) => set({ progress }),
  finishLoad: (snapshot, source) => set({ loaded: loadedSnapshot(snapshot, source), progress: null, failure: null }),
  failLoad: (failure) => set({ progress: null, failure }),
  dismissFailure: () => set({ failure: null }),
  putReasoning: (reasoning) =>
    set((state) => {
      if (!state.loaded) return {};
      const data = { ...state.loaded.data, reasoning: [...(state.loaded.data.reasoning ?? []).filter((r) => r.user !== reasoning.user), reasoning] };
      return { loaded: { ...state.loaded, data, index: indexSnapshot(data) } };
    }),
}));
