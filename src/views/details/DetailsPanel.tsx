/**
 * Details of the selected user (history stats, target and validation days), the selected event,
 * every model's top-10 for the user, and the reasoner's output. Every string is rendered as React text.
 */
import { useMemo, type ReactElement, type ReactNode } from 'react';
import type { CohortRow } from '../../domain/cohort';
import type { Reasoning, SnapshotUser } from '../../domain/snapshot';
import { useSelectionStore } from '../../state/selectionStore';
import { useSnapshotStore, type LoadedSnapshot } from '../../state/snapshotStore';
import { eventFacts, formatPercent, type Fact } from '../trajectory/format';
import { missingUserText } from '../userAvailability';
import { eventNumber } from '../trajectory/layout';
import {
  candidateRows,
  predictionsFor,
  provenanceLine,
  tagPurchaseDay,
  DETAILS_TOP_K,
  type TaggedItem,
} from './model';
import './DetailsPanel.css';

/** Store-connected view: what App renders. */
export function DetailsPanel(): ReactElement {
  const loaded = useSnapshotStore((s) => s.loaded);
  const userId = useSelectionStore((s) => s.userId);
  const eventIndex = useSelectionStore((s) => s.eventIndex);
  const selectEvent = useSelectionStore((s) => s.selectEvent);
  return <DetailsPanelView loaded={loaded} userId={userId} eventIndex={eventIndex} onSelectEvent={selectEvent} />;
}

export interface DetailsPanelViewProps {
  readonly loaded: LoadedSnapshot | null;
  readonly userId: string | null;
  readonly eventIndex: number | null;
  readonly onSelectEvent?: (index: number | null) => void;
}

/** Props-only view (testable without stores). */
export function DetailsPanelView({ loaded, userId, eventIndex, onSelectEvent }: DetailsPanelViewProps): ReactElement {
  const user = loaded && userId !== null ? loaded.index.usersById.get(userId) : undefined;
  const row = useMemo(
    () => (loaded && user ? loaded.rows.find((r) => r.id === user.id) : undefined),
    [loaded, user],
  );

  let body: ReactNode;
  if (!loaded) body = <p className="details-hint">Load a snapshot to see details.</p>;
  else if (userId === null) body = <p className="details-hint">Select a user in the cohort table.</p>;
  else if (!user) {
    const missing = missingUserText(loaded, userId);
    body = (
      <p className="details-hint" role={missing.failed ? 'alert' : undefined}>
        {missing.text}
      </p>
    );
  }
  else {
    const reasoning = loaded.index.reasoningByUser.get(user.id);
    body = (
      <>
        <UserSection user={user} row={row} loaded={loaded} />
        <EventSection user={user} loaded={loaded} reasoning={reasoning} eventIndex={eventIndex} onSelectEvent={onSelectEvent} />
        <PredictionsSection user={user} loaded={loaded} />
        {reasoning ? <ReasoningSection user={user} loaded={loaded} reasoning={reasoning} /> : null}
      </>
    );
  }
  return (
    <div className="details" data-testid="details-panel" role="region" aria-label="Details" tabIndex={0}>
      {body}
    </div>
  );
}

function UserSection({ user, row, loaded }: { user: SnapshotUser; row: CohortRow | undefined; loaded: LoadedSnapshot }): ReactElement {
  const itemsById = loaded.index.itemsById;
  const target = tagPurchaseDay(user, user.target, itemsById);
  const validation = tagPurchaseDay(user, user.validation, itemsById);
  return (
    <section className="details-section" aria-labelledby="details-user-heading">
      <h2 id="details-user-heading" className="details-heading">
        User <span className="details-id">{user.id}</span>{' '}
        <span className={`details-badge details-badge-${user.segment}`}>{user.segment}</span>
      </h2>
      <dl className="details-facts">
        <FactRow label="events" value={String(user.events.length)} />
        {row ? (
          <>
            <FactRow label="history events" value={`${row.historyEvents} (before the target day)`} />
            <FactRow label="purchases" value={String(row.purchases)} />
            <FactRow label="purchase rate" value={formatPercent(row.purchaseRate)} />
          </>
        ) : null}
        <FactRow label="target day" value={user.target ? `${user.target.day} (hidden from input)` : 'none (no purchase)'} />
        <FactRow label="validation day" value={user.validation ? user.validation.day : 'none'} />
      </dl>
      {target.length > 0 ? <TaggedItems caption="Target items" items={target} /> : null}
      {validation.length > 0 ? <TaggedItems caption="Validation items" items={validation} /> : null}
    </section>
  );
}

