/**
 * npm run bench [-- --model models/cikm2019 --snapshot public/snapshots/cikm2019.json.gz --users 400 --snapshot-sizes 10000,100000]
 * The same backbone on the same users in one run: onnxruntime-web WASM in headless Chromium (1 and 2 threads),
 * onnxruntime-node (1 and 2 threads), and PyTorch eager on CPU (encoder only: the field's usual tool).
 * Prints users/s and ratios, then the time to open synthetic JSON.gz snapshots of the given sizes. Figures go to the README by hand with the date and machine; no test reads them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { formatBytes, readSnapshot } from '../data/snapshotIo';
import { encodeSequences } from '../engines/backbone/encoding';
import { BENCH_BATCH, measureBackbone, type BenchFigures } from '../engines/backbone/benchmark';
import { evalCases } from '../engines/eval/cases';
import { runCli } from './cliRunner';
import { loadNodeBackbone } from './nodeBackbone';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const PORT = 4181;

interface Row {
  readonly runtime: string;
  readonly encoderUsersPerSecond: number;
  readonly recommendUsersPerSecond?: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/cikm2019' },
      snapshot: { type: 'string', default: 'public/snapshots/cikm2019.json.gz' },
      users: { type: 'string', default: '400' },
      'snapshot-sizes': { type: 'string', default: '10000,100000' },
    },
  });
  const users = Number(values.users);
  const snapshot = await readSnapshot(new Blob([readFileSync(values.snapshot)]).stream(), { source: values.snapshot });
  const inputs = evalCases(snapshot.users).slice(0, users).map((c) => c.input);
  const rows: Row[] = [];
  const snapshotRows: SnapshotRow[] = [];
  log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${inputs.length} users, batches of ${BENCH_BATCH}`);

  for (const threads of [1, 2]) {
    const model = await loadNodeBackbone(values.model, threads);
    rows.push(asRow(`onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}`, await measureBackbone(model, inputs)));
    await model.runtime.dispose();
    log(`  done: ${rows.at(-1)!.runtime}`);
  }

  const server = startPreview();
  try {
    await waitForServer(`http://127.0.0.1:${PORT}/bench.html`);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      const modelUrl = `/${values.model.replace(/^\.?\//, '')}/`;
      await page.goto(`http://127.0.0.1:${PORT}/bench.html?threads=${threads}&users=${users}&model=${encodeURIComponent(modelUrl)}`);
      const result = await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, undefined, { timeout: 600_000 });
      const response = (await result.jsonValue()) as { ok: boolean; figures?: BenchFigures; message?: string };
      if (!response.ok || !response.figures) throw new Error(`browser bench failed: ${response.message}`);
      rows.push(asRow(`onnxruntime-web WASM in Chromium, ${threads} thread${threads > 1 ? 's' : ''}`, response.figures));
      await page.close();
      log(`  done: ${rows.at(-1)!.runtime}`);
    }
    for (const size of values['snapshot-sizes'].split(',').map(Number).filter((n) => n > 0)) {
      snapshotRows.push(await measureSnapshotOpen(browser, size));
      log(`  done: snapshot of ${size} users`);
    }
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid);
  }

  for (const threads of [1, 2]) {
    const torch = await pytorchEncoder(values.model, inputs, threads);
    if (torch) rows.push(torch);
  }

  console.log(`\nOpening synthetic JSON.gz snapshots (resampled cikm2019 users) in Chromium, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`${'users'.padStart(9)} ${'file'.padStart(10)} ${'to cohort view'.padStart(15)} ${'to one user'.padStart(12)} ${'JS heap'.padStart(10)} ${'heap/file'.padStart(9)}`);
  for (const r of snapshotRows) {
    console.log(
      `${r.users.toLocaleString('en').padStart(9)} ${formatBytes(r.fileBytes).padStart(10)} ${`${r.secondsToCohort.toFixed(2)} s`.padStart(15)}` +
        ` ${`${r.secondsToUser.toFixed(2)} s`.padStart(12)} ${formatBytes(r.heapBytes).padStart(10)} ${(r.heapBytes / r.fileBytes).toFixed(1).padStart(9)}`,
    );
  }

  const reference = rows.find((r) => r.runtime.startsWith('onnxruntime-node, 1'))!;
  console.log(`\nBackbone throughput on ${inputs.length} users (${values.model}), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores`);
  console.log(`${'runtime'.padEnd(44)} ${'encoder users/s'.padStart(16)} ${'x node-1t'.padStart(9)} ${'top-20 users/s'.padStart(15)} ${'x node-1t'.padStart(9)}`);
  for (const row of rows) {
    const rec = row.recommendUsersPerSecond;
    console.log(
      `${row.runtime.padEnd(44)} ${row.encoderUsersPerSecond.toFixed(0).padStart(16)} ${(row.encoderUsersPerSecond / reference.encoderUsersPerSecond).toFixed(2).padStart(9)}` +
        ` ${(rec === undefined ? '-' : rec.toFixed(1)).padStart(15)} ${(rec === undefined ? '-' : (rec / reference.recommendUsersPerSecond!).toFixed(2)).padStart(9)}`,
    );
  }
}

interface SnapshotRow {
  readonly users: number;
  readonly fileBytes: number;
  readonly secondsToCohort: number;
  readonly secondsToUser: number;
  readonly heapBytes: number;
}

/**
 * Time from navigation to the first cohort rows of a synthetic JSON.gz snapshot of `users` users, then to one user's
 * trajectory, and the JS heap of the tab after loading (all its realms: page and workers).
 */
