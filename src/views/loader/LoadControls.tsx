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
      <button type="button" onClick={() => fileInput.current?.click()} title="Open a .json or .json.gz snapshot, or a Parquet snapshot's manifest.json with its .parquet tables (or drop them anywhere)">
        Open snapshot…
      </button>
      <input
        ref={fileInput}
        data-testid="snapshot-file-input"
        type="file"
        accept=".json,.gz,.parquet,application/json,application/gzip"
        multiple
        hidden
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          if (files.length > 0) loadSnapshot({ kind: 'files', files });
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
