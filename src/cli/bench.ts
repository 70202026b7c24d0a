/**
 * npm run bench [-- --model models/cikm2019 --snapshot public/snapshots/cikm2019.json.gz --users 400]
 * The same backbone on the same users in one run: onnxruntime-web WASM in headless Chromium (1 and 2 threads),
 * onnxruntime-node (1 and 2 threads), and PyTorch eager on CPU (encoder only: the field's usual tool).
 * Prints users/s and ratios. Figures go to the README by hand with the date and machine; no test reads them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { readSnapshot } from '../data/snapshotIo';
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
    },
  });
  const users = Number(values.users);
  const snapshot = await readSnapshot(new Blob([readFileSync(values.snapshot)]).stream(), { source: values.snapshot });
  const inputs = evalCases(snapshot.users).slice(0, users).map((c) => c.input);
  const rows: Row[] = [];
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
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid);
  }

  for (const threads of [1, 2]) {
    const torch = await pytorchEncoder(values.model, inputs, threads);
    if (torch) rows.push(torch);
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
