/**
 * Integration (a) on the TypeScript side: the candidate segment is encoded and fed only for a model whose meta
 * declares candidateSlots, so models without it (and the browser worker, which never passes candidates) keep
 * their four-input contract.
 */
import { describe, expect, it } from 'vitest';
import { encodeSequences } from '../../src/engines/backbone/encoding';
import { parseBackboneMeta, type BackboneMeta } from '../../src/engines/backbone/modelMeta';
import { ortBackboneRuntime, type OrtModule, type OrtSession, type OrtTensor } from '../../src/engines/backbone/ortRuntime';
import { parseSidTable } from '../../src/engines/backbone/sidTable';
import { rankedCandidates, rolegenRecommender, ReasoningCache } from '../../src/engines/reasoner/rolegenRecommender';
import { INITIAL_ROLEGEN } from '../../src/engines/eval/rolegenProtocol';
import { trainingCutPoints } from '../../src/engines/eval/cases';
import { FAKE_SIDS_TSV, fakeBackboneMeta } from '../helpers/fakeBackbone';

const plain = fakeBackboneMeta(3);
const conditioned: BackboneMeta = { ...plain, candidateSlots: 2 };
const sids = parseSidTable(FAKE_SIDS_TSV, 'sids.tsv', plain.vocab);
const events = [{ item: 'a', action: 'click' as const, time: 0 }];

describe('candidate segment encoding', () => {
  it('fills the slots best first with known items, truncates to the slots, and masks the rest', () => {
    const encoded = encodeSequences([events, events, events], conditioned, sids, [['zzz', 'd', 'b', 'c'], [], ['c']]);
    expect(encoded.candidateSlots).toBe(2);
    expect(Array.from(encoded.candidates)).toEqual([2, 1, 1, 0, 0, 0, 0, 1, /* row 1 */ 0, 0, 0, 0, 0, 0, 0, 0, /* row 2 */ 1, 2, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(encoded.candidateMask)).toEqual([1, 1, 0, 0, 1, 0]);
  });

  it('gives a conditioned model empty slots without candidates, and a plain model no segment at all', () => {
    const none = encodeSequences([events], conditioned, sids);
    expect(Array.from(none.candidateMask)).toEqual([0, 0]);
    const ignored = encodeSequences([events], plain, sids, [['b']]);
    expect(ignored.candidateSlots).toBe(0);
    expect(ignored.candidates.length).toBe(0);
    expect(() => encodeSequences([events, events], conditioned, sids, [['b']])).toThrow('1 candidate lists for 2 sequences');
  });

  it('validates candidateSlots in meta.json', () => {
    expect(parseBackboneMeta({ ...conditioned }, 'meta.json').candidateSlots).toBe(2);
    expect(parseBackboneMeta({ ...plain }, 'meta.json').candidateSlots).toBeUndefined();
    expect(() => parseBackboneMeta({ ...plain, candidateSlots: 0 }, 'meta.json')).toThrow('meta.json: candidateSlots');
    expect(() => parseBackboneMeta({ ...plain, candidateSlots: 1.5 }, 'meta.json')).toThrow('meta.json: candidateSlots');
  });
});

describe('onnxruntime feeds', () => {
  /** Records what the runtime feeds the encoder graph (the graph itself is what a unit test may fake). */
  function recording() {
    const fed: Record<string, OrtTensor>[] = [];
    const ort: OrtModule = { Tensor: RecordedTensor };
    const out = (n: number) => ({ data: new Float32Array(n), dims: [n] });
    const encoder: OrtSession = {
      async run(feeds) {
        fed.push(feeds);
        return { state: out(2), states: out(6), action_logits: out(4), copy_logits: out(3), gate_logits: out(4) };
      },
      async release() {},
    };
    return { fed, runtime: ortBackboneRuntime(ort, { encoder, head: encoder, provider: 'fake' }, 2) };
  }

  it('feeds candidates and candidate_mask only to a model that declares slots', async () => {
    const { fed, runtime } = recording();
    await runtime.encode(encodeSequences([events], plain, sids, [['b']]));
    await runtime.encode(encodeSequences([events], conditioned, sids, [['b']]));
    expect(Object.keys(fed[0]!).sort()).toEqual(['actions', 'codes', 'gaps', 'mask']);
    expect(Object.keys(fed[1]!).sort()).toEqual(['actions', 'candidate_mask', 'candidates', 'codes', 'gaps', 'mask']);
    expect(fed[1]!.candidates!.dims).toEqual([1, 2, 4]);
    expect(Array.from(fed[1]!.candidates!.data as Int32Array)).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(fed[1]!.candidate_mask!.dims).toEqual([1, 2]);
  });
});

describe('integration switch', () => {
  it('orders candidates by prior, ties by item id', () => {
    expect(rankedCandidates(new Map([['x', 0.5], ['b', 1], ['a', 0.5]])).map((c) => c.item)).toEqual(['b', 'a', 'x']);
  });

  it('refuses integration (a) without a backbone trained with candidates', () => {
    const model = { meta: plain, sids, runtime: recordingRuntime() };
    const make = (conditionedModel?: typeof model) =>
      rolegenRecommender(model, new Map(), { ...INITIAL_ROLEGEN, integration: 'a' }, new ReasoningCache(), conditionedModel);
    expect(() => make()).toThrow(/candidateSlots/);
    expect(() => make(model)).toThrow(/candidateSlots/);
    expect(() => make({ ...model, meta: conditioned })).not.toThrow();
  });
});

describe('training cut points', () => {
  const day = 86_400;
  it('takes the whole input, then earlier day boundaries latest first, never inputs shorter than 2 events', () => {
    const times = [0, 10, day, day + 5, 2 * day, 3 * day];
    expect(trainingCutPoints(times, 1)).toEqual([6]);
    expect(trainingCutPoints(times, 3)).toEqual([6, 5, 4]);
    expect(trainingCutPoints(times, 10)).toEqual([6, 5, 4, 2]);
    expect(trainingCutPoints([0], 3)).toEqual([]);
  });
});

class RecordedTensor implements OrtTensor {
  constructor(
    readonly type: 'int32' | 'float32',
    readonly data: Int32Array | Float32Array,
    readonly dims: readonly number[],
  ) {}
}

function recordingRuntime() {
  return ortBackboneRuntime({ Tensor: RecordedTensor }, {
    encoder: { async run() { return {}; }, async release() {} },
    head: { async run() { return {}; }, async release() {} },
    provider: 'unused',
  }, 2);
}
