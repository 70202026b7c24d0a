import { describe, expect, it } from 'vitest';
import { encodeSequences, gapBucket } from '../../src/engines/backbone/encoding';
import { maskedLogSoftmax, recommendBatch } from '../../src/engines/backbone/recommend';
import type { BackboneRuntime, HeadInput } from '../../src/engines/backbone/runtime';
import { parseSidTable } from '../../src/engines/backbone/sidTable';
import { FAKE_SIDS_TSV, fakeBackboneMeta } from '../helpers/fakeBackbone';

const meta = fakeBackboneMeta(4);

/**
 * A fake runtime (what a unit test may fake: the ONNX graphs) whose head prefers, at every level, the code equal to
 * the row's preferred item's code, so the best generative item is known; copy scores point at a known position.
 */
function fakeRuntime(preferred: readonly number[][], copyLogits: number[], gate: number): BackboneRuntime {
  return {
    provider: 'fake',
    async encode(batch) {
      return {
        batch: batch.batch,
        length: batch.length,
        dModel: 2,
        state: Float32Array.from({ length: batch.batch * 2 }, (_, k) => Math.floor(k / 2)),
        states: new Float32Array(batch.batch * batch.length * 2),
        actionLogits: Float32Array.from({ length: batch.batch * 4 }, (_, k) => (k % 4 === 3 ? 2 : 0)),
        copyLogits: Float32Array.from({ length: batch.batch * batch.length }, (_, k) => copyLogits[k % batch.length]!),
        gateLogits: Float32Array.from({ length: batch.batch * 4 }, () => Math.log(gate / (1 - gate))),
      };
    },
    async head(input: HeadInput) {
      const logits = meta.vocab.map((v, level) => {
        const out = new Float32Array(input.rows * v);
        for (let r = 0; r < input.rows; r++) {
          const userRow = input.state[r * 2]!;
          out[r * v + preferred[userRow]![level]!] = 5;
        }
        return out;
      });
      return { logits: logits as [Float32Array, Float32Array, Float32Array, Float32Array] };
    },
    async dispose() {},
  };
}

describe('sid table', () => {
  it('parses the table and builds the trie of valid next codes', () => {
    const table = parseSidTable(FAKE_SIDS_TSV, 'sids.tsv', meta.vocab);
    expect(table.items).toEqual(['a', 'b', 'c', 'd']);
    expect(table.trie.children[0]!.get('')).toEqual([0, 1, 2]);
    expect(table.trie.children[3]!.get('0,0,0')).toEqual([0, 1]);
    expect(table.itemOf.get('1,2,0,0')).toBe('c');
  });

  it('names the line of a bad row, an out-of-vocabulary code and a duplicate SID', () => {
    expect(() => parseSidTable('item_id\tc1\tc2\tc3\tc4\na\t0\t0\n', 'sids.tsv', meta.vocab)).toThrow('sids.tsv:2');
    expect(() => parseSidTable('item_id\tc1\tc2\tc3\tc4\na\t0\t0\t9\t0\n', 'sids.tsv', meta.vocab)).toThrow('sids.tsv:2');
    expect(() => parseSidTable('item_id\tc1\tc2\tc3\tc4\na\t0\t0\t0\t0\nb\t0\t0\t0\t0\n', 's', meta.vocab)).toThrow(/s:3: SID 0,0,0,0/);
    expect(() => parseSidTable('id\tc1\n', 'sids.tsv', meta.vocab)).toThrow('sids.tsv:1');
  });
});

describe('encoding', () => {
  const sids = parseSidTable(FAKE_SIDS_TSV, 'sids.tsv', meta.vocab);

  it('buckets gaps by the bounds', () => {
    expect(gapBucket(0, [1, 60])).toBe(0);
    expect(gapBucket(1, [1, 60])).toBe(1);
    expect(gapBucket(3600, [1, 60])).toBe(2);
  });

  it('left-pads, keeps the most recent events and skips items without a SID', () => {
    const day = 86_400;
    const events = [
      { item: 'a', action: 'click' as const, time: 0 },
      { item: 'zzz', action: 'click' as const, time: day },
      { item: 'b', action: 'fav' as const, time: day },
      { item: 'c', action: 'cart' as const, time: 3 * day },
    ];
    const encoded = encodeSequences([events, events.slice(0, 1)], meta, sids);
    expect(Array.from(encoded.mask)).toEqual([0, 1, 1, 1, 0, 0, 0, 1]);
    expect(Array.from(encoded.actions.subarray(0, 4))).toEqual([0, 0, 1, 2]);
    expect(Array.from(encoded.gaps.subarray(0, 4))).toEqual([0, 0, 2, 2]);
    expect(Array.from(encoded.codes.subarray(12, 16))).toEqual([1, 2, 0, 0]);
    expect(encoded.positions[0]).toEqual([null, 'a', 'b', 'c']);

    const long = Array.from({ length: 6 }, (_, k) => ({ item: k % 2 ? 'a' : 'd', action: 'click' as const, time: k * 10 }));
    const cut = encodeSequences([long], meta, sids);
    expect(Array.from(cut.mask)).toEqual([1, 1, 1, 1]);
    expect(cut.gaps[0]).toBe(1);
  });
});

describe('recommendBatch', () => {
  const sids = parseSidTable(FAKE_SIDS_TSV, 'sids.tsv', meta.vocab);
  const history = [
    { item: 'a', action: 'click' as const, time: 0 },
    { item: 'b', action: 'click' as const, time: 10 },
  ];

  it('finds the generative favourite by beam search and fuses the copy path over history', async () => {
    // User 0 prefers d (2,1,1,0) generatively; the copy path points at position 3 (item b).
    const runtime = fakeRuntime([[2, 1, 1, 0]], [0, 0, -20, 20], 0.5);
    const encoded = encodeSequences([history], meta, sids);
    const [rec] = await recommendBatch(runtime, encoded, sids, { topN: 4, beamWidth: 2 });
    const byItem = new Map(rec!.items.map((i) => [i.item, i]));
    expect(byItem.get('d')!.generative).toBeGreaterThan(0.9);
    expect(byItem.get('b')!.copy).toBeCloseTo(1, 5);
    expect(rec!.items.map((i) => i.item).slice(0, 2).sort()).toEqual(['b', 'd']);
    expect(rec!.copyGate).toBeCloseTo(0.5, 5);
    expect(rec!.actionProbs[3]).toBeGreaterThan(rec!.actionProbs[0]!);
    // History items are scored exactly even when the beam did not reach them.
    expect(byItem.get('a')!.generative).toBeGreaterThan(0);
  });

  it('with the gate closed ranks by the generative path alone', async () => {
    const runtime = fakeRuntime([[1, 2, 0, 0]], [0, 0, 20, -20], 0.001);
    const [rec] = await recommendBatch(runtime, encodeSequences([history], meta, sids), sids, { topN: 3, beamWidth: 3 });
    expect(rec!.items[0]!.item).toBe('c');
  });

  it('masked log-softmax normalises over valid codes only', () => {
    const lp = maskedLogSoftmax(Float32Array.from([1, 100, 1]), [0, 2]);
    expect(lp.map(Math.exp)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(0.5, 6)]);
  });
});
