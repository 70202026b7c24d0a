/** Offline metrics of the snapshot (or of a fresh in-browser run), per cohort, with intervals and claimed differences. */
import { useMemo, useState, type ReactElement } from 'react';
import type { ComparisonRecord, Metric } from '../../domain/snapshot';
import { useBackboneStore } from '../../state/backboneStore';
import { useSnapshotStore } from '../../state/snapshotStore';
import { cohortsOf, describeComparison, formatCell, formatInterval, metricRows, METRIC_COLUMNS } from './model';
import './EvaluationPanel.css';

export function EvaluationPanel(): ReactElement {
  const loaded = useSnapshotStore((s) => s.loaded);
  const evaluation = useBackboneStore((s) => s.evaluation);
  const modelReady = useBackboneStore((s) => s.status.kind === 'ready');
  const [cohort, setCohort] = useState('dormant');

  const fresh = evaluation.kind === 'done' ? evaluation.summary : null;
  const metrics: readonly Metric[] = fresh?.metrics ?? loaded?.meta.metrics ?? [];
  const comparisons: readonly ComparisonRecord[] = fresh?.comparisons ?? loaded?.meta.comparisons ?? [];
  const cohorts = useMemo(() => cohortsOf(metrics), [metrics]);
  const shownCohort = cohorts.includes(cohort) ? cohort : (cohorts[0] ?? cohort);
  const rows = useMemo(() => metricRows(metrics, shownCohort), [metrics, shownCohort]);

  if (!loaded) return <p className="eval-hint">Load a snapshot to see its evaluation.</p>;
  const { full } = loaded;
  const run = () => {
    if (full) void useBackboneStore.getState().evaluate(full.users, loaded.meta.protocol.ks, loaded.meta.counts.items);
  };
  const runTitle = !modelReady
    ? 'Needs the backbone model'
    : full
      ? 'Recompute every metric in a worker'
      : 'Recomputing needs every user in memory; this Parquet snapshot is read a user at a time. Open its JSON form to rerun.';

  return (
    <div className="eval" data-testid="evaluation-panel">
      <div className="eval-toolbar">
        <label>
          Cohort{' '}
          <select value={shownCohort} onChange={(e) => setCohort(e.target.value)} aria-label="Cohort">
            {cohorts.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <span className="eval-source">
          {fresh ? `fresh run in this tab: ${fresh.users} users, ${fresh.seconds.toFixed(1)} s` : metrics.length > 0 ? 'from the snapshot' : 'no metrics in this snapshot'}
        </span>
        {evaluation.kind === 'running' ? (
          <span className="eval-running" role="status" data-testid="evaluation-progress">
            {evaluation.progress ? `${evaluation.progress.stage}: ${evaluation.progress.done}/${evaluation.progress.total}` : 'starting…'}
            <progress max={evaluation.progress?.total ?? 1} value={evaluation.progress?.done ?? 0} />
            <button type="button" onClick={() => useBackboneStore.getState().cancelEvaluation()}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" onClick={run} disabled={!modelReady || !full} title={runTitle}>
            Rerun evaluation
          </button>
        )}
      </div>
      {evaluation.kind === 'failed' && <p role="alert" className="eval-error">Evaluation {evaluation.message}</p>}
      {rows.length > 0 && (
        <table className="eval-table" data-testid="evaluation-table">
          <caption>
            {shownCohort}: {rows[0]?.n ?? 0} users, values in % (entropy in bits); hover a value for its 95% interval
          </caption>
          <thead>
            <tr>
              <th scope="col">model</th>
              {METRIC_COLUMNS.map((c) => (
                <th key={c.label} scope="col" title={c.title}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.model} data-model={row.model}>
                <th scope="row">{row.model}</th>
                {row.cells.map((cell, i) => (
                  <td key={METRIC_COLUMNS[i]!.label} title={formatInterval(cell)}>
                    {formatCell(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {comparisons.some((c) => c.cohort === shownCohort) && (
        <ul className="eval-comparisons" aria-label="Paired differences">
          {comparisons
            .filter((c) => c.cohort === shownCohort && c.metric === 'recall')
            .map((c) => {
              const { text, verdict } = describeComparison(c);
              return (
                <li key={`${c.model}-${c.baseline}-${c.k}`} className={`eval-${verdict}`}>
                  {text} <strong>{verdict === 'unclear' ? 'no clear difference' : verdict}</strong>
                </li>
              );
            })}
        </ul>
      )}
    </div>
  );
}
