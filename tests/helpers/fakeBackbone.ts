/** A tiny backbone description for unit tests of the TypeScript side (the ONNX graphs are what tests fake). */
import type { BackboneMeta } from '../../src/engines/backbone/modelMeta';

export function fakeBackboneMeta(maxLen: number): BackboneMeta {
  return {
    schema: 'rolegen.backbone',
    version: 1,
    dataset: 'fake',
    maxLen,
    dModel: 2,
    vocab: [3, 3, 3, 2],
    actions: ['click', 'fav', 'cart', 'buy'],
    gapBoundsSeconds: [1, 86_400],
    padding: 'left',
    files: { encoder: 'e', head: 'h', sids: 's' },
    intents: [],
  };
}

/** sids.tsv for fakeBackboneMeta's vocabulary: items a-d, a and b sharing their first three codes. */
export const FAKE_SIDS_TSV = ['item_id\tc1\tc2\tc3\tc4', 'a\t0\t0\t0\t0', 'b\t0\t0\t0\t1', 'c\t1\t2\t0\t0', 'd\t2\t1\t1\t0', ''].join('\n');
