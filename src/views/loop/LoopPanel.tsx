/** The Reasoning-Execution-Feedback-Reflection loop: validation metrics by round, and each round's reflection. */
import { extent, max, scaleLinear } from 'd3';
import { useMemo, type ReactElement } from 'react';
import { useSnapshotStore } from '../../state/snapshotStore';
import { loopSeries } from './model';
import './LoopPanel.css';

const WIDTH = 520;
const HEIGHT = 180;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 44 };

export function LoopPanel(): ReactElement {
  const rounds = useSnapshotStore((s) => s.loaded?.meta.loop);
  const series = useMemo(() => loopSeries(rounds ?? []), [rounds]);
  if (!rounds || rounds.length === 0) return <p className="loop-hint">This snapshot has no loop rounds (npm run eval -- --rolegen records them).</p>;

  const [first = 0, last = 1] = extent(rounds, (r) => r.round);
  const x = scaleLinear().domain([first, Math.max(last, first + 1)]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const top = max(series.flatMap((s) => s.points.map((p) => p.value))) ?? 1;
  const y = scaleLinear().domain([0, top * 1.1 || 1]).range([HEIGHT - MARGIN.bottom, MARGIN.top]).nice();

  return (
    <div className="loop" data-testid="loop-panel">
      <svg width={WIDTH} height={HEIGHT} role="img" aria-label="Validation metrics by loop round">
        {y.ticks(4).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} className="loop-grid" />
            <text x={MARGIN.left - 6} dy="0.32em" textAnchor="end">
              {(100 * t).toFixed(0)}%
            </text>
          </g>
        ))}
        {rounds.map((r) => (
          <text key={r.round} x={x(r.round)} y={HEIGHT - 8} textAnchor="middle">
            {r.round}
          </text>
        ))}
        {series.map((s) => (
          <g key={s.key}>
            <polyline fill="none" stroke={s.color} strokeWidth={2} points={s.points.map((p) => `${x(p.round)},${y(p.value)}`).join(' ')} />
            {s.points.map((p) => (
              <circle key={p.round} cx={x(p.round)} cy={y(p.value)} r={4} fill={p.kept ? s.color : '#fff'} stroke={s.color}>
                <title>{`round ${p.round}: ${s.label} ${(100 * p.value).toFixed(2)}% (${p.kept ? 'kept' : 'reverted'})`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <p className="loop-legend">
        {series.map((s) => (
          <span key={s.key} style={{ color: s.color }}>
            ● {s.label}{' '}
          </span>
        ))}
        <span>filled: revision kept · hollow: reverted · x: round</span>
      </p>
      <ol className="loop-rounds" start={0}>
        {rounds.map((r) => (
          <li key={r.round} className={r.kept ? 'loop-kept' : 'loop-reverted'}>
            {r.memo}
          </li>
        ))}
      </ol>
    </div>
  );
}