function TaggedItems({ caption, items }: { caption: string; items: readonly TaggedItem[] }): ReactElement {
  return (
    <div className="details-subsection">
      <h3 className="details-subheading">{caption}</h3>
      <ul className="details-items" data-testid={caption === 'Target items' ? 'details-target-items' : undefined}>
        {items.map((tagged) => (
          <li key={tagged.item}>
            <span className="details-item-id">{tagged.item}</span>
            {tagged.title ? <span className="details-item-title"> {tagged.title}</span> : null}{' '}
            <span className={tagged.seen ? 'details-tag details-tag-seen' : 'details-tag details-tag-new'}>
              {tagged.seen ? 'seen in history' : 'new'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface EventSectionProps {
  readonly user: SnapshotUser;
  readonly loaded: LoadedSnapshot;
  readonly reasoning: Reasoning | undefined;
  readonly eventIndex: number | null;
  readonly onSelectEvent: ((index: number | null) => void) | undefined;
}

function EventSection({ user, loaded, reasoning, eventIndex, onSelectEvent }: EventSectionProps): ReactElement {
  const event = eventIndex === null ? undefined : user.events[eventIndex];
  if (eventIndex === null || !event) {
    return (
      <section className="details-section" aria-label="Selected event">
        <h3 className="details-subheading">Selected event</h3>
        <p className="details-hint details-hint-inline">
          Click an event in the trajectory (or focus it and press Enter) to see it here.
        </p>
      </section>
    );
  }
  const role = reasoning?.roles[eventIndex];
  const roleDef = role ? loaded.meta.roleTaxonomy.find((r) => r.id === role.role) : undefined;
  const facts = eventFacts({
    itemId: event.item,
    item: loaded.index.itemsById.get(event.item),
    action: event.action,
    time: event.time,
    resolution: loaded.meta.dataset.resolution,
    roleLabel: role ? roleDef?.label ?? role.role : null,
    confidence: role?.confidence ?? null,
    evidence: role?.evidence ?? null,
    intents: loaded.meta.intents,
  });
  const targetDay = user.target?.day;
  const onTargetDay = targetDay !== undefined && new Date(event.time * 1000).toISOString().slice(0, 10) === targetDay;
  return (
    <section className="details-section" aria-label="Selected event" data-testid="details-event">
      <h3 className="details-subheading">
        Event {eventNumber(eventIndex)} of {user.events.length}
        {roleDef ? (
          <span className="details-role" style={{ borderColor: roleDef.color }}>
            <span className="details-swatch" style={{ background: roleDef.color }} aria-hidden="true" />
            {roleDef.label}
          </span>
        ) : null}
        {onSelectEvent ? (
          <button type="button" className="details-clear" onClick={() => onSelectEvent(null)}>
            clear
          </button>
        ) : null}
      </h3>
      {onTargetDay ? <p className="details-note">On the target day: hidden from every model's input.</p> : null}
      <FactList facts={facts} />
      {roleDef ? <p className="details-role-description">{roleDef.description}</p> : null}
    </section>
  );
}

function PredictionsSection({ user, loaded }: { user: SnapshotUser; loaded: LoadedSnapshot }): ReactElement | null {
  const models = predictionsFor(
    user.id,
    loaded.meta.predictionModels,
    loaded.index.predictionsByModel,
    user.target?.items ?? [],
    loaded.index.itemsById,
  );
  if (models.length === 0) return null;
  return (
    <section className="details-section" aria-labelledby="details-predictions-heading">
      <h3 id="details-predictions-heading" className="details-subheading">
        Predictions (top {DETAILS_TOP_K})
      </h3>
      <div className="details-models">
        {models.map((model) => (
          <div key={model.model} className="details-model" data-testid="details-model">
            <div className="details-model-name" title={model.description ?? undefined}>
              {model.model}
              {model.rows && model.targets > 0 ? (
                <span className="details-model-hits">
                  {' '}
                  · {model.hits}/{model.targets} target{model.targets === 1 ? '' : 's'} hit
                </span>
              ) : null}
            </div>
            {model.rows === null ? (
              <p className="details-hint details-hint-inline">No list for this user.</p>
            ) : (
              <ol className="details-ranked">
                {model.rows.map((row) => (
                  <li key={`${row.rank}`} className={row.hit ? 'details-hit' : undefined}>
                    <span className="details-rank">{row.rank}.</span>
                    <span className="details-item-id">{row.item}</span>
                    {row.title ? <span className="details-item-title"> {row.title}</span> : null}
                    {row.score !== null ? <span className="details-score">{formatScore(row.score)}</span> : null}
                    {row.hit ? <span className="details-tag details-tag-hit">target hit</span> : null}
                  </li>
                ))}
              </ol>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

function ReasoningSection({ user, loaded, reasoning }: { user: SnapshotUser; loaded: LoadedSnapshot; reasoning: Reasoning }): ReactElement {
  const candidates = candidateRows(reasoning, loaded.meta.roleTaxonomy, user.target?.items ?? [], loaded.index.itemsById);
  return (
    <section className="details-section" aria-labelledby="details-reasoning-heading">
      <h3 id="details-reasoning-heading" className="details-subheading">
        Reasoning
      </h3>
      <p className="details-provenance">{provenanceLine(reasoning)}</p>
      {candidates.length > 0 ? (
        <table className="details-table">
          <caption>Reasoned candidates</caption>
          <thead>
            <tr>
              <th scope="col">item</th>
              <th scope="col">role</th>
              <th scope="col" className="details-num">score</th>
              <th scope="col" className="details-num">P(conv)</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((candidate, i) => (
              <tr key={`${candidate.item}-${i}`} className={candidate.hit ? 'details-hit' : undefined}>
                <td>
                  <span className="details-item-id">{candidate.item}</span>
                  {candidate.title ? <span className="details-item-title"> {candidate.title}</span> : null}
                  {candidate.hit ? <span className="details-tag details-tag-hit">target hit</span> : null}
                </td>
                <td>
                  {candidate.roleLabel ? (
                    <>
                      {candidate.roleColor ? (
                        <span className="details-swatch" style={{ background: candidate.roleColor }} aria-hidden="true" />
                      ) : null}
                      {candidate.roleLabel}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="details-num">{formatScore(candidate.score)}</td>
                <td className="details-num">{candidate.pConv === null ? '—' : candidate.pConv.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="details-hint details-hint-inline">No reasoned candidates.</p>
      )}
      {reasoning.paths.length > 0 ? (
        <div className="details-subsection">
          <h4 className="details-minorheading">Counterfactual paths</h4>
          <ul className="details-paths">
            {reasoning.paths.map((path, i) => (
              <li key={i}>
                <span className="details-path-kind">{path.intervention.kind}</span>{' '}
                {describePath(path.intervention, user.events.length)} → P(conv) {path.pConv.toFixed(2)}
                {path.convertedItem ? `, converts item ${path.convertedItem}` : ''}
                <span className="details-path-steps"> ({path.events.length} generated step{path.events.length === 1 ? '' : 's'})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function describePath(intervention: Reasoning['paths'][number]['intervention'], eventCount: number): string {
  const at = intervention.at;
  const where = at < 0 ? 'at the start' : at < eventCount ? `event ${eventNumber(at)}` : `after event ${eventNumber(at)}`;
  switch (intervention.kind) {
    case 'insert':
      return at < 0 ? `item ${intervention.item ?? '?'} at the start` : `item ${intervention.item ?? '?'} after event ${eventNumber(at)}`;
    case 'remove':
      return where;
    case 'replace':
      return `${where} with item ${intervention.item ?? '?'}`;
    case 'none':
      return 'as observed';
  }
}

function FactList({ facts }: { facts: readonly Fact[] }): ReactElement {
  return (
    <dl className="details-facts">
      {facts.map((fact) => (
        <FactRow key={fact.label} label={fact.label} value={fact.value} />
      ))}
    </dl>
  );
}

function FactRow({ label, value }: { label: string; value: string }): ReactElement {
  return (
    <div className="details-fact">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function formatScore(score: number): string {
  return Math.abs(score) >= 100 ? score.toFixed(0) : score.toFixed(3);
}
