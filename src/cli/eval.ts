/**
 * npm run eval -- --dataset <prepared dir> [--model <model dir>] [--json] [--out snapshot.json.gz]
 * Runs the evaluation protocol (popularity, recent-repeat, backbone alone) on the test split and prints the table.
 */
import { relative, resolve, sep } from 'node:path';
import { readPreparedDir } from '../data/nodeSource';
import { buildSnapshot, DEFAULT_KS } from '../data/snapshotBuilder';
import type { BackboneModel } from '../engines/backbone/backboneRecommender';
import type { EvaluationResult } from '../engines/eval/evaluate';
import { runProtocol } from '../engines/eval/protocol';
import type { Recommender } from '../engines/eval/recommender';
import { withEvaluation, withRoleGen } from '../engines/eval/snapshotResults';
import { loopRecords, runRoleGenProtocol, type RoleGenRun } from '../engines/eval/rolegenProtocol';
import { intentEntropy } from '../engines/eval/metrics';
import { parseCliArgs, runCli, usageError, writeSnapshotFile } from './cliRunner';
import { loadNodeBackbone } from './nodeBackbone';

const USAGE = `usage: npm run eval -- --dataset <prepared dir> [--model <model dir>] [--json] [--out <snapshot.json[.gz]>] [--created-at ISO]
                    [--rolegen [--rolegen-users dormant|all] [--conditioned-model <model dir trained with candidates>]]`;
