/**
 * Evidence the backbone computes for one trajectory (DESIGN.md): intent distribution after each event (SID level 1),
 * intrinsic value IV_t (the event's item as the backbone's next-event prediction), and instrumental effect
 * IE_t = P(target | tau) - P(target | tau without e_t), with P(target | tau) = P(a buy of the target's intent cluster
 * within H steps) from the action head and level-1 head.
 */
import { ACTIONS } from '../../domain/events';
import type { BackboneModel } from '../backbone/backboneRecommender';
import { encodeSequences, type SequenceEvent } from '../backbone/encoding';
import { maskedLogSoftmax, softmax } from '../backbone/recommend';
import { SID_LEVELS, sidKey } from '../backbone/sidTable';
import type { EventEvidence } from './roles';

const BUY = ACTIONS.indexOf('buy');

export interface TrajectoryEvidence {
  /** One per input event; events before `windowStart` lie outside the encoder's window and carry no IV/IE. */
  readonly events: readonly EventEvidence[];
  readonly windowStart: number;
  /** Level-1 distribution after each event ([] outside the window). */
  readonly intentEvolution: readonly (readonly number[])[];
  /** P(a target-cluster buy within H) for the full trajectory. */
  readonly pTarget: number;
}

export async function computeEvidence(
  model: BackboneModel,
  input: readonly SequenceEvent[],
  targetIntent: number,
  horizon: number,
  /** IE is measured for the most recent this-many events (each costs one encoder row); older ones get none. */
  ieWindow = 32,
): Promise<TrajectoryEvidence> {
  const unknown = input.find((e) => !model.sids.sidOf.has(e.item));
  if (unknown) throw new Error(`item ${unknown.item} has no semantic ID in the ${model.meta.dataset} backbone: roles need every event's item`);
  const usable = input;
  const windowStart = Math.max(0, usable.length - model.meta.maxLen);
  const window = usable.slice(windowStart);
  const offset = model.meta.maxLen - window.length;
  const d = model.meta.dModel;

  // Full trajectory plus one copy without each recent event, in one encoder batch.
  const ieStart = Math.max(0, window.length - ieWindow);
  const variants = [usable, ...window.slice(ieStart).map((_, k) => usable.filter((__, j) => j !== windowStart + ieStart + k))];
  const out = await model.runtime.encode(encodeSequences(variants, model.meta, model.sids));

  // Head rows: [0, n) intent after each window event (buy, empty prefix); [n, 2n) IV of each event given the state
  // before it; [2n, 2n + variants) level-1 of each variant's final state for P(target).
  const n = window.length;
  const rows = 2 * n + variants.length;
  const state = new Float32Array(rows * d);
  const action = new Int32Array(rows);
  const prefix = new Int32Array(rows * 3);
  const stateAt = (variant: number, position: number) => out.states.subarray((variant * out.length + position) * d, (variant * out.length + position + 1) * d);
  window.forEach((event, k) => {
    state.set(stateAt(0, offset + k), k * d);
    action[k] = BUY;
    if (k > 0) state.set(stateAt(0, offset + k - 1), (n + k) * d);
    action[n + k] = ACTIONS.indexOf(event.action);
    model.sids.sidOf.get(event.item)!.slice(0, 3).forEach((c, l) => (prefix[(n + k) * 3 + l] = c));
  });
  variants.forEach((_, v) => {
    state.set(out.state.subarray(v * d, (v + 1) * d), (2 * n + v) * d);
    action[2 * n + v] = BUY;
  });
  const head = await model.runtime.head({ rows, state, action, prefix });
  const intentOf = (row: number) => levelOneDistribution(head.logits[0]!, row, model.meta.vocab[0], model.sids.trie.children[0]!.get('') ?? []);

  const pTargetOf = (v: number) => {
    const pBuy = softmax(out.actionLogits.subarray(v * 4, v * 4 + 4))[BUY]!;
    const pStep = pBuy * (intentOf(2 * n + v)[targetIntent] ?? 0);
    return 1 - (1 - pStep) ** horizon;
  };
  const pTarget = pTargetOf(0);
  const evolution = window.map((_, k) => intentOf(k));

  const events: EventEvidence[] = usable.map((event, i) => {
    const intent = model.sids.sidOf.get(event.item)![0];
    const k = i - windowStart;
    if (k < 0) return { item: event.item, action: event.action, intent };
    return {
      item: event.item,
      action: event.action,
      intent,
      ...(k > 0 ? { iv: itemProbability(model, head.logits, n + k, event.item) } : {}),
      ...(k >= ieStart ? { ie: pTarget - pTargetOf(k - ieStart + 1) } : {}),
      ...(k > 0 ? { targetIntentBefore: evolution[k - 1]![targetIntent] ?? 0 } : {}),
      targetIntentAfter: evolution[k]![targetIntent] ?? 0,
    };
  });
  return {
    events,
    windowStart,
    intentEvolution: usable.map((_, i) => (i < windowStart ? [] : evolution[i - windowStart]!)),
    pTarget,
  };
}

function levelOneDistribution(logits: Float32Array, row: number, vocab: number, valid: readonly number[]): number[] {
  const probs = maskedLogSoftmax(logits.subarray(row * vocab, (row + 1) * vocab), valid).map(Math.exp);
  const out = new Array<number>(vocab).fill(0);
  valid.forEach((code, i) => (out[code] = probs[i]!));
  return out;
}

/** P_sid of the item at a head row whose prefix is the item's first three codes (every level in one row). */
function itemProbability(model: BackboneModel, logits: readonly Float32Array[], row: number, item: string): number {
  const sid = model.sids.sidOf.get(item)!;
  let logProb = 0;
  for (let level = 0; level < SID_LEVELS; level++) {
    const vocab = model.meta.vocab[level]!;
    const valid = model.sids.trie.children[level]!.get(sidKey(sid.slice(0, level)))!;
    logProb += maskedLogSoftmax(logits[level]!.subarray(row * vocab, (row + 1) * vocab), valid)[valid.indexOf(sid[level]!)]!;
  }
  return Math.exp(logProb);
}