async function measureSnapshotOpen(browser: Browser, users: number): Promise<SnapshotRow> {
  const file = join(mkdtempSync(join(tmpdir(), 'rolegen-bench-')), `synth-${users}.json.gz`);
  const synth = spawnSync('npx', ['tsx', 'src/cli/synth.ts', '--users', String(users), '--out', file], { encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  const page = await browser.newPage();
  // On the context, so the loader worker's fetch is routed too.
  await page.context().route((url) => url.pathname.startsWith('/bench-snapshots/'), (route) => route.fulfill({ path: file, contentType: 'application/gzip' }));
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/?snapshot=/bench-snapshots/synth.json.gz`);
  await page.getByTestId('cohort-row').first().waitFor({ timeout: 600_000 });
  const secondsToCohort = (Date.now() - started) / 1000;
  const opened = Date.now();
  await page.getByTestId('cohort-row').nth(3).click();
  await page.getByTestId('event-node').first().waitFor({ timeout: 120_000 });
  const secondsToUser = (Date.now() - opened) / 1000;
  const heapBytes = await page.evaluate(async () => {
    const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>; memory?: { usedJSHeapSize: number } };
    return p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).bytes : (p.memory?.usedJSHeapSize ?? 0);
  });
  await page.close();
  return { users, fileBytes: statSync(file).size, secondsToCohort, secondsToUser, heapBytes };
}

function asRow(runtime: string, figures: BenchFigures): Row {
  return { runtime, encoderUsersPerSecond: figures.encoderUsersPerSecond, recommendUsersPerSecond: figures.recommendUsersPerSecond };
}

/** PyTorch eager runs the encoder on exactly the int32 batches the TypeScript encoding produced. */
async function pytorchEncoder(modelDir: string, inputs: Parameters<typeof measureBackbone>[1], threads: number): Promise<Row | null> {
  if (!existsSync(join(modelDir, 'model.pt'))) {
    log(`  skipped PyTorch: ${modelDir}/model.pt is missing`);
    return null;
  }
  const model = await loadNodeBackbone(modelDir);
  const batches = [];
  for (let start = 0; start < inputs.length; start += BENCH_BATCH) {
    const e = encodeSequences(inputs.slice(start, start + BENCH_BATCH), model.meta, model.sids);
    batches.push({ batch: e.batch, length: e.length, codes: [...e.codes], actions: [...e.actions], gaps: [...e.gaps], mask: [...e.mask] });
  }
  await model.runtime.dispose();
  const file = join(mkdtempSync(join(tmpdir(), 'rolegen-bench-')), 'inputs.json');
  writeFileSync(file, JSON.stringify(batches));
  const run = spawnSync('python3', ['-m', 'training.rolegen_train.bench', '--model', modelDir, '--inputs', file, '--threads', String(threads)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`PyTorch bench failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { encoderUsersPerSecond: number };
  return { runtime: `PyTorch ${torchVersion()} eager (encoder only), ${threads} thread${threads > 1 ? 's' : ''}`, encoderUsersPerSecond: result.encoderUsersPerSecond };
}

function torchVersion(): string {
  return spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
}

function startPreview(): ChildProcess {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  // Its own process group, so stopping it also stops the vite process npx starts; --bypass-lock lets it run beside
  // a dev server of the same project.
  return spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1', '--bypass-lock'], {
    stdio: 'ignore',
    detached: true,
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

runCli('bench', async () => {
  await main();
  return 0;
});
