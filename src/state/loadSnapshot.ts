/** The one entry point for loading a snapshot from any source (bundled, URL, file picker, drop). */
import { SnapshotLoaderClient, type SnapshotSource } from '../workers/snapshotLoaderClient';
import { useSelectionStore } from './selectionStore';
import { useSnapshotStore } from './snapshotStore';

export const BUNDLED_SNAPSHOT_URL = `${import.meta.env.BASE_URL}snapshots/cikm2019.json.gz`;

const client = new SnapshotLoaderClient();

export function loadSnapshot(source: SnapshotSource): void {
  const store = useSnapshotStore.getState();
  const name = source.kind === 'url' ? source.url : source.file.name;
  store.startLoad(name);
  client.load(source, {
    onProgress: (phase, fraction) => useSnapshotStore.getState().reportProgress({ source: name, phase, fraction }),
    onLoaded: (snapshot, loadedFrom) => {
      useSnapshotStore.getState().finishLoad(snapshot, loadedFrom);
      const selection = useSelectionStore.getState();
      if (selection.userId !== null && !snapshot.users.some((u) => u.id === selection.userId)) selection.selectUser(null);
    },
    onFailed: (failure) => useSnapshotStore.getState().failLoad(failure),
  });
}

/** `?snapshot=URL` overrides the bundled default. */
export function initialSnapshotSource(search: string): SnapshotSource {
  const url = new URLSearchParams(search).get('snapshot');
  return { kind: 'url', url: url && url.trim() !== '' ? url : BUNDLED_SNAPSHOT_URL };
}
