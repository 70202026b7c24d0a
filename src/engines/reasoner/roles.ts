/**
 * Functional roles from evidence (DESIGN.md "Evidence and roles"), as a pure function so the rules can be tested on
 * hand-built trajectories. The taxonomy's ids are data; these rules produce the default six.
 */
import type { Action } from '../../domain/events';

export interface RoleParams {
  /** |IE| above this is instrumental (trigger); at or below, with no move toward the target, a distractor. */
  readonly theta: number;
  /** A rise of P(target intent) above this counts as moving toward the target. */
  readonly moveEpsilon: number;
  /** The conversion episode is broken by more than this many events outside the target's cluster. */
  readonly episodeGap: number;
}

export const DEFAULT_ROLE_PARAMS: RoleParams = { theta: 0.002, moveEpsilon: 0.01, episodeGap: 5 };

export interface EventEvidence {
  readonly item: string;
  readonly action: Action;
  /** Intent cluster (SID level 1) of the item. */
  readonly intent: number;
  /** Intrinsic value: the backbone's probability of this item as the next event before it happened. */
  readonly iv?: number;
  /** Instrumental effect: P(target | trajectory) - P(target | trajectory without this event). */
  readonly ie?: number;
  /** P(target intent) in the backbone's intent distribution before and after this event. */
  readonly targetIntentBefore?: number;
  readonly targetIntentAfter?: number;
}

export interface RoleContext {
  /** The conversion the roles explain: the target item and its intent cluster. */
  readonly targetItem: string;
  readonly targetIntent: number;
  /** Clusters that co-convert with the target's (positive PMI in purchase baskets). */
  readonly complementIntents: ReadonlySet<number>;
}

export interface AssignedRole {
  readonly role: 'converter' | 'trigger' | 'explorer' | 'comparator' | 'complement' | 'distractor';
  readonly confidence: number;
}

export function assignRoles(events: readonly EventEvidence[], context: RoleContext, params: RoleParams = DEFAULT_ROLE_PARAMS): AssignedRole[] {
  const boughtLater = itemsBoughtLater(events);
  const finalEpisodeStart = conversionEpisodeStart(events, context.targetIntent, params.episodeGap);
  return events.map((event, t) => {
    const ie = event.ie ?? 0;
    const moved = (event.targetIntentAfter ?? 0) - (event.targetIntentBefore ?? 0);
    const opens = t === 0 || events[t - 1]!.intent !== event.intent;
    const strength = (x: number, scale: number) => Math.min(1, 0.5 + Math.abs(x) / (2 * scale));

    if (event.action === 'buy' || ((event.action === 'cart' || event.action === 'fav') && boughtLater[t])) {
      return { role: 'converter', confidence: event.action === 'buy' ? 1 : 0.8 };
    }
    if (event.item === context.targetItem && event.action !== 'click') return { role: 'converter', confidence: 0.6 };
    if (opens && ie > params.theta) return { role: 'trigger', confidence: strength(ie, params.theta * 4) };
    if (event.intent === context.targetIntent && event.item !== context.targetItem && t >= finalEpisodeStart) {
      return { role: 'comparator', confidence: 0.7 };
    }
    if (context.complementIntents.has(event.intent)) return { role: 'complement', confidence: 0.6 };
    if (moved > params.moveEpsilon) return { role: 'explorer', confidence: strength(moved, params.moveEpsilon * 4) };
    if (Math.abs(ie) <= params.theta) return { role: 'distractor', confidence: strength(params.theta - Math.abs(ie), params.theta) };
    // Instrumental but neither opening an episode nor moving intent: it still matters, as exploration does.
    return { role: 'explorer', confidence: 0.5 };
  });
}

/** Per event: is its item bought at a later event of the trajectory? */
function itemsBoughtLater(events: readonly EventEvidence[]): boolean[] {
  const later = new Set<string>();
  const result = new Array<boolean>(events.length).fill(false);
  for (let t = events.length - 1; t >= 0; t--) {
    result[t] = later.has(events[t]!.item);
    if (events[t]!.action === 'buy') later.add(events[t]!.item);
  }
  return result;
}

/**
 * Start of the episode that precedes conversion: walking back from the last event of the target's cluster, the
 * earliest such event not separated from the next one by more than `gap` other events. Length if there is none.
 */
function conversionEpisodeStart(events: readonly EventEvidence[], targetIntent: number, gap: number): number {
  let start = events.length;
  let outside = 0;
  for (let t = events.length - 1; t >= 0; t--) {
    if (events[t]!.intent === targetIntent) {
      start = t;
      outside = 0;
    } else if (start < events.length && ++outside > gap) break;
  }
  return start;
}
