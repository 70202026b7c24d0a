import { describe, expect, it } from 'vitest';
import { assignRoles, type EventEvidence } from '../../src/engines/reasoner/roles';

/** Kettles (intent 1) convert; tea (intent 2) co-converts with kettles; socks (intent 3) are noise. */
const context = { targetItem: 'kettle-red', targetIntent: 1, complementIntents: new Set([2]) };

function ev(item: string, intent: number, action: EventEvidence['action'], extra: Partial<EventEvidence> = {}): EventEvidence {
  return { item, intent, action, ie: 0, targetIntentBefore: 0.1, targetIntentAfter: 0.1, ...extra };
}

describe('assignRoles on hand-built trajectories', () => {
  const trajectory: EventEvidence[] = [
    ev('socks', 3, 'click'), // nothing instrumental, no move toward kettles
    ev('kettle-blue', 1, 'click', { ie: 0.05, targetIntentBefore: 0.1, targetIntentAfter: 0.4 }), // opens the kettle episode
    ev('kettle-steel', 1, 'click', { ie: 0.001, targetIntentBefore: 0.4, targetIntentAfter: 0.45 }), // same cluster, other item
    ev('tea', 2, 'click'), // complement cluster
    ev('mug', 4, 'click', { targetIntentBefore: 0.45, targetIntentAfter: 0.6 }), // moves intent toward kettles
    ev('kettle-red', 1, 'cart'),
    ev('kettle-red', 1, 'buy'),
  ];
  const roles = assignRoles(trajectory, context).map((r) => r.role);

  it('finds the trigger that opens the converting intent', () => expect(roles[1]).toBe('trigger'));
  it('finds a comparator in the converting cluster', () => expect(roles[2]).toBe('comparator'));
  it('finds the complement', () => expect(roles[3]).toBe('complement'));
  it('finds the explorer', () => expect(roles[4]).toBe('explorer'));
  it('marks the cart of the bought item and the purchase as converters', () => {
    expect(roles[5]).toBe('converter');
    expect(roles[6]).toBe('converter');
  });
  it('finds the distractor', () => expect(roles[0]).toBe('distractor'));

  it('gives confidences in [0, 1], highest for the purchase', () => {
    const all = assignRoles(trajectory, context);
    for (const r of all) expect(r.confidence).toBeGreaterThanOrEqual(0), expect(r.confidence).toBeLessThanOrEqual(1);
    expect(all[6]!.confidence).toBe(1);
  });

  it('a new episode without instrumental effect is not a trigger', () => {
    const quiet = assignRoles([ev('socks', 3, 'click'), ev('hat', 5, 'click', { ie: 0.0001 })], context);
    expect(quiet[1]!.role).toBe('distractor');
  });
});
