/**
 * npm run bench [-- --model models/cikm2019 --snapshot public/snapshots/cikm2019.json.gz --users 400
 *                   --snapshot-sizes 10000,100000 --parquet-sizes 10000,100000,1000000 --only backbone|snapshots]
 * The same backbone on the same users in one run: onnxruntime-web WASM in headless Chromium (1 and 2 threads),
 * onnxruntime-node (1 and 2 threads), and PyTorch eager on CPU (encoder only: the field's usual tool).
 * Then the time to open synthetic snapshots of the given sizes, JSON.gz and Parquet, served by vite preview.
 * Synthetic snapshots are generated once into .cache/bench/ (npm run synth, seed 1; delete the folder to redo).
 * Figures go to the README by hand with the date and machine; no test reads them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { MANIFEST_FILE } from '../data/nodeParquet';
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
      'parquet-sizes': { type: 'string', default: '10000,100000,1000000' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'backbone' && values.only !== 'snapshots') throw new Error(`--only takes backbone or snapshots, got "${values.only}"`);
  const backboneToo = values.only !== 'snapshots';
  const snapshotsToo = values.only !== 'backbone';
  const sizes = (list: string) => list.split(',').map(Number).filter((n) => n > 0);
  const snapshotCases: SnapshotCase[] = snapshotsToo
    ? [
        ...sizes(values['snapshot-sizes']).map((users) => ({ users, format: 'json' as const })),
        ...sizes(values['parquet-sizes']).map((users) => ({ users, format: 'parquet' as const })),
      ]
    : [];
  snapshotCases.forEach(ensureSynthetic);
  const users = Number(values.users);
  const snapshot = await readSnapshot(new Blob([readFileSync(values.snapshot)]).stream(), { source: values.snapshot });
  const inputs = evalCases(snapshot.users).slice(0, users).map((c) => c.input);
  const rows: Row[] = [];
  const snapshotRows: SnapshotRow[] = [];
  log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${inputs.length} users, batches of ${BENCH_BATCH}`);

  for (const threads of backboneToo ? [1, 2] : []) {
    const model = await loadNodeBackbone(values.model, threads);
    rows.push(asRow(`onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}`, await measureBackbone(model, inputs)));
    await model.runtime.dispose();
    log(`  done: ${rows.at(-1)!.runtime}`);
  }

  const server = startPreview();
  try {
    await waitForServer(`http://127.0.0.1:${PORT}/bench.html`);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    for (const threads of backboneToo ? [1, 2] : []) {
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
    for (const c of snapshotCases) {
      snapshotRows.push(await measureSnapshotOpen(browser, c));
      log(`  done: ${c.format} snapshot of ${c.users} users`);
    }
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid);
  }

  for (const threads of backboneToo ? [1, 2] : []) {
    const torch = await pytorchEncoder(values.model, inputs, threads);
    if (torch) rows.push(torch);
  }

  if (snapshotRows.length > 0) {
    console.log(`\nOpening synthetic snapshots (resampled cikm2019 users) from vite preview in Chromium, ${new Date().toISOString().slice(0, 10)}`);
    console.log(
      `${'format'.padEnd(8)} ${'users'.padStart(9)} ${'on disk'.padStart(10)} ${'to cohort view'.padStart(15)} ${'to one user'.padStart(12)}` +
        ` ${'JS heap'.padStart(10)} ${'heap/disk'.padStart(9)} ${'longest task'.padStart(13)}`,
    );
    for (const r of snapshotRows) {
      const head = `${r.format.padEnd(8)} ${r.users.toLocaleString('en').padStart(9)} ${formatBytes(r.fileBytes).padStart(10)}`;
      if (r.refused !== undefined) {
        console.log(`${head} refused after ${r.secondsToCohort.toFixed(2)} s: ${r.refused}`);
        continue;
      }
      console.log(
        `${head} ${`${r.secondsToCohort.toFixed(2)} s`.padStart(15)} ${`${r.secondsToUser.toFixed(2)} s`.padStart(12)} ${formatBytes(r.heapBytes).padStart(10)}` +
          ` ${(r.heapBytes / r.fileBytes).toFixed(1).padStart(9)} ${`${r.longestTaskMs.toFixed(0)} ms`.padStart(13)}`,
      );
    }
  }
  if (rows.length === 0) return;

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

interface SnapshotCase {
  readonly users: number;
  readonly format: 'json' | 'parquet';
}

interface SnapshotRow extends SnapshotCase {
  /** Bytes on disk: the .json.gz file, or the Parquet tables and manifest together. */
  readonly fileBytes: number;
  readonly secondsToCohort: number;
  readonly secondsToUser: number;
  readonly heapBytes: number;
  /** The longest main-thread task from navigation to the trajectory on screen (PerformanceObserver 'longtask'). */
  readonly longestTaskMs: number;
  /** The load error the workbench showed instead of the cohort. */
  readonly refused?: string;
}

