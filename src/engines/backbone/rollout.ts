/**
 * Sampled futures: the backbone as a world model. Each rollout samples H next events (action from the action head;
 * item from the copy path with probability g_a, else SID codes level by level within the trie), appending each to
 * the input before the next step. Rollouts of one call run as one batch; a seed makes them reproducible.
 */
import { ACTIONS, type Action } from '../../domain/events';
import { seededRandom, type Random } from '../../domain/random';
import { encodeSequences, type SequenceEvent } from './encoding';
import type { BackboneModel } from './backboneRecommender';
import { copyDistribution, maskedLogSoftmax, softmax } from './recommend';
import { SID_LEVELS, sidKey } from './sidTable';

const BUY = ACTIONS.indexOf('buy');

export interface RolloutOptions {
  readonly horizon: number;
  readonly rollouts: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
}

export interface SampledEvent {
  readonly item: string;
  readonly action: Action;
  /** 1-based step after the end of the input. */
  readonly step: number;
  /** The action head's P(buy) at this step, before sampling: the expected conversion, free of sampling noise. */
  readonly pBuy: number;
}

export interface Rollout {
  readonly events: readonly SampledEvent[];
  /** Step of the first sampled purchase, if any. */
  readonly firstBuy?: number;
  /** 1 - prod over steps (1 - pBuy): P(a buy within the horizon) along this sampled path. */
  readonly pConv: number;
}

export async function sampleRollouts(model: BackboneModel, input: readonly SequenceEvent[], options: RolloutOptions): Promise<Rollout[]> {
  return (await sampleRolloutsBatch(model, [input], options))[0]!;
}

/** `rollouts` futures for each input, all sampled in one batch per step; result[i] belongs to inputs[i]. */
export async function sampleRolloutsBatch(
  model: BackboneModel,
  inputs: readonly (readonly SequenceEvent[])[],
  options: RolloutOptions,
): Promise<Rollout[][]> {
  const random = seededRandom(options.seed);
  const sequences: SequenceEvent[][] = inputs.flatMap((input) => Array.from({ length: options.rollouts }, () => [...input]));
  const sampled: SampledEvent[][] = sequences.map(() => []);
  // Generated events carry their input's last time: the model sees them as same-day continuations (gap bucket 0).
  const times = sequences.map((sequence) => sequence.at(-1)?.time ?? 0);
  for (let step = 1; step <= options.horizon; step++) {
    if (options.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    const encoded = encodeSequences(sequences, model.meta, model.sids);
    const out = await model.runtime.encode(encoded);
    const actionProbs = sequences.map((_, row) => softmax(out.actionLogits.subarray(row * 4, row * 4 + 4)));
    const actions = actionProbs.map((probs) => pick(probs, random));
    const copies = sequences.map((_, row) => copyDistribution(out, encoded, row));
    const useCopy = actions.map((a, row) => copies[row]!.size > 0 && random() < sigmoid(out.gateLogits[row * 4 + a]!));
    const items = await sampleItems(model, out.state, out.dModel, actions, useCopy, copies, random);
    sequences.forEach((sequence, row) => {
      const event = { item: items[row]!, action: ACTIONS[actions[row]!]!, step, pBuy: actionProbs[row]![BUY]! };
      sequence.push({ item: event.item, action: event.action, time: times[row]! });
      sampled[row]!.push(event);
    });
  }
  const rollouts: Rollout[] = sampled.map((events) => {
    const buy = events.find((e) => e.action === 'buy');
    const pConv = 1 - events.reduce((stay, e) => stay * (1 - e.pBuy), 1);
    return buy ? { events, firstBuy: buy.step, pConv } : { events, pConv };
  });
  return inputs.map((_, i) => rollouts.slice(i * options.rollouts, (i + 1) * options.rollouts));
}

/** Generative rows walk the trie level by level, sampling each code; copy rows draw from their history. */
async function sampleItems(
  model: BackboneModel,
  state: Float32Array,
  d: number,
  actions: readonly number[],
  useCopy: readonly boolean[],
  copies: readonly Map<string, number>[],
  random: Random,
): Promise<string[]> {
  const items: string[] = actions.map((_, row) => (useCopy[row] ? pickKey(copies[row]!, random) : ''));
  const generative = actions.flatMap((_, row) => (useCopy[row] ? [] : [row]));
  const codes = generative.map(() => [] as number[]);
  for (let level = 0; level < SID_LEVELS && generative.length > 0; level++) {
    const rowState = new Float32Array(generative.length * d);
    const prefix = new Int32Array(generative.length * 3);
    generative.forEach((row, r) => {
      rowState.set(state.subarray(row * d, (row + 1) * d), r * d);
      codes[r]!.slice(0, 3).forEach((c, l) => (prefix[r * 3 + l] = c));
    });
    const head = await model.runtime.head({ rows: generative.length, state: rowState, action: Int32Array.from(generative.map((row) => actions[row]!)), prefix });
    const logits = head.logits[level]!;
    const vocab = logits.length / generative.length;
    generative.forEach((_, r) => {
      const valid = model.sids.trie.children[level]!.get(sidKey(codes[r]!))!;
      const probs = maskedLogSoftmax(logits.subarray(r * vocab, (r + 1) * vocab), valid).map(Math.exp);
      codes[r]!.push(valid[pick(probs, random)]!);
    });
  }
  generative.forEach((row, r) => (items[row] = model.sids.itemOf.get(sidKey(codes[r]!))!));
  return items;
}

function pick(probs: readonly number[], random: Random): number {
  let u = random();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i]!;
    if (u <= 0) return i;
  }
  return probs.length - 1;
}

function pickKey(distribution: ReadonlyMap<string, number>, random: Random): string {
  const keys = [...distribution.keys()];
  return keys[pick(keys.map((k) => distribution.get(k)!), random)]!;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
