/** Keeps `?user=` in the address bar in step with the selection, so a view can be shared or reloaded. */
import { useSelectionStore } from './selectionStore';
import { useSnapshotStore } from './snapshotStore';

export function syncSelectionWithUrl(): () => void {
  const wanted = new URLSearchParams(window.location.search).get('user');
  // Select the user from the URL once the first snapshot that contains them arrives.
  const stopInitial = wanted
    ? useSnapshotStore.subscribe((state, previous) => {
        if (state.loaded?.rows === previous.loaded?.rows) return;
        if (state.loaded?.rows.some((row) => row.id === wanted)) {
          useSelectionStore.getState().selectUser(wanted);
          stopInitial?.();
        }
      })
    : null;
  const stopSync = useSelectionStore.subscribe((state, previous) => {
    if (state.userId === previous.userId) return;
    const url = new URL(window.location.href);
    if (state.userId === null) url.searchParams.delete('user');
    else url.searchParams.set('user', state.userId);
    window.history.replaceState(null, '', url);
  });
  return () => {
    stopInitial?.();
    stopSync();
  };
}
