/** Header controls: open a snapshot file, or load one by URL. */
import { useRef, useState, type FormEvent } from 'react';
import { BUNDLED_SNAPSHOT_URL, loadSnapshot } from '../../state/loadSnapshot';

export function LoadControls() {
  const fileInput = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');

  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim() !== '') loadSnapshot({ kind: 'url', url: url.trim() });
  };

  return (
    <div className="load-controls">
      <button type="button" onClick={() => fileInput.current?.click()} title="Open a .json or .json.gz snapshot (or drop one anywhere)">
        Open snapshot…
      </button>
      <input
        ref={fileInput}
        data-testid="snapshot-file-input"
        type="file"
        accept=".json,.gz,application/json,application/gzip"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) loadSnapshot({ kind: 'file', file });
          event.target.value = '';
        }}
      />
      <form onSubmit={submitUrl} className="load-controls-url">
        <input
          aria-label="Snapshot URL"
          placeholder="Snapshot URL"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <button type="submit">Load</button>
      </form>
      <button type="button" onClick={() => loadSnapshot({ kind: 'url', url: BUNDLED_SNAPSHOT_URL })}>
        Bundled demo
      </button>
    </div>
  );
}
