import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPreparedDir } from '../../src/data/nodeSource';
import { FIXTURES } from './fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'prepare-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function prepare(args: readonly string[], env: Record<string, string> = {}) {
  // Drop the npm_* variables of whatever runs the tests, so each case sets exactly the ones it means.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const result = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/prepare.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run prepare', () => {
  it('does nothing, successfully, when npm runs it as the install-time "prepare" hook', () => {
    expect(prepare([], { npm_command: 'install', npm_lifecycle_event: 'prepare' })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(prepare([], { npm_command: 'ci', npm_lifecycle_event: 'prepare' }).code).toBe(0);
    expect(prepare([], { npm_command: 'pack', npm_lifecycle_event: 'prepare' }).code).toBe(0);
  });

  it('prints usage and exits 2 on missing or bad arguments', () => {
    const none = prepare([], { npm_command: 'run-script', npm_lifecycle_event: 'prepare' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--format, --input and --out are required');
    expect(none.stderr).toContain('usage: npm run prepare -- --format <cikm2019|tmall2014|taobao-ub|rees46>');
    expect(prepare(['--format', 'nope', '--input', 'x', '--out', out]).stderr).toContain('unknown format "nope"');
    expect(prepare(['--format', 'rees46', '--input', 'x', '--out', out, '--max-purchase-rate', '2']).code).toBe(2);
    expect(prepare(['--format', 'rees46', '--bogus']).code).toBe(2);
  });

  it('prepares the taobao-ub fixture folder and the result reads back', async () => {
    const run = prepare(['--format', 'taobao-ub', '--input', join(FIXTURES, 'taobao-ub'), '--out', out, '--min-events', '5']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('users 3, items 20, events 26 (17 click, 2 fav, 3 cart, 4 buy)');
    expect(run.stdout).toContain('malformed rows: 6 (unknown-behaviour 1, bad-number 3, column-count 1, empty-id 1)');
    expect(run.stdout).toContain('UserBehavior.csv:9: unknown behaviour "like": 1,5002615,2520377,like,1511800000');
    expect(run.stdout).toContain('dormant rule: >= 5 non-purchase events');
    for (const name of ['dataset.json', 'items.tsv', 'events.tsv', 'users.tsv', 'README.md']) expect(existsSync(join(out, name))).toBe(true);
    const back = await readPreparedDir(out);
    expect(JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'))).toEqual(back.meta);
    expect(back.meta.dormantRule.minNonPurchaseEvents).toBe(5);
    expect(back.meta.attribution?.text).toContain('hand-written file in the public Taobao UserBehavior CSV format');
    expect(back.dataset.stats.events).toBe(26);
  });

  it('exits 1 with a message naming the file when the input is unusable', () => {
    const bad = prepare(['--format', 'cikm2019', '--input', join(FIXTURES, 'cikm2019-mostly-malformed'), '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ecomm_edge_train\.txt: 9 of 10 rows are malformed \(first: line 2: unknown behaviour "7"\)/);
    const missing = prepare(['--format', 'rees46', '--input', join(FIXTURES, 'nowhere.csv'), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.csv: not found');
    const empty = prepare(['--format', 'rees46', '--input', join(FIXTURES, 'cikm2019'), '--out', out]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no 2019-Oct.csv or other .csv file');
  });
});
