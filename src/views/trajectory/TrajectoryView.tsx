/**
 * The selected user's events on a time axis. d3 does the maths (scales, ticks, zoom gestures, symbol paths);
 * React renders every SVG element. The view model comes from the pure `buildTrajectory` (layout.ts).
 */
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { scaleLinear, select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3';
import { ACTIONS } from '../../domain/events';
import type { LoadedSnapshot } from '../../state/snapshotStore';
import { useSelectionStore } from '../../state/selectionStore';
import { useSnapshotStore } from '../../state/snapshotStore';
import { axisTicks, type XMode } from './axis';
import { eventFacts, formatPercent } from './format';
import {
  ACTION_LABELS,
  buildTrajectory,
  eventNumber,
  type TrajectoryModel,
  type TrajectoryNode,
} from './layout';
import { missingUserText } from '../userAvailability';
import { actionShape } from './shapes';
import './TrajectoryView.css';

/** Store-connected view: what App renders. */
export function TrajectoryView(): ReactElement {
  const loaded = useSnapshotStore((s) => s.loaded);
  const userId = useSelectionStore((s) => s.userId);
  const eventIndex = useSelectionStore((s) => s.eventIndex);
  const hoveredEventIndex = useSelectionStore((s) => s.hoveredEventIndex);
  const selectEvent = useSelectionStore((s) => s.selectEvent);
  const hoverEvent = useSelectionStore((s) => s.hoverEvent);
  return (
    <TrajectoryPanel
      loaded={loaded}
      userId={userId}
      eventIndex={eventIndex}
      hoveredEventIndex={hoveredEventIndex}
      onSelectEvent={selectEvent}
      onHoverEvent={hoverEvent}
    />
  );
}

export interface TrajectoryPanelProps {
  readonly loaded: LoadedSnapshot | null;
  readonly userId: string | null;
  readonly eventIndex: number | null;
  readonly hoveredEventIndex: number | null;
  readonly onSelectEvent: (index: number | null) => void;
  readonly onHoverEvent: (index: number | null) => void;
}

/** Props-only view (testable without stores). */
export function TrajectoryPanel(props: TrajectoryPanelProps): ReactElement {
  const { loaded, userId } = props;
  const [mode, setMode] = useState<XMode>('time');
  const user = loaded && userId !== null ? loaded.index.usersById.get(userId) : undefined;
  const reasoning = user && loaded ? loaded.index.reasoningByUser.get(user.id) : undefined;
  const model = useMemo(
    () =>
      user && loaded
        ? buildTrajectory({
            user,
            itemsById: loaded.index.itemsById,
            reasoning,
            roleTaxonomy: loaded.meta.roleTaxonomy,
            intents: loaded.meta.intents,
            resolution: loaded.meta.dataset.resolution,
          })
        : null,
    [user, loaded, reasoning],
  );

  if (!loaded) return <Hint text="Load a snapshot to see a user's trajectory." />;
  if (userId === null) return <Hint text="Select a user in the cohort table to see their trajectory." />;
  if (!user || !model) {
    const missing = missingUserText(loaded, userId);
    return <Hint text={missing.text} alert={missing.failed} />;
  }

  const laneBasis =
    model.laneBasis === 'intent' ? 'lanes: intent cluster' : model.laneBasis === 'category' ? 'lanes: finest category' : 'one lane';
  return (
    <section className="trajectory" aria-label={`Trajectory of user ${user.id}`}>
      <header className="trajectory-header">
        <div className="trajectory-title">
          <strong>User {user.id}</strong>
          <span className="trajectory-meta">
            {user.events.length} events · {user.segment} · {laneBasis} · {model.resolution} resolution
          </span>
        </div>
        <div className="trajectory-modes" role="group" aria-label="x axis">
          <button type="button" aria-pressed={mode === 'time'} onClick={() => setMode('time')}>
            time
          </button>
          <button
            type="button"
            aria-pressed={mode === 'sequence'}
            onClick={() => setMode('sequence')}
            title="x = event number: spreads bursts of events"
          >
            sequence
          </button>
        </div>
        <Legend model={model} />
      </header>
      {user.events.length === 0 ? (
        <Hint text="This user has no events." />
      ) : (
        <TrajectoryChart
          key={`${user.id}|${mode}|${loaded.source}`}
          model={model}
          mode={mode}
          loaded={loaded}
          eventIndex={props.eventIndex}
          hoveredEventIndex={props.hoveredEventIndex}
          onSelectEvent={props.onSelectEvent}
          onHoverEvent={props.onHoverEvent}
        />
      )}
    </section>
  );
}

function Hint({ text, alert = false }: { readonly text: string; readonly alert?: boolean }): ReactElement {
  return (
    <div className="trajectory trajectory-empty">
      <p className="trajectory-hint" role={alert ? 'alert' : undefined}>
        {text}
      </p>
    </div>
  );
}

function Legend({ model }: { readonly model: TrajectoryModel }): ReactElement {
  return (
    <div className="trajectory-legend" aria-label="Legend">
      <span className="trajectory-legend-group" aria-label="shape by action">
        {ACTIONS.map((action) => (
          <span key={action} className="trajectory-legend-item">
            <svg width="12" height="12" aria-hidden="true" className="trajectory-legend-shape">
              <path d={actionShape(action, 4.5)} transform="translate(6,6)" />
            </svg>
            {ACTION_LABELS[action]}
          </span>
        ))}
      </span>
      <span className="trajectory-legend-group" aria-label={model.colorBy === 'role' ? 'colour by role' : 'colour by action'}>
        <span className="trajectory-legend-caption">{model.colorBy === 'role' ? 'role:' : 'colour:'}</span>
        {model.legend.map((entry) => (
          <span key={entry.key} className="trajectory-legend-item" title={entry.description}>
            <span className="trajectory-swatch" style={{ background: entry.color }} aria-hidden="true" />
            {entry.label}
          </span>
        ))}
      </span>
      {model.resolution === 'day' ? (
        <span className="trajectory-legend-note">same-day events are unordered: side by side, not linked</span>
      ) : null}
    </div>
  );
}

interface ChartProps {
  readonly model: TrajectoryModel;
  readonly mode: XMode;
  readonly loaded: LoadedSnapshot;
  readonly eventIndex: number | null;
  readonly hoveredEventIndex: number | null;
  readonly onSelectEvent: (index: number | null) => void;
  readonly onHoverEvent: (index: number | null) => void;
}

const MARGIN = { top: 32, right: 14, bottom: 26, left: 132 };
const PATH_ROW = 18;
const PATH_HEADER = 20;
const MIN_LANE = 14;
const FALLBACK_SIZE = { width: 720, height: 320 };

function TrajectoryChart(props: ChartProps): ReactElement {
  const { model, mode, loaded, eventIndex, hoveredEventIndex, onSelectEvent, onHoverEvent } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const zoomTargetRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGGElement, unknown> | null>(null);
  const nodeRefs = useRef(new Map<number, SVGGElement>());
  const pendingFocus = useRef(false);
  const clipId = `trajectory-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  const [size, setSize] = useState(FALLBACK_SIZE);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [focusIndex, setFocusIndex] = useState<number>(() => clampIndex(eventIndex ?? 0, model.nodes.length));
  const [tipIndex, setTipIndex] = useState<number | null>(null);

  // Size from the container (ResizeObserver); measured before paint so there is no flash at the fallback size.
  useLayoutEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const measure = (width: number, height: number): void => {
      if (width > 0 && height > 0) {
        setSize((prev) =>
          Math.abs(prev.width - width) < 0.5 && Math.abs(prev.height - height) < 0.5 ? prev : { width, height },
        );
      }
    };
    measure(element.clientWidth, element.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0]?.contentRect;
      if (rect) measure(rect.width, rect.height);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Follow the selection made elsewhere (e.g. the details panel).
  useEffect(() => {
    if (eventIndex !== null && eventIndex < model.nodes.length) setFocusIndex(eventIndex);
  }, [eventIndex, model.nodes.length]);

  const plotWidth = Math.max(40, size.width - MARGIN.left - MARGIN.right);
  const stripHeight = model.paths.length > 0 ? PATH_HEADER + model.paths.length * PATH_ROW : 0;
  const laneHeight = Math.max(
    MIN_LANE,
    (size.height - MARGIN.top - MARGIN.bottom - stripHeight) / Math.max(1, model.lanes.length),
  );
  const plotHeight = laneHeight * model.lanes.length;
  const svgHeight = Math.max(size.height, MARGIN.top + plotHeight + stripHeight + MARGIN.bottom);
  const axisY = MARGIN.top + plotHeight + stripHeight;

  const domain = mode === 'time' ? model.timeDomain : model.seqDomain;
  const baseScale = useMemo(() => scaleLinear().domain([domain[0], domain[1]]).range([0, plotWidth]), [domain, plotWidth]);
  const xScale = useMemo(() => transform.rescaleX(baseScale), [transform, baseScale]);
  const xOf = useCallback((node: { xTime: number; xSeq: number }) => (mode === 'time' ? node.xTime : node.xSeq), [mode]);
  const laneY = (lane: number): number => lane * laneHeight + laneHeight / 2;

  // The most a user can zoom: enough to separate the densest day's events, or single events in sequence mode.
  const maxZoom = useMemo(() => {
    const densest = Math.max(1, ...model.dayGroups.map((g) => g.count));
    const span = domain[1] - domain[0];
    const unit = mode === 'time' ? (model.resolution === 'day' ? 86_400 / densest : 1) : 1;
    return Math.min(1e6, Math.max(8, ((span / unit) * 24) / plotWidth));
  }, [model, mode, domain, plotWidth]);

  // d3-zoom owns the gesture maths only; the transform lives in React state.
  useEffect(() => {
    const target = zoomTargetRef.current;
    if (!target) return;
    const extent: [[number, number], [number, number]] = [
      [0, 0],
      [plotWidth, Math.max(1, plotHeight + stripHeight)],
    ];
    const behaviour = zoom<SVGGElement, unknown>()
      .scaleExtent([1, maxZoom])
      .extent(extent)
      .translateExtent(extent)
      .on('zoom', (event: D3ZoomEvent<SVGGElement, unknown>) => setTransform(event.transform));
    const selection = select(target);
    selection.call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    return () => {
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, [plotWidth, plotHeight, stripHeight, maxZoom]);

  const resetZoom = useCallback(() => {
    const target = zoomTargetRef.current;
    const behaviour = zoomRef.current;
    if (target && behaviour) behaviour.transform(select(target), zoomIdentity);
    else setTransform(zoomIdentity);
  }, []);

  const zoomBy = useCallback((factor: number, around: number | null) => {
    const target = zoomTargetRef.current;
    const behaviour = zoomRef.current;
    if (!target || !behaviour) return;
    const point: [number, number] | undefined = around === null ? undefined : [around, 0];
    behaviour.scaleBy(select(target), factor, point);
  }, []);

  // Focus the node the keyboard moved to, once it is rendered (it may have just been panned into view).
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current = false;
    nodeRefs.current.get(focusIndex)?.focus({ preventScroll: true });
  }, [focusIndex, transform]);

  const moveFocus = (index: number): void => {
    const next = clampIndex(index, model.nodes.length);
    const node = model.nodes[next];
    if (!node) return;
    const screenX = xScale(xOf(node));
    const target = zoomTargetRef.current;
    const behaviour = zoomRef.current;
    if ((screenX < 0 || screenX > plotWidth) && target && behaviour) {
      behaviour.translateTo(select(target), baseScale(xOf(node)), (plotHeight + stripHeight) / 2);
    }
    pendingFocus.current = true;
    setFocusIndex(next);
    setTipIndex(next);
  };

  const onNodeKeyDown = (event: KeyboardEvent<SVGGElement>, node: TrajectoryNode): void => {
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        moveFocus(node.index + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        moveFocus(node.index - 1);
        break;
      case 'Home':
        moveFocus(0);
        break;
      case 'End':
        moveFocus(model.nodes.length - 1);
        break;
      case 'Enter':
      case ' ':
        onSelectEvent(node.index);
        break;
      case 'Escape':
        onSelectEvent(null);
        setTipIndex(null);
        break;
      case '+':
      case '=':
        zoomBy(2, xScale(xOf(node)));
        break;
      case '-':
        zoomBy(0.5, xScale(xOf(node)));
        break;
      case '0':
        resetZoom();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const visible = (x: number, pad = 12): boolean => x >= -pad && x <= plotWidth + pad;
  const radiusFor = (node: TrajectoryNode): number => {
    let slotPixels = Infinity;
    if (mode === 'sequence') slotPixels = Math.abs(xScale(1) - xScale(0));
    else if (model.resolution === 'day') {
      slotPixels = Math.abs(xScale((node.day + 1) * 86_400) - xScale(node.day * 86_400)) / node.slotCount;
    }
    return Math.max(2.5, Math.min(6, laneHeight * 0.32, slotPixels * 0.42));
  };

  const ticks = axisTicks(mode, model.resolution, [xScale.domain()[0]!, xScale.domain()[1]!], plotWidth);
  const zoomed = transform.k !== 1 || transform.x !== 0;
  const tipNode = tipIndex === null ? undefined : model.nodes[tipIndex];
  const resolution = model.resolution;
  const linkPath =
    model.links.length > 0 && model.links.length < 20_000
      ? model.nodes.map((node, i) => `${i === 0 ? 'M' : 'L'}${xScale(xOf(node)).toFixed(1)},${laneY(node.lane).toFixed(1)}`).join('')
      : null;

  return (
    <div className="trajectory-body">
      <div className="trajectory-zoom-bar">
        <span className="trajectory-zoom-hint">
          wheel/drag: zoom and pan · ←/→: move between events · Enter: select · +/−/0: zoom
        </span>
        <button type="button" onClick={resetZoom} disabled={!zoomed}>
          reset zoom
        </button>
      </div>
    <div className="trajectory-chart" ref={containerRef}>
      <svg
        className="trajectory-svg"
        width={size.width}
        height={svgHeight}
        role="group"
        aria-label={`${model.nodes.length} events of user ${model.userId}`}
      >
        <defs>
          <clipPath id={clipId}>
            <rect x={-2} y={-MARGIN.top} width={plotWidth + 4} height={svgHeight} />
          </clipPath>
        </defs>
        {/* Lane labels (outside the zoomed area). */}
        <g className="trajectory-lane-labels" transform={`translate(0,${MARGIN.top})`}>
          {model.lanes.map((lane) => (
            <text
              key={lane.key}
              x={MARGIN.left - 8}
              y={laneY(lane.index)}
              className={`trajectory-lane-label trajectory-lane-${lane.kind}`}
              textAnchor="end"
              dominantBaseline="middle"
            >
              <title>{`${lane.label}: ${lane.count} events`}</title>
              {truncate(lane.label, 20)}
            </text>
          ))}
          {model.paths.length > 0 ? (
            <text x={MARGIN.left - 8} y={plotHeight + PATH_HEADER / 2 + 2} className="trajectory-strip-caption" textAnchor="end" dominantBaseline="middle">
              counterfactual rollouts
            </text>
          ) : null}
          {model.paths.map((path, row) => (
            <text
              key={path.index}
              x={MARGIN.left - 8}
              y={plotHeight + PATH_HEADER + row * PATH_ROW + PATH_ROW / 2}
              className="trajectory-path-label"
              textAnchor="end"
              dominantBaseline="middle"
            >
              <title>{`${path.description}; P(conv) ${path.pConv.toFixed(2)}${path.convertedItem ? `; converts item ${path.convertedItem}` : ''}`}</title>
              {`${path.kind} · P(conv) ${formatPercent(path.pConv, 0)}`}
            </text>
          ))}
        </g>

        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          <g ref={zoomTargetRef} className="trajectory-zoom-target" clipPath={`url(#${clipId})`}>
            <rect className="trajectory-background" x={0} y={0} width={plotWidth} height={plotHeight + stripHeight} />

            {/* Day bands: alternate shading so the unordered same-day groups read as one block. */}
            {model.dayGroups.map((group) => {
              const x0 = xScale(mode === 'time' ? group.start : group.first - 0.5);
              const x1 = xScale(mode === 'time' ? group.end : group.last + 0.5);
              if (x1 < 0 || x0 > plotWidth) return null;
              return (
                <rect
                  key={group.day}
                  className={group.day % 2 === 0 ? 'trajectory-day trajectory-day-even' : 'trajectory-day trajectory-day-odd'}
                  x={x0}
                  y={0}
                  width={Math.max(0.5, x1 - x0)}
                  height={plotHeight}
                />
              );
            })}

            {/* Lane separators. */}
            {model.lanes.map((lane) => (
              <line
                key={lane.key}
                className="trajectory-lane-line"
                x1={0}
                x2={plotWidth}
                y1={(lane.index + 1) * laneHeight}
                y2={(lane.index + 1) * laneHeight}
              />
            ))}

            {/* Validation and target days. */}
            {model.marks.map((mark) => {
              const x0 = xScale(mode === 'time' ? mark.start : mark.seqStart);
              const x1 = xScale(mode === 'time' ? mark.end : mark.seqEnd);
              return (
                <g key={mark.kind} className={`trajectory-mark trajectory-mark-${mark.kind}`}>
                  <rect x={x0} y={0} width={Math.max(2, x1 - x0)} height={plotHeight + stripHeight} />
                  <title>{`${mark.label}: ${mark.iso}, ${mark.items.length} purchased item(s)`}</title>
                </g>
              );
            })}

            {linkPath ? <path className="trajectory-link" d={linkPath} /> : null}

            {/* Counterfactual branches after the intervention point. */}
            {model.paths.map((path, row) => {
              const rowY = plotHeight + PATH_HEADER + row * PATH_ROW + PATH_ROW / 2;
              const origin = path.originIndex === null ? undefined : model.nodes[path.originIndex];
              const first = path.steps[0];
              const ox = origin ? xScale(xOf(origin)) : xScale(domain[0]);
              const oy = origin ? laneY(origin.lane) : rowY;
              const sx = first ? xScale(xOf(first)) : ox + 20;
              const mid = (ox + sx) / 2;
              const stepPath = path.steps.map((step) => `L${xScale(xOf(step)).toFixed(1)},${rowY}`).join('');
              return (
                <g key={path.index} className={`trajectory-path trajectory-path-${path.kind}`}>
                  <title>{`${path.description}; P(conv) ${path.pConv.toFixed(2)}`}</title>
                  <path
                    className="trajectory-path-branch"
                    d={`M${ox.toFixed(1)},${oy.toFixed(1)}C${mid.toFixed(1)},${oy.toFixed(1)} ${mid.toFixed(1)},${rowY} ${sx.toFixed(1)},${rowY}${stepPath}`}
                  />
                  {origin && path.kind !== 'none' ? (
                    <circle className="trajectory-path-origin" cx={ox} cy={oy} r={radiusFor(origin) + 3} />
                  ) : null}
                  {path.steps.map((step) => (
                    <path
                      key={step.step}
                      className="trajectory-path-step"
                      d={actionShape(step.action, 4)}
                      transform={`translate(${xScale(xOf(step)).toFixed(1)},${rowY})`}
                      fill={step.color}
                    >
                      <title>{`step ${step.step}: ${ACTION_LABELS[step.action]} item ${step.item}`}</title>
                    </path>
                  ))}
                  {path.steps.length > 0 && xScale(xOf(path.steps[path.steps.length - 1]!)) + 90 < plotWidth ? (
                    <text
                      className="trajectory-path-pconv"
                      x={xScale(xOf(path.steps[path.steps.length - 1]!)) + 8}
                      y={rowY}
                      dominantBaseline="middle"
                    >
                      {`P(conv) ${path.pConv.toFixed(2)}`}
                    </text>
                  ) : null}
                </g>
              );
            })}

            {/* Events. Only the visible ones (and the focused one, for the roving tabindex) are rendered. */}
            {model.nodes.map((node) => {
              const x = xScale(xOf(node));
              if (!visible(x) && node.index !== focusIndex) return null;
              const r = radiusFor(node);
              const classes = ['trajectory-node'];
              if (node.index === eventIndex) classes.push('trajectory-node-selected');
              if (node.index === hoveredEventIndex) classes.push('trajectory-node-hovered');
              if (node.roleId === null && model.colorBy === 'role') classes.push('trajectory-node-norole');
              if (node.period === 'target') classes.push('trajectory-node-target');
              return (
                <g
                  key={node.index}
                  ref={(element) => {
                    if (element) nodeRefs.current.set(node.index, element);
                    else nodeRefs.current.delete(node.index);
                  }}
                  className={classes.join(' ')}
                  transform={`translate(${x.toFixed(2)},${laneY(node.lane).toFixed(2)})`}
                  data-testid="event-node"
                  data-index={node.index}
                  data-action={node.action}
                  data-role={node.roleId ?? undefined}
                  tabIndex={node.index === focusIndex ? 0 : -1}
                  role="button"
                  aria-pressed={node.index === eventIndex}
                  aria-label={nodeLabel(node, model)}
                  onClick={() => {
                    setFocusIndex(node.index);
                    onSelectEvent(node.index);
                  }}
                  onMouseEnter={() => {
                    setTipIndex(node.index);
                    onHoverEvent(node.index);
                  }}
                  onMouseLeave={() => {
                    setTipIndex((current) => (current === node.index ? null : current));
                    onHoverEvent(null);
                  }}
                  onFocus={() => {
                    setFocusIndex(node.index);
                    setTipIndex(node.index);
                    onHoverEvent(node.index);
                  }}
                  onBlur={() => {
                    setTipIndex((current) => (current === node.index ? null : current));
                    onHoverEvent(null);
                  }}
                  onKeyDown={(event) => onNodeKeyDown(event, node)}
                >
                  <circle className="trajectory-node-ring" r={r + 4} />
                  <path className="trajectory-node-shape" d={actionShape(node.action, r)} fill={node.color} />
                </g>
              );
            })}

            {/* Mark labels on top of everything in the plot. */}
            {model.marks.map((mark) => {
              const x0 = xScale(mode === 'time' ? mark.start : mark.seqStart);
              const x1 = xScale(mode === 'time' ? mark.end : mark.seqEnd);
              if (x1 < 0 || x0 > plotWidth) return null;
              const label = mark.kind === 'target' ? 'target day (hidden from input)' : 'validation day';
              const half = label.length * 3.3; // ~6.6 px per character at 11px
              const anchorX = Math.max(half, Math.min((x0 + x1) / 2, plotWidth - half));
              return (
                <text
                  key={mark.kind}
                  className={`trajectory-mark-label trajectory-mark-label-${mark.kind}`}
                  x={anchorX}
                  y={mark.kind === 'target' ? -19 : -6}
                  textAnchor="middle"
                >
                  {label}
                </text>
              );
            })}
          </g>
        </g>

        {/* x axis (React-rendered ticks from the d3 scale). */}
        <g className="trajectory-axis" transform={`translate(${MARGIN.left},${axisY})`}>
          <line x1={0} x2={plotWidth} y1={0} y2={0} />
          {ticks.map((tick) => {
            const x = xScale(tick.value);
            if (!visible(x, 0)) return null;
            return (
              <g key={`${tick.value}`} transform={`translate(${x.toFixed(1)},0)`}>
                {tick.centred ? null : <line y1={0} y2={5} />}
                <text y={16} textAnchor="middle">
                  {tick.label}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      {tipNode ? (
        <Tooltip
          node={tipNode}
          model={model}
          loaded={loaded}
          x={MARGIN.left + xScale(xOf(tipNode))}
          y={MARGIN.top + laneY(tipNode.lane)}
          width={size.width}
          resolution={resolution}
        />
      ) : null}
    </div>
    </div>
  );
}

interface TooltipProps {
  readonly node: TrajectoryNode;
  readonly model: TrajectoryModel;
  readonly loaded: LoadedSnapshot;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly resolution: TrajectoryModel['resolution'];
}

function Tooltip({ node, model, loaded, x, y, width, resolution }: TooltipProps): ReactElement {
  const facts = eventFacts({
    itemId: node.item,
    item: loaded.index.itemsById.get(node.item),
    action: node.action,
    time: node.time,
    resolution,
    roleLabel: node.roleLabel,
    confidence: node.confidence,
    evidence: node.evidence,
    intents: loaded.meta.intents,
  });
  const lane = model.lanes[node.lane];
  const flip = x > width * 0.6;
  const style = flip ? { right: width - x + 12, top: y + 12 } : { left: x + 12, top: y + 12 };
  return (
    <div className="trajectory-tooltip" role="tooltip" style={style} data-testid="trajectory-tooltip">
      <div className="trajectory-tooltip-title">
        Event {eventNumber(node.index)}
        {lane ? <span className="trajectory-tooltip-lane"> · {lane.label}</span> : null}
      </div>
      <dl>
        {facts.map((fact) => (
          <div key={fact.label} className="trajectory-tooltip-row">
            <dt>{fact.label}</dt>
            <dd>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {node.period === 'target' ? <div className="trajectory-tooltip-note">target day (hidden from input)</div> : null}
      {node.period === 'validation' ? <div className="trajectory-tooltip-note">validation day</div> : null}
    </div>
  );
}

function nodeLabel(node: TrajectoryNode, model: TrajectoryModel): string {
  const day = new Date(node.time * 1000).toISOString();
  const when = model.resolution === 'day' ? day.slice(0, 10) : `${day.slice(0, 10)} ${day.slice(11, 19)}`;
  const lane = model.lanes[node.lane]?.label ?? '';
  const role = node.roleLabel ? `, role ${node.roleLabel}` : '';
  const period = node.period === 'target' ? ', target day' : node.period === 'validation' ? ', validation day' : '';
  return `Event ${eventNumber(node.index)}: ${ACTION_LABELS[node.action]} item ${node.item}, ${when}, ${lane}${role}${period}`;
}

function clampIndex(index: number, count: number): number {
  return Math.max(0, Math.min(count - 1, index));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
