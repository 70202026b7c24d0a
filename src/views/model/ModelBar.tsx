/** Header control for the backbone: provider choice, load, and the execution provider actually in use. */
import { useEffect, type ReactElement } from 'react';
import { useBackboneStore } from '../../state/backboneStore';
import { useSnapshotStore } from '../../state/snapshotStore';
import { PROVIDER_CHOICES, type ProviderChoice } from '../../workers/backboneProtocol';
import './model.css';

export function ModelBar(): ReactElement | null {
  const modelUrl = useSnapshotStore((s) => s.loaded?.meta.models?.backbone ?? null);
  const status = useBackboneStore((s) => s.status);
  const provider = useBackboneStore((s) => s.provider);
  const setProvider = useBackboneStore((s) => s.setProvider);
  const loadModel = useBackboneStore((s) => s.loadModel);
  const url = modelUrl ? new URL(modelUrl, new URL(import.meta.env.BASE_URL, location.href)).href : null;

  // The model a snapshot names is loaded with it: small, local, and needed for any live what-if.
  useEffect(() => {
    if (url) void useBackboneStore.getState().loadModel(url);
  }, [url]);

  if (!url) return <span className="model-bar model-bar-none">No backbone in this snapshot</span>;
  return (
    <div className="model-bar" data-testid="model-bar">
      <label>
        Backbone on{' '}
        <select
          aria-label="Execution provider"
          value={provider}
          onChange={(event) => {
            setProvider(event.target.value as ProviderChoice);
            void loadModel(url);
          }}
        >
          {PROVIDER_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice === 'auto' ? 'auto (WebGPU if present)' : choice}
            </option>
          ))}
        </select>
      </label>
      <ModelStatusText />
      {status.kind === 'failed' && (
        <button type="button" onClick={() => void loadModel(url)}>
          Reload model
        </button>
      )}
    </div>
  );
}

function ModelStatusText(): ReactElement {
  const status = useBackboneStore((s) => s.status);
  switch (status.kind) {
    case 'none':
      return <span className="model-status">not loaded</span>;
    case 'loading':
      return (
        <span className="model-status" role="status">
          {status.progress ? `${status.progress.stage}…` : 'loading…'}
          {status.progress && status.progress.total > 0 && <progress max={status.progress.total} value={status.progress.done} />}
        </span>
      );
    case 'ready':
      return (
        <span className="model-status model-status-ready" data-testid="model-provider" data-provider={status.model.provider}>
          {status.model.provider === 'webgpu' ? 'WebGPU' : `WASM · ${status.model.threads} thread${status.model.threads === 1 ? '' : 's'}`} ·{' '}
          {status.model.items.toLocaleString('en')} items
        </span>
      );
    case 'failed':
      return (
        <span className="model-status model-status-failed" role="alert" data-testid="model-error">
          model failed: {status.message}
        </span>
      );
  }
}
