import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_TAXONOMY } from '../../src/domain/roles';
import type { Reasoning, SnapshotItem, SnapshotUser } from '../../src/domain/snapshot';
import {
  ACTION_COLORS,
  NO_ROLE_COLOR,
  buildTrajectory,
  categoryLabel,
  type TrajectoryInput,
} from '../../src/views/trajectory/layout';
import { axisTicks } from '../../src/views/trajectory/axis';
import { eventFacts } from '../../src/views/trajectory/format';
import { DAY, ITEMS, U1, day, u1Snapshot } from './fixtures';

const snapshot = u1Snapshot();
const user = snapshot.users[0]!;
const itemsById = new Map(snapshot.items.map((item) => [item.id, item]));

function input(overrides: Partial<TrajectoryInput> = {}): TrajectoryInput {
  return {
    user,
    itemsById,
    roleTaxonomy: DEFAULT_ROLE_TAXONOMY,
    intents: [],
    resolution: 'day',
    ...overrides,
  };
}

function reasoningFor(u: SnapshotUser, roles: Reasoning['roles'], paths: Reasoning['paths'] = []): Reasoning {
  return {
    user: u.id,
    roles,
    intentEvolution: [],
    paths,
    candidates: [],
    provenance: { reasoner: 'counterfactual', seed: 1, params: {} },
  };
}

describe('buildTrajectory: lanes', () => {
  it('uses the finest category, labelled "cat N", in order of first appearance', () => {
    const model = buildTrajectory(input());
    expect(model.laneBasis).toBe('category');
    expect(model.lanes.map((l) => l.label)).toEqual(['cat 327', 'cat 500', 'cat 900', 'cat 901']);
    expect(model.lanes.map((l) => l.count)).toEqual([5, 1, 1, 1]);
    expect(model.nodes.map((n) => n.lane)).toEqual([0, 1, 0, 0, 0, 2, 0, 3]);
  });

  it('keeps readable category codes as they are', () => {
    expect(categoryLabel('appliances.kitchen.kettle')).toBe('appliances.kitchen.kettle');
    expect(categoryLabel('327')).toBe('cat 327');
  });

  it('prefers intent clusters (with the snapshot labels) when items carry them', () => {
    const withIntents = new Map<string, SnapshotItem>(
      ITEMS.map((item) => [item.id, { ...item, ...(item.id === 'i2' ? {} : { intent: item.id === 'i4' ? 7 : 3 }) }]),
    );
    const model = buildTrajectory(input({ itemsById: withIntents, intents: [{ id: 3, label: 'kitchen' }] }));
    expect(model.laneBasis).toBe('intent');
    expect(model.lanes.map((l) => [l.label, l.kind])).toEqual([
      ['kitchen', 'intent'],
      ['no intent', 'unknown'],
      ['intent 7', 'intent'],
    ]);
  });

  it('falls back to one lane when items have neither intent nor category', () => {
    const model = buildTrajectory(input({ itemsById: new Map() }));
    expect(model.laneBasis).toBe('single');
    expect(model.lanes).toHaveLength(1);
    expect(model.nodes.every((n) => n.lane === 0)).toBe(true);
  });

  it('caps the lanes: the most used keep a lane, the rest share "other"', () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ item: `x${i}`, action: 'click' as const, time: day(i) }));
    // x0 appears three more times, so it must keep its lane.
    events.push(...[0, 0, 0].map((_, k) => ({ item: 'x0', action: 'click' as const, time: day(30 + k) })));
    const items = new Map<string, SnapshotItem>(events.map((e) => [e.item, { id: e.item, categories: [e.item.slice(1)] }]));
    const many: SnapshotUser = { id: 'm', segment: 'short', events };
    const model = buildTrajectory(input({ user: many, itemsById: items, maxLanes: 20 }));
    expect(model.lanes).toHaveLength(20);
    const other = model.lanes.at(-1)!;
    expect(other.kind).toBe('other');
    expect(other.grouped).toBe(11);
    expect(other.count).toBe(11);
    expect(model.lanes[0]!.label).toBe('cat 0');
    expect(model.lanes[0]!.count).toBe(4);
    expect(model.nodes.filter((n) => n.lane === other.index)).toHaveLength(11);
  });
});

