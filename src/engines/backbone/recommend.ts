/**
 * Top-K items for the next event of a given action (default: buy), fusing two sources the backbone learned:
 * the generative path (beam search over the prefix trie of valid SIDs, level by level) and the copy path (a pointer
 * over the user's own history, which matters because many purchases repeat an item already seen).
 * P(i | a) = (1 - g_a) * P_sid(i | a) + g_a * P_copy(i), the same mixture training optimises.
 */
import { ACTIONS, type Action } from '../../domain/events';
import type { EncodedBatch } from './encoding';
import type { BackboneRuntime, EncoderOutput } from './runtime';
import { SID_LEVELS, sidKey, type Sid, type SidTable } from './sidTable';

export interface RecommendOptions {
  readonly action?: Action;
  /** Length of the returned list. */
  readonly topN: number;
  /** Prefixes kept per level; the generative path can contribute at most this many items. */
  readonly beamWidth: number;
  /**
   * Integration (b) of reasoned candidates: per row, candidate item -> score in [0, 1]. A candidate's generative
   * probability gets the log-prior bias priorWeight * score on its SID path, and candidates are always scored,
   * so the beam cannot prune them.
   */
  readonly priors?: readonly ReadonlyMap<string, number>[];
  readonly priorWeight?: number;
  readonly signal?: AbortSignal;
}

export interface ScoredItem {
  readonly item: string;
  readonly score: number;
  readonly generative: number;
  readonly copy: number;
}

export interface UserRecommendation {
  readonly items: readonly ScoredItem[];
  /** P(next action) from the action head, in ACTIONS order. */
  readonly actionProbs: readonly number[];
  readonly copyGate: number;
}

interface Beam {
  readonly row: number;
  readonly codes: readonly number[];
  readonly logProb: number;
}

export async function recommendBatch(
  runtime: BackboneRuntime,
  encoded: EncodedBatch,
  sids: SidTable,
  options: RecommendOptions,
): Promise<UserRecommendation[]> {
  const action = ACTIONS.indexOf(options.action ?? 'buy');
  const out = await runtime.encode(encoded);
  throwIfAborted(options.signal);
  const generated = await beamSearch(runtime, out, action, sids, options);
  throwIfAborted(options.signal);
  const copies = Array.from({ length: out.batch }, (_, row) => copyDistribution(out, encoded, row));
  const priors = options.priors ?? [];
  const exact = await exactSidProbabilities(runtime, out, action, sids, copies.map((c, row) => [...new Set([...c.keys(), ...(priors[row]?.keys() ?? [])])]));
  const weight = options.priorWeight ?? 0;

  return copies.map((copy, row) => {
    const gate = sigmoid(out.gateLogits[row * ACTIONS.length + action]!);
    const generative = new Map(generated[row]!.map((beam) => [sids.itemOf.get(sidKey(beam.codes))!, Math.exp(beam.logProb)]));
    for (const [item, p] of exact[row]!) generative.set(item, p * Math.exp(weight * (priors[row]?.get(item) ?? 0)));
    const candidates = new Set([...generative.keys(), ...copy.keys()]);
    const items = [...candidates]
      .map((item) => {
        const g = generative.get(item) ?? 0;
        const c = copy.get(item) ?? 0;
        return { item, score: (1 - gate) * g + gate * c, generative: g, copy: c };
      })
      .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1))
      .slice(0, options.topN);
    return { items, actionProbs: softmax(out.actionLogits.subarray(row * 4, row * 4 + 4)), copyGate: gate };
  });
}

async function beamSearch(
  runtime: BackboneRuntime,
  out: EncoderOutput,
  action: number,
  sids: SidTable,
  options: RecommendOptions,
): Promise<Beam[][]> {
  let beams: Beam[] = Array.from({ length: out.batch }, (_, row) => ({ row, codes: [], logProb: 0 }));
  for (let level = 0; level < SID_LEVELS; level++) {
    const head = await runHead(runtime, out, action, beams);
    throwIfAborted(options.signal);
    const expanded: Beam[] = [];
    beams.forEach((beam, r) => {
      const valid = sids.trie.children[level]!.get(sidKey(beam.codes)) ?? [];
      const logits = head.logits[level]!;
      const vocab = logits.length / beams.length;
      const logProbs = maskedLogSoftmax(logits.subarray(r * vocab, (r + 1) * vocab), valid);
      valid.forEach((code, v) => expanded.push({ row: beam.row, codes: [...beam.codes, code], logProb: beam.logProb + logProbs[v]! }));
    });
    beams = topPerRow(expanded, options.beamWidth);
  }
  const byRow: Beam[][] = Array.from({ length: out.batch }, () => []);
  for (const beam of beams) byRow[beam.row]!.push(beam);
  return byRow;
}

