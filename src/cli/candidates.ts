/**
 * npm run candidates -- --dataset <prepared dir> --model <model dir> --out <file.jsonl> [--cuts 2] [--limit N]
 *
 * Runs the embedded counterfactual reasoner over TRAINING inputs and writes its candidates, for training/ to learn
 * integration (a) (a candidate conditioning segment). Inputs are only ever a prefix of a user's `train` events
 * (before the validation day, or before the target day without one): no validation-day or target-day event is read.
 *
 * Cut points per user: the whole training input (training/ uses it for its validation users), plus up to cuts-1
 * earlier day boundaries inside it. The model only sees a cut's candidates at positions at or after the cut, so
 * what it learns to use never depends on events after its input; a single cut would give it no transitions to learn
 * from, since nothing of the training data follows the whole training input. Each cut costs one reasoner run
 * (~0.2 s), so --cuts bounds the cost.
 *
 * One JSON object per line: {"user", "cut" (events of the input), "day" (ISO day of the input's last event),
 * "candidates": [[item, prior], ...]} with the prior integration (b) uses (best candidate 1), best first.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readPreparedDir } from '../data/nodeSource';
import { dayOf, isoDay } from '../domain/events';
import { trainingCutPoints } from '../engines/eval/cases';
import { INITIAL_ROLEGEN } from '../engines/eval/rolegenProtocol';
import { complementIntents } from '../engines/reasoner/complements';
import { reasonUser } from '../engines/reasoner/counterfactualReasoner';
import { candidatePriors, rankedCandidates } from '../engines/reasoner/rolegenRecommender';
import { parseCliArgs, runCli, usageError } from './cliRunner';
import { loadNodeBackbone } from './nodeBackbone';

const USAGE = `usage: npm run candidates -- --dataset <prepared dir> --model <model dir> --out <file.jsonl> [--cuts 2] [--limit N]`;
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv, {
    dataset: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    cuts: { type: 'string', default: '2' },
    limit: { type: 'string' },
  });
  if ('error' in parsed) return usageError('candidates', USAGE, parsed.error);
  const { values } = parsed;
  if (!values.dataset || !values.model || !values.out) return usageError('candidates', USAGE, '--dataset, --model and --out are required');
  const cuts = Number(values.cuts);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!Number.isInteger(cuts) || cuts < 1) return usageError('candidates', USAGE, '--cuts must be a positive integer');
  const started = performance.now();
  const log = (text: string) => process.stderr.write(`${text}\n`);

  const { dataset } = await readPreparedDir(values.dataset);
  const model = await loadNodeBackbone(values.model, 2);
  const training = dataset.users.map((u) => ({ id: u.id, input: u.events.slice(0, u.split.trainEnd) }));
  // Co-purchase clusters from training inputs only, as the evaluation counts them from its own inputs.
  const complements = complementIntents(training.map((u) => u.input), (item) => model.sids.sidOf.get(item)?.[0]);

  const out = createWriteStream(values.out);
  let users = 0;
  let lines = 0;
  let empty = 0;
  let lastLog = performance.now();
  for (const user of training) {
    if (users >= limit) break;
    const points = trainingCutPoints(user.input.map((e) => e.time), cuts);
    if (points.length === 0) continue;
    users++;
    for (const cut of points) {
      const input = user.input.slice(0, cut);
      const reasoned = await reasonUser(model, user.id, input, { complements, recordTime: false }, INITIAL_ROLEGEN.params);
      const ranked = rankedCandidates(candidatePriors(reasoned, INITIAL_ROLEGEN));
      if (ranked.length === 0) empty++;
      const line = JSON.stringify({ user: user.id, cut, day: isoDay(dayOf(input.at(-1)!.time)), candidates: ranked.map((c) => [c.item, Number(c.score.toPrecision(5))]) });
      if (!out.write(`${line}\n`)) await once(out, 'drain');
      lines++;
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`  ${users} users, ${lines} inputs (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  out.end();
  await once(out, 'finish');
  await model.runtime.dispose();
  log(`wrote ${values.out}: ${lines} inputs of ${users} users (${empty} without candidates), ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

runCli('candidates', main);