const KEEP_IN_SNAPSHOT = 20;

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv, {
    dataset: { type: 'string' },
    model: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    'created-at': { type: 'string' },
    rolegen: { type: 'boolean', default: false },
    'rolegen-users': { type: 'string', default: 'dormant' },
    'conditioned-model': { type: 'string' },
  });
  if ('error' in parsed) return usage(parsed.error);
  const { values } = parsed;
  if (!values.dataset) return usage('--dataset is required');
  if (values['conditioned-model'] && !values.rolegen) return usage('--conditioned-model needs --rolegen');
  const testUsers = values['rolegen-users'];
  if (testUsers !== 'dormant' && testUsers !== 'all') return usage(`--rolegen-users takes dormant or all, got "${testUsers}"`);
  const started = performance.now();
  const log = (text: string) => process.stderr.write(`${text}\n`);

  const prepared = await readPreparedDir(values.dataset);
  const snapshot = buildSnapshot(prepared, {
    users: 'all',
    createdAt: values['created-at'] ?? new Date().toISOString(),
    producer: { tool: 'rolegen-workbench eval', version: '1', command: `npm run eval -- ${argv.join(' ')}` },
  });
  const backbone = values.model ? await loadNodeBackbone(values.model) : undefined;
  let lastLine = 0;
  const { models, result } = await runProtocol({
    users: snapshot.users,
    catalogueSize: snapshot.items.length,
    ks: DEFAULT_KS,
    ...(backbone ? { backbone } : {}),
    onProgress: (model, done, total) => {
      if (done === total || performance.now() - lastLine > 2000) {
        lastLine = performance.now();
        log(`  ${model}: ${done}/${total} users`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.rolegen && !backbone) return usage('--rolegen needs --model');
  const conditioned = values['conditioned-model'] ? await loadNodeBackbone(values['conditioned-model']) : undefined;
  if (conditioned && !conditioned.meta.candidateSlots) return usage(`${values['conditioned-model']}: meta.json has no candidateSlots (train it with --candidates)`);
  if (conditioned && backbone && conditioned.meta.dataset !== backbone.meta.dataset) {
    return usage(`--conditioned-model is trained on ${conditioned.meta.dataset}, --model on ${backbone.meta.dataset}`);
  }
  const rolegen = values.rolegen && backbone
    ? await runRoleGenProtocol({
        users: snapshot.users,
        backbone,
        ...(conditioned ? { conditioned } : {}),
        catalogueSize: snapshot.items.length,
        ks: DEFAULT_KS,
        testUsers,
        onProgress: (stage, done, total) => {
          if (done === total || performance.now() - lastLine > 5000) {
            lastLine = performance.now();
            log(`  ${stage}: ${done}/${total}`);
          }
        },
      })
    : undefined;
  const totalSeconds = (performance.now() - started) / 1000;

  if (values.json) {
    console.log(JSON.stringify({
      dataset: prepared.meta.name,
      seconds: totalSeconds,
      metrics: result.metrics,
      comparisons: result.comparisons,
      ...(rolegen ? { rolegen: { metrics: rolegen.result.metrics, comparisons: rolegen.result.comparisons, loop: loopRecords(rolegen.rounds) } } : {}),
    }, null, 2));
  } else {
    console.log(formatReport(prepared.meta.name, result, models, seconds, backbone));
    if (rolegen) console.log(formatRoleGenReport(rolegen, totalSeconds));
  }

  if (values.out) {
    const modelFolder = values.model ? `${relative(process.cwd(), resolve(values.model)).split(sep).join('/')}/` : undefined;
    const evaluated = withEvaluation(snapshot, result, models, KEEP_IN_SNAPSHOT, backbone, modelFolder);
    const full = rolegen ? withRoleGen(evaluated, rolegen, KEEP_IN_SNAPSHOT) : evaluated;
    log(`wrote ${values.out} (${await writeSnapshotFile(values.out, full)})`);
  }
  return 0;
}

function formatReport(name: string, result: EvaluationResult, models: readonly Recommender[], seconds: number, backbone?: BackboneModel): string {
  const value = (model: string, cohort: string, metric: string, k?: number) =>
    result.metrics.find((m) => m.model === model && m.cohort === cohort && m.name === metric && m.k === k);
  const pct = (v: number | undefined) => (v === undefined ? '   -  ' : (100 * v).toFixed(2).padStart(6));
  const lines: string[] = [];
  const n = (cohort: string) => value(models[0]!.name, cohort, 'mrr')?.n ?? 0;
  lines.push(`Evaluation on ${name}: ${result.cases.length} users with a usable target, full ranking over all items (${seconds.toFixed(1)} s)`);
  if (backbone) lines.push(`backbone: ${backbone.runtime.provider}, maxLen ${backbone.meta.maxLen}, vocab ${backbone.meta.vocab.join('x')}`);
  for (const cohort of ['all', 'dormant', 'all/seen', 'all/new', 'dormant/seen', 'dormant/new']) {
    lines.push('', `${cohort} (${n(cohort)} users), values in %`);
    lines.push(`${'model'.padEnd(14)}   R@1    R@5   R@10   R@20  N@10   HR@10   MRR   cov@10  H(int)@10`);
    for (const model of models) {
      const entropy = value(model.name, cohort, 'intentEntropy', 10)?.value;
      lines.push(
        `${model.name.padEnd(14)} ${[1, 5, 10, 20].map((k) => pct(value(model.name, cohort, 'recall', k)?.value)).join(' ')}` +
          ` ${pct(value(model.name, cohort, 'ndcg', 10)?.value)} ${pct(value(model.name, cohort, 'hr', 10)?.value)}` +
          ` ${pct(value(model.name, cohort, 'mrr')?.value)} ${pct(value(model.name, cohort, 'coverage', 10)?.value)}` +
          `  ${entropy === undefined ? '  -' : entropy.toFixed(2)}`,
      );
    }
  }
  lines.push('', 'Paired bootstrap 95% intervals of differences (percentage points), Recall@K:');
  for (const c of result.comparisons.filter((c) => c.metric === 'recall' && (c.cohort === 'all' || c.cohort === 'dormant'))) {
    const [low, high] = c.ci;
    lines.push(
      `  ${c.model} - ${c.baseline}  ${c.cohort.padEnd(8)} R@${String(c.k).padEnd(3)} ${(100 * c.difference).toFixed(2).padStart(6)}  ` +
        `[${(100 * low).toFixed(2)}, ${(100 * high).toFixed(2)}]  relative ${c.relative === undefined ? 'n/a' : `${(100 * c.relative).toFixed(1)}%`}` +
        `${low > 0 ? '  (better)' : high < 0 ? '  (worse)' : '  (no clear difference)'}`,
    );
  }
  return lines.join('\n');
}

function formatRoleGenReport(run: RoleGenRun, seconds: number): string {
  const value = (model: string, cohort: string, metric: string, k?: number) =>
    run.result.metrics.find((m) => m.model === model && m.cohort === cohort && m.name === metric && m.k === k)?.value;
  const pct = (v: number | undefined) => (v === undefined ? '   -  ' : (100 * v).toFixed(2).padStart(6));
  const everyone = run.result.metrics.some((m) => m.cohort === 'all');
  const lines = ['', `RoleGen on ${everyone ? 'all' : 'dormant'} users (test split, evaluated once after the loop; ${seconds.toFixed(0)} s in all)`];
  lines.push('', 'Closed loop on the validation split:');
  for (const r of run.rounds) {
    lines.push(`  round ${r.round}: R@10 ${(100 * r.feedback.recall10).toFixed(2)}%  NDCG@10 ${(100 * r.feedback.ndcg10).toFixed(2)}%  candidate hit rate ${(100 * r.feedback.candidateHitRate).toFixed(2)}%  ${r.kept ? 'kept' : 'reverted'}  (${r.memo})`);
  }
  for (const cohort of [...(everyone ? ['all', 'all/seen', 'all/new'] : []), 'dormant', 'dormant/seen', 'dormant/new']) {
    const n = run.result.metrics.find((m) => m.cohort === cohort && m.name === 'mrr')?.n ?? 0;
    lines.push('', `${cohort} (${n} users), values in %`);
    lines.push(`${'model'.padEnd(18)}   R@1    R@5   R@10   R@20  N@10   MRR   cov@10  H(int)@10`);
    for (const model of run.models) {
      lines.push(
        `${model.name.padEnd(18)} ${[1, 5, 10, 20].map((k) => pct(value(model.name, cohort, 'recall', k))).join(' ')}` +
          ` ${pct(value(model.name, cohort, 'ndcg', 10))} ${pct(value(model.name, cohort, 'mrr'))} ${pct(value(model.name, cohort, 'coverage', 10))}` +
          `  ${(value(model.name, cohort, 'intentEntropy', 10) ?? 0).toFixed(2)}`,
      );
    }
  }
  for (const cohort of [...(everyone ? ['all'] : []), 'dormant']) {
    lines.push('', `Paired bootstrap 95% intervals against the backbone alone unless another baseline is named (percentage points), ${cohort} users:`);
    for (const c of run.result.comparisons.filter((c) => c.cohort === cohort && (c.metric === 'recall' || c.metric === 'mrr'))) {
      const [low, high] = c.ci;
      lines.push(
        `  ${(c.baseline === 'backbone' ? c.model : `${c.model} - ${c.baseline}`).padEnd(26)} ${c.metric}${c.k === undefined ? '' : `@${c.k}`}`.padEnd(42) +
          `${(100 * c.difference).toFixed(2).padStart(6)}  [${(100 * low).toFixed(2)}, ${(100 * high).toFixed(2)}]` +
          `  relative ${c.relative === undefined ? 'n/a' : `${(100 * c.relative).toFixed(1)}%`}${low > 0 ? '  (better)' : high < 0 ? '  (worse)' : '  (no clear difference)'}`,
      );
    }
  }
  const pathIntents = run.reasoning.map((r) => r.paths.flatMap((p) => (p.intent === undefined ? [] : [p.intent])));
  const distinct = pathIntents.map((list) => new Set(list).size);
  lines.push(
    '',
    `Interest collapse: counterfactual paths per dormant user span ${(distinct.reduce((a, b) => a + b, 0) / Math.max(1, distinct.length)).toFixed(2)} intent clusters on average ` +
      `(entropy ${(pathIntents.reduce((a, l) => a + intentEntropy(l), 0) / Math.max(1, pathIntents.length)).toFixed(2)} bits); ` +
      `${distinct.filter((d) => d >= 2).length} of ${distinct.length} users have paths in at least 2 clusters.`,
    run.models.some((m) => m.name === 'rolegen-a')
      ? 'Integration: rolegen = (b) log-prior bias on the backbone; rolegen-a = (a) candidate segment of the conditioned backbone; rolegen-ab = both; backbone-cand = the conditioned backbone without candidates.'
      : 'Integration (a) (a candidate conditioning segment) is evaluated only with --conditioned-model: here only (b), the log-prior bias.',
  );
  return lines.join('\n');
}

function usage(message: string): number {
  return usageError('eval', USAGE, message);
}

runCli('eval', main);