/** P_sid of given items, exactly: one head row with the full prefix yields every level's logits for that item. */
export async function exactSidProbabilities(
  runtime: BackboneRuntime,
  out: EncoderOutput,
  action: number,
  sids: SidTable,
  itemsPerRow: readonly (readonly string[])[],
): Promise<Map<string, number>[]> {
  const rows: { row: number; item: string; sid: Sid }[] = [];
  itemsPerRow.forEach((items, row) => {
    for (const item of items) {
      const sid = sids.sidOf.get(item);
      if (sid) rows.push({ row, item, sid });
    }
  });
  const result = itemsPerRow.map(() => new Map<string, number>());
  if (rows.length === 0) return result;
  const head = await runHead(runtime, out, action, rows.map((r) => ({ row: r.row, codes: r.sid.slice(0, 3), logProb: 0 })));
  rows.forEach((r, index) => {
    let logProb = 0;
    for (let level = 0; level < SID_LEVELS; level++) {
      const logits = head.logits[level]!;
      const vocab = logits.length / rows.length;
      const valid = sids.trie.children[level]!.get(sidKey(r.sid.slice(0, level)))!;
      const logProbs = maskedLogSoftmax(logits.subarray(index * vocab, (index + 1) * vocab), valid);
      logProb += logProbs[valid.indexOf(r.sid[level]!)]!;
    }
    result[r.row]!.set(r.item, Math.exp(logProb));
  });
  return result;
}

function runHead(runtime: BackboneRuntime, out: EncoderOutput, action: number, beams: readonly Beam[]) {
  const d = out.dModel;
  const state = new Float32Array(beams.length * d);
  const prefix = new Int32Array(beams.length * 3);
  beams.forEach((beam, r) => {
    state.set(out.state.subarray(beam.row * d, (beam.row + 1) * d), r * d);
    beam.codes.slice(0, 3).forEach((code, level) => (prefix[r * 3 + level] = code));
  });
  return runtime.head({ rows: beams.length, state, action: new Int32Array(beams.length).fill(action), prefix });
}

/** The copy path: softmax of the pointer scores over real history positions, summed per item. */
export function copyDistribution(out: EncoderOutput, encoded: EncodedBatch, row: number): Map<string, number> {
  const positions = encoded.positions[row]!;
  const logits = out.copyLogits.subarray(row * out.length, (row + 1) * out.length);
  const real = positions.flatMap((item, t) => (item === null ? [] : [t]));
  const result = new Map<string, number>();
  if (real.length === 0) return result;
  const max = Math.max(...real.map((t) => logits[t]!));
  let total = 0;
  for (const t of real) total += Math.exp(logits[t]! - max);
  for (const t of real) {
    const item = positions[t]!;
    result.set(item, (result.get(item) ?? 0) + Math.exp(logits[t]! - max) / total);
  }
  return result;
}

function topPerRow(beams: Beam[], width: number): Beam[] {
  const byRow = new Map<number, Beam[]>();
  for (const beam of beams) {
    const list = byRow.get(beam.row) ?? [];
    list.push(beam);
    byRow.set(beam.row, list);
  }
  return [...byRow.values()].flatMap((list) => list.sort((a, b) => b.logProb - a.logProb).slice(0, width));
}

/** log softmax over the valid codes only: the model can only ever produce real items. */
export function maskedLogSoftmax(logits: Float32Array, valid: readonly number[]): number[] {
  if (valid.length === 0) return [];
  let max = -Infinity;
  for (const code of valid) max = Math.max(max, logits[code]!);
  let total = 0;
  for (const code of valid) total += Math.exp(logits[code]! - max);
  const logTotal = Math.log(total) + max;
  return valid.map((code) => logits[code]! - logTotal);
}

export function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
}
