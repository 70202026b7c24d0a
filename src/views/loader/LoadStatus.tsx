/** Progress of the load in flight, and the last failure with the file and field at fault. */
import { useSnapshotStore } from '../../state/snapshotStore';

const PHASE_LABEL = {
  reading: 'Reading',
  decompressing: 'Decompressing',
  parsing: 'Parsing',
  validating: 'Validating',
  'opening tables': 'Opening the tables of',
} as const;

export function LoadStatus() {
  const progress = useSnapshotStore((s) => s.progress);
  const failure = useSnapshotStore((s) => s.failure);
  const loaded = useSnapshotStore((s) => s.loaded);
  const dismiss = useSnapshotStore((s) => s.dismissFailure);

  return (
    <>
      {progress && (
        <div className="load-status" role="status" data-testid="load-progress">
          <span>
            {PHASE_LABEL[progress.phase]} {progress.source}
          </span>
          <progress max={1} value={progress.fraction ?? undefined} />
        </div>
      )}
      {failure && (
        <div className="load-error" role="alert" data-testid="load-error">
          <div>
            <strong>Could not load {failure.source}</strong>
            <div className="load-error-message">{failure.message}</div>
            {failure.path && (
              <div className="load-error-field">
                Field <code>{failure.path}</code>
                {failure.value !== undefined && (
                  <>
                    {' '}
                    has value <code>{failure.value}</code>
                  </>
                )}
              </div>
            )}
            {loaded && <div className="load-error-kept">Still showing {loaded.source}.</div>}
          </div>
          <button type="button" onClick={dismiss} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}
    </>
  );
}