describe('buildTrajectory: time at day resolution', () => {
  const model = buildTrajectory(input());

  it('lays same-day events side by side in file order, inside their day band', () => {
    const day0 = model.nodes.slice(0, 3);
    expect(day0.map((n) => n.slot)).toEqual([0, 1, 2]);
    expect(day0.every((n) => n.slotCount === 3)).toBe(true);
    expect(day0.map((n) => n.xTime)).toEqual([day(0) + DAY / 6, day(0) + DAY / 2, day(0) + (5 * DAY) / 6]);
    expect(model.nodes[3]!.slotCount).toBe(1);
    expect(model.nodes[3]!.xTime).toBe(day(1) + DAY / 2);
    for (const node of model.nodes) {
      expect(node.xTime).toBeGreaterThan(node.day * DAY);
      expect(node.xTime).toBeLessThan((node.day + 1) * DAY);
    }
  });

  it('draws no line between events at day resolution (same-day order is unknown)', () => {
    expect(model.links).toEqual([]);
  });

  it('groups events by day and keeps the event index as the sequence position', () => {
    expect(model.dayGroups.map((g) => [g.iso, g.first, g.last, g.count])).toEqual([
      ['2014-06-01', 0, 2, 3],
      ['2014-06-02', 3, 3, 1],
      ['2014-06-03', 4, 4, 1],
      ['2014-06-05', 5, 7, 3],
    ]);
    expect(model.nodes.map((n) => n.xSeq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('marks the validation and target days; target-day events are flagged', () => {
    expect(model.marks.map((m) => [m.kind, m.iso, m.seqStart, m.seqEnd])).toEqual([
      ['validation', '2014-06-03', 3.5, 4.5],
      ['target', '2014-06-05', 4.5, 7.5],
    ]);
    expect(model.marks[1]!.label).toBe('target day (hidden from input)');
    expect(model.nodes.map((n) => n.period)).toEqual([
      'history', 'history', 'history', 'history', 'validation', 'target', 'target', 'target',
    ]);
    expect(model.inputEnd).toBe(5);
    expect(model.timeDomain).toEqual([day(0), day(5)]);
  });

  it('colours by action without reasoning, with an action legend', () => {
    expect(model.colorBy).toBe('action');
    expect(model.nodes.map((n) => n.color)).toEqual(U1.events.map((e) => ACTION_COLORS[e.action]));
    expect(model.legend.map((l) => l.key)).toEqual(['click', 'fav', 'cart', 'buy']);
    expect(model.nodes.every((n) => n.roleId === null)).toBe(true);
  });
});

describe('buildTrajectory: second resolution', () => {
  it('uses real time and links consecutive events', () => {
    const u: SnapshotUser = {
      id: 's',
      segment: 'short',
      events: [
        { item: 'i1', action: 'click', time: day(0) + 10 },
        { item: 'i1', action: 'click', time: day(0) + 70 },
        { item: 'i2', action: 'cart', time: day(0) + 400 },
      ],
    };
    const model = buildTrajectory(input({ user: u, resolution: 'second' }));
    expect(model.nodes.map((n) => n.xTime)).toEqual([day(0) + 10, day(0) + 70, day(0) + 400]);
    expect(model.nodes.map((n) => [n.slot, n.slotCount])).toEqual([[0, 1], [0, 1], [0, 1]]);
    expect(model.links).toEqual([[0, 1], [1, 2]]);
    expect(model.timeDomain[0]).toBeLessThan(day(0) + 10);
    expect(model.timeDomain[1]).toBeGreaterThan(day(0) + 400);
  });
});

describe('buildTrajectory: role reasoning', () => {
  const roles: Reasoning['roles'] = [
    { role: 'trigger', confidence: 0.8, evidence: { iv: 0.1, ie: 0.25, intentBefore: 1, intentAfter: 3 } },
    { role: 'distractor', confidence: 0.6 },
    { role: 'explorer', confidence: 0.5 },
    { role: 'comparator', confidence: 0.7 },
    { role: 'converter', confidence: 0.9 },
  ];
  const model = buildTrajectory(input({ reasoning: reasoningFor(user, roles) }));

  it('colours nodes by role, from the snapshot taxonomy', () => {
    expect(model.colorBy).toBe('role');
    expect(model.nodes.slice(0, 5).map((n) => n.roleId)).toEqual(['trigger', 'distractor', 'explorer', 'comparator', 'converter']);
    expect(model.nodes[0]!.color).toBe('#ff7f0e');
    expect(model.nodes[0]!.roleLabel).toBe('Trigger');
    expect(model.nodes[0]!.evidence).toEqual({ iv: 0.1, ie: 0.25, intentBefore: 1, intentAfter: 3 });
    expect(model.nodes[4]!.color).toBe('#d62728');
  });

  it('leaves events beyond the reasoner input without a role, and says so in the legend', () => {
    expect(model.nodes.slice(5).every((n) => n.roleId === null && n.color === NO_ROLE_COLOR)).toBe(true);
    expect(model.legend.map((l) => l.key)).toEqual([...DEFAULT_ROLE_TAXONOMY.map((r) => r.id), 'no-role']);
  });

  it('shows the role and its evidence as text facts', () => {
    const node = model.nodes[0]!;
    const facts = eventFacts({
      itemId: node.item,
      item: itemsById.get(node.item),
      action: node.action,
      time: node.time,
      resolution: 'day',
      roleLabel: node.roleLabel,
      confidence: node.confidence,
      evidence: node.evidence,
      intents: [{ id: 3, label: 'kitchen' }],
    });
    expect(facts).toEqual([
      { label: 'item', value: 'i1' },
      { label: 'title', value: 'Kettle <b>steel</b>' },
      { label: 'category', value: 'cat 1 › cat 327' },
      { label: 'brand', value: 'b1' },
      { label: 'price', value: '9.50' },
      { label: 'action', value: 'click' },
      { label: 'time', value: '2014-06-01 (day resolution)' },
      { label: 'role', value: 'Trigger (confidence 0.80)' },
      { label: 'intrinsic value (IV)', value: '0.100' },
      { label: 'instrumental effect (IE)', value: '+0.250' },
      { label: 'intent', value: 'intent 1 → kitchen' },
    ]);
  });

  it('turns counterfactual paths into branches after the intervention point', () => {
    const withPaths = buildTrajectory(
      input({
        reasoning: reasoningFor(user, roles, [
          {
            intervention: { kind: 'insert', at: 3, item: 'i9' },
            events: [
              { item: 'i9', action: 'click', step: 1 },
              { item: 'i5', action: 'buy', step: 2 },
            ],
            pConv: 0.42,
            convertedItem: 'i5',
          },
          { intervention: { kind: 'remove', at: -1 }, events: [], pConv: 0.1 },
        ]),
      }),
    );
    expect(withPaths.paths).toHaveLength(2);
    const [insert, remove] = withPaths.paths;
    expect(insert!.originIndex).toBe(3);
    expect(insert!.description).toBe('insert item i9 after event #4');
    expect(insert!.steps.map((s) => s.xSeq)).toEqual([5, 6]);
    // Rollouts fill the target day (the future the input stops before).
    expect(insert!.steps.map((s) => s.xTime)).toEqual([day(4) + DAY / 4, day(4) + (3 * DAY) / 4]);
    expect(insert!.pConv).toBe(0.42);
    expect(remove!.originIndex).toBeNull();
    expect(withPaths.seqDomain[1]).toBeGreaterThanOrEqual(7.5);
  });
});

describe('buildTrajectory: edge cases', () => {
  it('copes with a user without events', () => {
    const empty: SnapshotUser = { id: 'e', segment: 'short', events: [] };
    const model = buildTrajectory(input({ user: empty }));
    expect(model.nodes).toEqual([]);
    expect(model.lanes).toHaveLength(1);
    expect(model.timeDomain[1]).toBeGreaterThan(model.timeDomain[0]);
  });

  it('slots same-day events even when the file is not time-ordered', () => {
    const u: SnapshotUser = {
      id: 'x',
      segment: 'short',
      events: [
        { item: 'i1', action: 'click', time: day(1) },
        { item: 'i2', action: 'click', time: day(0) },
        { item: 'i3', action: 'click', time: day(1) },
      ],
    };
    const model = buildTrajectory(input({ user: u }));
    expect(model.nodes.map((n) => [n.slot, n.slotCount])).toEqual([[0, 2], [0, 1], [1, 2]]);
    expect(model.dayGroups.map((g) => g.count)).toEqual([1, 2]);
  });
});

describe('axisTicks', () => {
  it('never shows sub-day ticks at day resolution', () => {
    const ticks = axisTicks('time', 'day', [day(0), day(30)], 400);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.every((t) => t.value % DAY === 0)).toBe(true);
  });

  it('centres one label per day when zoomed in at day resolution', () => {
    const ticks = axisTicks('time', 'day', [day(0), day(3)], 600);
    expect(ticks.map((t) => t.label)).toEqual(['Jun 01', 'Jun 02', 'Jun 03']);
    expect(ticks.every((t) => t.centred)).toBe(true);
  });

  it('labels sequence ticks with 1-based event numbers', () => {
    const ticks = axisTicks('sequence', 'day', [-0.5, 9.5], 500);
    expect(ticks.every((t) => Number.isInteger(t.value))).toBe(true);
    expect(ticks[0]).toEqual({ value: 0, label: '#1' });
  });
});
