import { useEffect } from 'react';
import { initialSnapshotSource, loadSnapshot, readUsersOnSelection } from '../state/loadSnapshot';
import { useSnapshotStore } from '../state/snapshotStore';
import { syncSelectionWithUrl } from '../state/urlState';
import { CohortTable } from './cohort/CohortTable';
import { DetailsPanel } from './details/DetailsPanel';
import { EvaluationPanel } from './evaluation/EvaluationPanel';
import { LoadControls } from './loader/LoadControls';
import { LoadStatus } from './loader/LoadStatus';
import { useFileDrop } from './loader/useFileDrop';
import { LoopPanel } from './loop/LoopPanel';
import { LiveRecommendations } from './model/LiveRecommendations';
import { ModelBar } from './model/ModelBar';
import { PanelTabs } from './PanelTabs';
import { TrajectoryView } from './trajectory/TrajectoryView';
import './app.css';

export function App() {
  useEffect(() => {
    const stopUrl = syncSelectionWithUrl();
    const stopReads = readUsersOnSelection();
    loadSnapshot(initialSnapshotSource(window.location.search));
    return () => {
      stopReads();
      stopUrl();
    };
  }, []);
  const dragging = useFileDrop();

  return (
    <div className="app">
      <header className="app-header">
        <h1>RoleGen Workbench</h1>
        <DatasetBadge />
        <ModelBar />
        <LoadControls />
      </header>
      <LoadStatus />
      <main className="app-main">
        <section className="app-cohort" aria-label="Cohort">
          <CohortTable />
        </section>
        <section className="app-trajectory" aria-label="Trajectory">
          <TrajectoryView />
        </section>
        <section className="app-details" aria-label="Details and evaluation">
          <PanelTabs
            label="Details and evaluation"
            tabs={[
              { id: 'details', label: 'Details', render: () => (<><DetailsPanel /><LiveRecommendations /></>) },
              { id: 'evaluation', label: 'Evaluation', render: () => <EvaluationPanel /> },
              { id: 'loop', label: 'Loop', render: () => <LoopPanel /> },
            ]}
          />
        </section>
      </main>
      <Attribution />
      {dragging && <div className="app-drop-overlay">Drop a snapshot (.json or .json.gz) to load it</div>}
    </div>
  );
}

function DatasetBadge() {
  const loaded = useSnapshotStore((s) => s.loaded);
  if (!loaded) return <span className="app-dataset">No snapshot loaded</span>;
  const { dataset } = loaded.meta;
  return (
    <span className="app-dataset" data-testid="dataset-badge">
      <strong>{dataset.name}</strong> · {loaded.rows.length.toLocaleString('en')} users · {loaded.source}
      {dataset.synthetic && <span className="app-synthetic">synthetic data</span>}
    </span>
  );
}

function Attribution() {
  const attribution = useSnapshotStore((s) => s.loaded?.meta.dataset.attribution);
  if (!attribution) return null;
  return (
    <footer className="app-attribution" title={attribution.text}>
      Data: {attribution.source}
      {attribution.terms !== '' && !attribution.source.includes(attribution.terms) && ` ${attribution.terms}`}
    </footer>
  );
}
