/** Server-rendered smoke tests of the three views (props-only variants; no DOM needed). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { cohortRow, type CohortRow } from '../../src/domain/cohort';
import type { Reasoning } from '../../src/domain/snapshot';
import { CohortTable, CohortTableView } from '../../src/views/cohort/CohortTable';
import { DetailsPanel, DetailsPanelView } from '../../src/views/details/DetailsPanel';
import { TrajectoryPanel, TrajectoryView } from '../../src/views/trajectory/TrajectoryView';
import { loaded, u1Snapshot } from './fixtures';

const noop = (): void => {};

const reasoning: Reasoning = {
  user: 'u1',
  roles: [
    { role: 'trigger', confidence: 0.8, evidence: { iv: 0.1, ie: 0.25 } },
    { role: 'distractor', confidence: 0.6 },
    { role: 'explorer', confidence: 0.5 },
    { role: 'comparator', confidence: 0.7 },
    { role: 'converter', confidence: 0.9 },
  ],
  intentEvolution: [],
  paths: [
    {
      intervention: { kind: 'insert', at: 3, item: 'i9' },
      events: [
        { item: 'i9', action: 'click', step: 1 },
        { item: 'i5', action: 'buy', step: 2 },
      ],
      pConv: 0.42,
      convertedItem: 'i5',
    },
  ],
  candidates: [{ item: 'i5', score: 0.9, role: 'trigger', path: 0 }],
  provenance: { reasoner: 'counterfactual', seed: 1, params: {} },
};

const plain = loaded(u1Snapshot());
const rich = loaded(
  u1Snapshot({
    reasoning: [reasoning],
    predictions: [{ model: 'popularity', lists: [{ user: 'u1', items: ['i5', 'i1'], scores: [2, 1] }] }],
  }),
);

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

describe('store-connected views with nothing loaded', () => {
  it('render a short hint and fill their box', () => {
    expect(renderToStaticMarkup(createElement(CohortTable))).toContain('Load a snapshot');
    expect(renderToStaticMarkup(createElement(TrajectoryView))).toContain('Load a snapshot');
    const details = renderToStaticMarkup(createElement(DetailsPanel));
    expect(details).toContain('data-testid="details-panel"');
    expect(details).toContain('Load a snapshot');
  });
});

describe('CohortTableView', () => {
  it('renders rows with test ids, the selection and the count line', () => {
    const html = renderToStaticMarkup(createElement(CohortTableView, { rows: plain.rows, selectedId: 'u1', onSelect: noop }));
    expect(count(html, 'data-testid="cohort-row"')).toBe(1);
    expect(html).toContain('data-user-id="u1"');
    expect(html).toContain('aria-selected="true"');
    expect(html).toContain('1 of 1 users');
    expect(html).toContain('aria-sort="descending"');
  });

  it('renders only a window of 100,000 rows', () => {
    const template = plain.rows[0]!;
    const rows: CohortRow[] = Array.from({ length: 100_000 }, (_, i) => ({ ...template, id: `user-${i}`, events: i }));
    const html = renderToStaticMarkup(createElement(CohortTableView, { rows, selectedId: null, onSelect: noop }));
    const rendered = count(html, 'data-testid="cohort-row"');
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(html).toContain('100,000 of 100,000 users');
    expect(html).toContain(`height:${100_000 * 28}px`);
  });

  it('uses cohortRow rows from the store shape', () => {
    expect(cohortRow(u1Snapshot().users[0]!).targetItems).toBe(2);
  });
});

describe('TrajectoryPanel', () => {
  const props = { eventIndex: null, hoveredEventIndex: null, onSelectEvent: noop, onHoverEvent: noop };

  it('asks for a user when none is selected', () => {
    const html = renderToStaticMarkup(createElement(TrajectoryPanel, { ...props, loaded: plain, userId: null }));
    expect(html).toContain('Select a user');
  });

  it('renders one focusable node per event, with a roving tabindex', () => {
    const html = renderToStaticMarkup(createElement(TrajectoryPanel, { ...props, loaded: plain, userId: 'u1', eventIndex: 2 }));
    expect(count(html, 'data-testid="event-node"')).toBe(8);
    expect(html).toContain('data-index="7"');
    expect(html).toContain('data-action="fav"');
    expect(count(html, 'tabindex="0"')).toBe(1);
    expect(html).toMatch(/data-index="2"[^>]*tabindex="0"/);
    expect(html).toContain('target day (hidden from input)');
    expect(html).toContain('validation day');
    // Day resolution: same-day events are not joined by a line.
    expect(html).not.toContain('trajectory-link');
  });

  it('colours by role and draws counterfactual branches when reasoning is present', () => {
    const html = renderToStaticMarkup(createElement(TrajectoryPanel, { ...props, loaded: rich, userId: 'u1' }));
    expect(html).toContain('data-role="trigger"');
    expect(html).toContain('role:');
    expect(html).toContain('Converter');
    expect(html).toContain('P(conv) 0.42');
    expect(count(html, 'trajectory-path-step')).toBe(2);
  });
});

describe('DetailsPanelView', () => {
  it('shows the user, tagged target items and the selected event as text', () => {
    const html = renderToStaticMarkup(createElement(DetailsPanelView, { loaded: plain, userId: 'u1', eventIndex: 0 }));
    expect(html).toContain('data-testid="details-panel"');
    expect(html).toContain('2014-06-05');
    expect(html).toContain('seen in history');
    expect(html).toContain('>new<');
    // Item strings are text, never markup.
    expect(html).toContain('Kettle &lt;b&gt;steel&lt;/b&gt;');
    expect(html).not.toContain('<b>steel</b>');
  });

  it('shows predictions with hits and reasoning candidates', () => {
    const html = renderToStaticMarkup(createElement(DetailsPanelView, { loaded: rich, userId: 'u1', eventIndex: 0 }));
    expect(html).toContain('popularity');
    expect(html).toContain('1/2 targets hit');
    expect(html).toContain('Reasoned candidates');
    expect(html).toContain('Trigger');
    expect(html).toContain('instrumental effect (IE)');
  });

  it('asks for a user when none is selected', () => {
    const html = renderToStaticMarkup(createElement(DetailsPanelView, { loaded: plain, userId: null, eventIndex: null }));
    expect(html).toContain('Select a user');
  });
});
