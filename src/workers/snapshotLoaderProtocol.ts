/** Messages between the main thread and the snapshot loader worker: one kind per intent. */
import type { Snapshot } from '../domain/snapshot';
import type { SnapshotLoadPhase } from '../data/snapshotIo';

export type SnapshotLoaderRequest =
  | { readonly kind: 'load-url'; readonly requestId: number; readonly url: string }
  | { readonly kind: 'load-file'; readonly requestId: number; readonly file: File }
  | { readonly kind: 'cancel'; readonly requestId: number };

export interface SnapshotLoaderFailure {
  readonly source: string;
  readonly message: string;
  readonly path?: string;
  readonly value?: string;
}

export type SnapshotLoaderResponse =
  | { readonly kind: 'progress'; readonly requestId: number; readonly phase: SnapshotLoadPhase; readonly fraction: number | null }
  | { readonly kind: 'loaded'; readonly requestId: number; readonly source: string; readonly snapshot: Snapshot }
  | { readonly kind: 'failed'; readonly requestId: number; readonly failure: SnapshotLoaderFailure };
