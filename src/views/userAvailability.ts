/** What to say in place of a user the views cannot show yet: still being read (Parquet), failed, or not there. */
import type { LoadedSnapshot } from '../state/snapshotStore';

export function missingUserText(loaded: LoadedSnapshot, userId: string): { readonly text: string; readonly failed: boolean } {
  const read = loaded.userReads.get(userId);
  if (read?.status === 'failed') return { text: `Could not read user ${userId}: ${read.message}`, failed: true };
  if (read?.status === 'reading' || (loaded.format === 'parquet' && loaded.rows.some((row) => row.id === userId))) {
    return { text: `Reading user ${userId}…`, failed: false };
  }
  return { text: `User ${userId} is not in the loaded snapshot.`, failed: false };
}
