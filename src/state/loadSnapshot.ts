/**
 * The one entry point for loading a snapshot from any source (bundled, URL, file picker, drop), and for reading
 * the selected user of a Parquet snapshot, which arrives a user at a time.
 */
import { SnapshotLoaderClient, UserReadError, type SnapshotSource } from '../workers/snapshotLoaderClient';
import { useSelectionStore } from './selectionStore';
import { useSnapshotStore, type LoadedSnapshot } from './snapshotStore';

export const BUNDLED_SNAPSHOT_URL = `${import.meta.env.BASE_URL}snapshots/cikm2019.json.gz`;

const client = new SnapshotLoaderClient();

export function loadSnapshot(source: SnapshotSource): void {
  const store = useSnapshotStore.getState();
  const name = source.kind === 'url' ? source.url : source.files.map((f) => f.name).join(', ');
  store.startLoad(name);
  client.load(source, {
    onProgress: (phase, fraction) => useSnapshotStore.getState().reportProgress({ source: name, phase, fraction }),
    onLoaded: (content, loadedFrom, snapshotId) => {
      useSnapshotStore.getState().finishLoad(content, loadedFrom, snapshotId);
      const selection = useSelectionStore.getState();
      const loaded = useSnapshotStore.getState().loaded;
      if (selection.userId !== null && !loaded?.rows.some((row) => row.id === selection.userId)) selection.selectUser(null);
      else readSelectedUser();
    },
    onFailed: (failure) => useSnapshotStore.getState().failLoad(failure),
  });
}

/** `?snapshot=URL` overrides the bundled default. */
export function initialSnapshotSource(search: string): SnapshotSource {
  const url = new URLSearchParams(search).get('snapshot');
  return { kind: 'url', url: url && url.trim() !== '' ? url : BUNDLED_SNAPSHOT_URL };
}

/** Reads the selected user if the loaded snapshot does not hold them yet (Parquet); JSON snapshots hold everyone. */
export function readSelectedUser(): void {
  const userId = useSelectionStore.getState().userId;
  const loaded = useSnapshotStore.getState().loaded;
  if (userId === null || !needsRead(loaded, userId)) return;
  const { snapshotId } = loaded!;
  const store = useSnapshotStore.getState();
  store.startUserRead(snapshotId, userId);
  client.readUser(snapshotId, userId).then(
    (record) => useSnapshotStore.getState().putUserRecord(snapshotId, record),
    (error: unknown) => {
      const message = error instanceof UserReadError ? `${error.failure.source}: ${error.failure.message}` : String(error);
      useSnapshotStore.getState().failUserRead(snapshotId, userId, message);
    },
  );
}

function needsRead(loaded: LoadedSnapshot | null, userId: string): boolean {
  return loaded !== null && loaded.format === 'parquet' && !loaded.index.usersById.has(userId) && !loaded.userReads.has(userId);
}

/** Selecting a user of a Parquet snapshot starts their read; call once at start-up. */
export function readUsersOnSelection(): () => void {
  return useSelectionStore.subscribe((state, previous) => {
    if (state.userId !== previous.userId) readSelectedUser();
  });
}