const SYNTH_CACHE = '.cache/bench';
const synthName = (c: SnapshotCase) => (c.format === 'json' ? `synth-${c.users}.json.gz` : `synth-${c.users}`);

function ensureSynthetic(c: SnapshotCase): void {
  const out = join(SYNTH_CACHE, synthName(c));
  if (existsSync(c.format === 'json' ? out : join(out, MANIFEST_FILE))) return;
  mkdirSync(SYNTH_CACHE, { recursive: true });
  log(`  generating ${out} (npm run synth; cached for later runs)`);
  const synth = spawnSync('npx', ['tsx', 'src/cli/synth.ts', '--users', String(c.users), '--format', c.format, '--out', out], { encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
}

function bytesOnDisk(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((n, name) => n + bytesOnDisk(join(path, name)), 0) : stat.size;
}

/**
 * Time from navigation to the first cohort rows of a synthetic snapshot served by vite preview (a Parquet one over
 * HTTP Range requests), then to one user's trajectory; the JS heap of the tab after loading (all its realms: page and
 * workers) and the longest main-thread task meanwhile, i.e. how long the page could not answer input.
 */
async function measureSnapshotOpen(browser: Browser, c: SnapshotCase): Promise<SnapshotRow> {
  const source = join(SYNTH_CACHE, synthName(c));
  // Under dist/, which vite preview serves; the build that started the server emptied it.
  cpSync(source, join('dist', 'bench-snapshots', synthName(c)), { recursive: true });
  const url = `/bench-snapshots/${synthName(c)}${c.format === 'json' ? '' : `/${MANIFEST_FILE}`}`;
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { longestTask: number };
    w.longestTask = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longestTask = Math.max(w.longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/?snapshot=${encodeURIComponent(url)}`);
  const cohort = page.getByTestId('cohort-row').first();
  const error = page.getByTestId('load-error');
  await cohort.or(error).first().waitFor({ timeout: 600_000 });
  const secondsToCohort = (Date.now() - started) / 1000;
  const fileBytes = bytesOnDisk(source);
  if (await error.isVisible()) {
    const refused = (await error.innerText()).replace(/\s+/g, ' ').trim();
    await page.close();
    return { ...c, fileBytes, secondsToCohort, secondsToUser: 0, heapBytes: 0, longestTaskMs: 0, refused };
  }
  const opened = Date.now();
  await page.getByTestId('cohort-row').nth(3).click();
  await page.getByTestId('event-node').first().waitFor({ timeout: 120_000 });
  const secondsToUser = (Date.now() - opened) / 1000;
  const heapBytes = await page.evaluate(async () => {
    const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>; memory?: { usedJSHeapSize: number } };
    return p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).bytes : (p.memory?.usedJSHeapSize ?? 0);
  });
  const longestTaskMs = await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
  await page.close();
  return { ...c, fileBytes, secondsToCohort, secondsToUser, heapBytes, longestTaskMs };
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
