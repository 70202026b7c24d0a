/** Plain-text facts about items and events, shared by the trajectory tooltip and the details panel. Pure. */
import type { Action, TimeResolution } from '../../domain/events';
import type { EventRole, SnapshotItem } from '../../domain/snapshot';
import { ACTION_LABELS, categoryLabel, intentLabel, type IntentCluster } from './layout';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export function formatEventTime(time: number, resolution: TimeResolution): string {
  const iso = new Date(time * 1000).toISOString();
  return resolution === 'day' ? `${iso.slice(0, 10)} (day resolution)` : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function formatPrice(price: number): string {
  return Number.isInteger(price) ? String(price) : price.toFixed(2);
}

/** Signed, with `digits` significant digits: instrumental effects are often around 1e-4, where fixed decimals show -0.000. */
export function formatSigned(value: number, digits = 3): string {
  const text = value === 0 ? '0' : Math.abs(value) < 1e-3 ? value.toExponential(digits - 1) : value.toPrecision(digits);
  return value > 0 ? `+${text}` : text;
}

/** A probability with `digits` significant digits, for the same reason. */
export function formatProbability(value: number, digits = 3): string {
  return value !== 0 && value < 1e-3 ? value.toExponential(digits - 1) : value.toPrecision(digits);
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatCategories(categories: readonly string[]): string {
  return categories.map(categoryLabel).join(' › ');
}

/** Item attributes that are present, in a fixed order. The id is always first. */
export function itemFacts(itemId: string, item: SnapshotItem | undefined): Fact[] {
  const facts: Fact[] = [{ label: 'item', value: itemId }];
  if (!item) {
    facts.push({ label: 'note', value: 'not in the snapshot item table' });
    return facts;
  }
  if (item.title) facts.push({ label: 'title', value: item.title });
  if (item.categories && item.categories.length > 0) facts.push({ label: 'category', value: formatCategories(item.categories) });
  if (item.brand) facts.push({ label: 'brand', value: item.brand });
  if (item.price !== undefined) facts.push({ label: 'price', value: formatPrice(item.price) });
  if (item.sid && item.sid.length > 0) facts.push({ label: 'SID', value: item.sid.join('-') });
  return facts;
}

export interface EventFactsInput {
  readonly itemId: string;
  readonly item: SnapshotItem | undefined;
  readonly action: Action;
  readonly time: number;
  readonly resolution: TimeResolution;
  readonly roleLabel: string | null;
  readonly confidence: number | null;
  readonly evidence: EventRole['evidence'] | null;
  readonly intents: readonly IntentCluster[];
}

export function roleFacts(
  roleLabel: string | null,
  confidence: number | null,
  evidence: EventRole['evidence'] | null,
  intents: readonly IntentCluster[],
): Fact[] {
  const facts: Fact[] = [];
  if (roleLabel !== null) {
    facts.push({ label: 'role', value: confidence === null ? roleLabel : `${roleLabel} (confidence ${confidence.toFixed(2)})` });
  }
  if (evidence) {
    if (evidence.iv !== undefined) facts.push({ label: 'intrinsic value (IV)', value: formatProbability(evidence.iv) });
    if (evidence.ie !== undefined) facts.push({ label: 'instrumental effect (IE)', value: formatSigned(evidence.ie) });
    if (evidence.intentBefore !== undefined || evidence.intentAfter !== undefined) {
      const before = evidence.intentBefore === undefined ? '?' : intentLabel(evidence.intentBefore, intents);
      const after = evidence.intentAfter === undefined ? '?' : intentLabel(evidence.intentAfter, intents);
      facts.push({ label: 'intent', value: `${before} → ${after}` });
    }
  }
  return facts;
}

export function eventFacts(input: EventFactsInput): Fact[] {
  return [
    ...itemFacts(input.itemId, input.item),
    { label: 'action', value: ACTION_LABELS[input.action] },
    { label: 'time', value: formatEventTime(input.time, input.resolution) },
    ...roleFacts(input.roleLabel, input.confidence, input.evidence, input.intents),
  ];
}
