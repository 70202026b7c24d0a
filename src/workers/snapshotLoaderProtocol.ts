/** Messages between the main thread and the snapshot loader worker: one kind per intent. */
import type { CohortOrder, CohortRow } from '../domain/cohort';
import type { PackedCohortRows } from '../domain/cohortPacking';
import type { Snapshot, SnapshotItem } from '../domain/snapshot';
import type { SnapshotMeta, UserRecord } from '../domain/snapshotMeta';
import type { SnapshotLoadPhase } from '../data/snapshotIo';

export type SnapshotLoaderRequest =
  | { readonly kind: 'load-url'; readonly requestId: number; readonly url: string }
  /** One JSON snapshot, or a Parquet manifest together with its tables. */
  | { readonly kind: 'load-files'; readonly requestId: number; readonly files: readonly File[] }
  /** One user of the Parquet snapshot that load `snapshotId` opened. */
  | { readonly kind: 'read-user'; readonly requestId: number; readonly snapshotId: number; readonly user: string }
  | { readonly kind: 'cancel'; readonly requestId: number };

export interface SnapshotLoaderFailure {
  readonly source: string;
  readonly message: string;
  readonly path?: string;
  readonly value?: string;
}

/** JSON snapshots arrive whole; Parquet ones as what the cohort view needs, the rest read a user at a time. */
export type LoadedContent =
  | { readonly format: 'json'; readonly snapshot: Snapshot }
  | ParquetContent<readonly CohortRow[]>;

/** rowsOrder: the cohort order the rows were sorted in (domain/cohort.ts queryCohort). */
interface ParquetContent<Rows> {
  readonly format: 'parquet';
  readonly meta: SnapshotMeta;
  readonly rows: Rows;
  readonly rowsOrder: CohortOrder;
  readonly items: readonly SnapshotItem[];
}

/** LoadedContent as posted: a Parquet snapshot's cohort rows packed into columns (domain/cohortPacking.ts). */
export type LoadedContentMessage =
  | Extract<LoadedContent, { format: 'json' }>
  | ParquetContent<PackedCohortRows>;

export type SnapshotLoaderResponse =
  | { readonly kind: 'progress'; readonly requestId: number; readonly phase: SnapshotLoadPhase; readonly fraction: number | null }
  | { readonly kind: 'loaded'; readonly requestId: number; readonly source: string; readonly content: LoadedContentMessage }
  | { readonly kind: 'failed'; readonly requestId: number; readonly failure: SnapshotLoaderFailure }
  | { readonly kind: 'user'; readonly requestId: number; readonly record: UserRecord }
  | { readonly kind: 'user-failed'; readonly requestId: number; readonly user: string; readonly failure: SnapshotLoaderFailure };
