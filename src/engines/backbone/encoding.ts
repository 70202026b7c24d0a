/**
 * Event sequence -> the encoder's int32 inputs, exactly as training/ encodes them:
 * left-padded to maxLen (most recent events kept), 4 SID codes + action + gap bucket per event, mask 1 = real.
 */
import { ACTIONS, type Action } from '../../domain/events';
import type { BackboneMeta } from './modelMeta';
import { SID_LEVELS, type SidTable } from './sidTable';

export interface SequenceEvent {
  readonly item: string;
  readonly action: Action;
  readonly time: number;
}

export interface EncodedBatch {
  readonly batch: number;
  readonly length: number;
  readonly codes: Int32Array;
  readonly actions: Int32Array;
  readonly gaps: Int32Array;
  readonly mask: Int32Array;
  /** Per row, the item at each position (null for padding), for the copy distribution. */
  readonly positions: readonly (readonly (string | null)[])[];
  /** meta.candidateSlots, or 0 for a model without a candidate segment (then the arrays below are empty). */
  readonly candidateSlots: number;
  /** [batch, candidateSlots, 4]: SIDs of the candidates, best first; 0 in empty slots. */
  readonly candidates: Int32Array;
  /** [batch, candidateSlots]: 1 = a real candidate. */
  readonly candidateMask: Int32Array;
}

export function actionId(action: Action): number {
  return ACTIONS.indexOf(action);
}

export function gapBucket(gapSeconds: number, bounds: readonly number[]): number {
  let bucket = 0;
  for (const bound of bounds) if (gapSeconds >= bound) bucket++;
  return bucket;
}

/**
 * Events whose item has no SID (unknown to the model) are skipped: the model cannot represent them.
 * candidates (integration (a)): per row, the reasoner's candidate items best first; only a model whose meta
 * declares candidateSlots takes them (the first slots known items fill), and it gets empty slots without them.
 */
export function encodeSequences(
  sequences: readonly (readonly SequenceEvent[])[],
  meta: BackboneMeta,
  sids: SidTable,
  candidates?: readonly (readonly string[])[],
): EncodedBatch {
  const length = meta.maxLen;
  const batch = sequences.length;
  const codes = new Int32Array(batch * length * SID_LEVELS);
  const actions = new Int32Array(batch * length);
  const gaps = new Int32Array(batch * length);
  const mask = new Int32Array(batch * length);
  const positions: (string | null)[][] = [];
  sequences.forEach((sequence, row) => {
    const known = sequence.filter((e) => sids.sidOf.has(e.item));
    const kept = known.slice(-length);
    const offset = length - kept.length;
    const rowItems: (string | null)[] = new Array<string | null>(length).fill(null);
    // The gap of the first kept event is measured to the event before it when that one was cut off.
    let previous = known.length > kept.length ? known[known.length - kept.length - 1]!.time : null;
    kept.forEach((event, k) => {
      const position = row * length + offset + k;
      const sid = sids.sidOf.get(event.item)!;
      codes.set(sid, position * SID_LEVELS);
      actions[position] = actionId(event.action);
      gaps[position] = previous === null ? 0 : gapBucket(event.time - previous, meta.gapBoundsSeconds);
      mask[position] = 1;
      rowItems[offset + k] = event.item;
      previous = event.time;
    });
    positions.push(rowItems);
  });
  const slots = meta.candidateSlots ?? 0;
  if (candidates && candidates.length !== batch) throw new Error(`${candidates.length} candidate lists for ${batch} sequences`);
  const candidateCodes = new Int32Array(batch * slots * SID_LEVELS);
  const candidateMask = new Int32Array(batch * slots);
  if (slots > 0) {
    candidates?.forEach((items, row) => {
      const known = items.map((item) => sids.sidOf.get(item)).filter((sid) => sid !== undefined);
      known.slice(0, slots).forEach((sid, slot) => {
        candidateCodes.set(sid, (row * slots + slot) * SID_LEVELS);
        candidateMask[row * slots + slot] = 1;
      });
    });
  }
  return { batch, length, codes, actions, gaps, mask, positions, candidateSlots: slots, candidates: candidateCodes, candidateMask };
}
