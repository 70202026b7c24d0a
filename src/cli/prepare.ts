/**
 * npm run prepare -- --format <format> --input <file|folder> --out <dir> [--min-events 10] [--max-purchase-rate 0.05]
 * Reads a raw log in its original format and writes the prepared dataset directory (see src/data/preparedDataset.ts).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ACTIONS } from '../domain/events';
import { DEFAULT_DORMANT_RULE, type DormantRule } from '../domain/segment';
import { buildDataset, type Dataset, type SegmentStats } from '../data/dataset';
import { DatasetFormatError } from '../data/malformed';
import { fileSource } from '../data/nodeSource';
import {
  PREPARED_FILES,
  attributionFromSourceMd,
  eventsTsv,
  itemsTsv,
  preparedMeta,
  preparedReadme,
  sourceInfo,
  usersTsv,
  type PreparedSourceInfo,
} from '../data/preparedDataset';
import { FORMATS, FORMAT_FILES, isRawFormat, pickFiles, readRaw, type RawFormat, type RawReadResult, type RawSources } from '../data/readers';

const USAGE = `usage: npm run prepare -- --format <${FORMATS.join('|')}> --input <file or folder> --out <dir>
                       [--min-events ${DEFAULT_DORMANT_RULE.minNonPurchaseEvents}] [--max-purchase-rate ${DEFAULT_DORMANT_RULE.maxPurchaseRate}]
  --input       the data file, or the folder holding it (${FORMATS.map((f) => `${f}: ${FORMAT_FILES[f].map((s) => s.name).join(' + ')}`).join('; ')})
  --out         directory to write dataset.json, items.tsv, events.tsv, users.tsv and README.md into
  --min-events  dormant rule: at least this many non-purchase events before the target day
  --max-purchase-rate  dormant rule: purchase rate (purchases / events) before the target day below this`;

class UsageError extends Error {}

interface Args {
  readonly format: RawFormat;
  readonly input: string;
  readonly out: string;
  readonly rule: DormantRule;
}

async function main(argv: readonly string[]): Promise<number> {
  // npm runs a script named "prepare" by itself on install/ci/pack: that is not a request to prepare data.
  const npmCommand = process.env.npm_command;
  if (npmCommand === 'install' || npmCommand === 'ci') return 0;
  if (argv.length === 0 && process.env.npm_lifecycle_event === 'prepare' && npmCommand !== 'run-script') return 0;

  let args: Args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    process.stderr.write(`prepare: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    await prepare(args);
    return 0;
  } catch (error) {
    if (!(error instanceof DatasetFormatError)) throw error;
    process.stderr.write(`prepare: ${error.message}\n`);
    return 1;
  }
}

function parseCliArgs(argv: readonly string[]): Args {
  // parseArgs throws TypeError (with a clear message) on unknown options or missing values.
  const { values } = parseArgs({
    args: [...argv],
    options: {
      format: { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string' },
      'min-events': { type: 'string' },
      'max-purchase-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new UsageError('help');
  const { format, input, out } = values;
  if (format === undefined || input === undefined || out === undefined) throw new UsageError('--format, --input and --out are required');
  if (!isRawFormat(format)) throw new UsageError(`unknown format "${format}" (expected one of ${FORMATS.join(', ')})`);
  const minEvents = values['min-events'] ?? String(DEFAULT_DORMANT_RULE.minNonPurchaseEvents);
  const maxRate = values['max-purchase-rate'] ?? String(DEFAULT_DORMANT_RULE.maxPurchaseRate);
  const minNonPurchaseEvents = Number(minEvents);
  const maxPurchaseRate = Number(maxRate);
  if (!Number.isInteger(minNonPurchaseEvents) || minNonPurchaseEvents < 0) throw new UsageError(`--min-events must be a whole number >= 0, got "${minEvents}"`);
  if (!Number.isFinite(maxPurchaseRate) || maxPurchaseRate < 0 || maxPurchaseRate > 1) throw new UsageError(`--max-purchase-rate must be in [0, 1], got "${maxRate}"`);
  return { format, input, out, rule: { minNonPurchaseEvents, maxPurchaseRate } };
}

/** --input as a file (the format's first file; its companions are looked up beside it) or as its folder. */
function resolveInput(format: RawFormat, input: string): { folder: string; paths: Partial<Record<'events' | 'items', string>> } {
  if (!existsSync(input)) throw new DatasetFormatError(input, 'not found');
  const isFolder = statSync(input).isDirectory();
  const folder = isFolder ? input : dirname(input);
  const listing = readdirSync(folder).filter((name) => statSync(join(folder, name)).isFile());
  const picked = pickFiles(format, listing);
  if ('error' in picked) {
    if (isFolder) throw new DatasetFormatError(input, picked.error);
    return { folder, paths: { events: input } };
  }
  const paths: Partial<Record<'events' | 'items', string>> = {};
  for (const [key, name] of Object.entries(picked.files) as [keyof typeof picked.files, string][]) paths[key] = join(folder, name);
  if (!isFolder) paths.events = input;
  return { folder, paths };
}

async function prepare({ format, input, out, rule }: Args): Promise<void> {
  const { folder, paths } = resolveInput(format, input);
  const sources: RawSources = {};
  for (const [key, path] of Object.entries(paths) as [keyof RawSources, string][]) sources[key] = fileSource(path);
  const started = Date.now();
  const raw = await readRaw(format, sources, {
    progressEvery: 500_000,
    onProgress: ({ file, rows, done }) => {
      // Only big files report while running; every file reports once at the end.
      if (!done || rows >= 500_000) process.stderr.write(`  ${basename(file)}: ${fmt(rows)} rows${done ? ' (done)' : ''}\n`);
    },
  });
  const dataset = buildDataset(raw, rule);

  const sourceMd = join(folder, 'SOURCE.md');
  const info = sourceInfo(raw, {
    name: basename(resolve(folder)),
    source: input,
    attribution: existsSync(sourceMd) ? attributionFromSourceMd(readFileSync(sourceMd, 'utf8')) : null,
    command: `npm run prepare -- --format ${format} --input ${input} --out ${out} --min-events ${rule.minNonPurchaseEvents} --max-purchase-rate ${rule.maxPurchaseRate}`,
  });
  const meta = preparedMeta(dataset, info);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, PREPARED_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
  await writeLines(join(out, PREPARED_FILES.items), itemsTsv(dataset.items));
  await writeLines(join(out, PREPARED_FILES.events), eventsTsv(dataset.users));
  await writeLines(join(out, PREPARED_FILES.users), usersTsv(dataset.users));
  await writeFile(join(out, PREPARED_FILES.readme), preparedReadme(meta));
  process.stdout.write(report(format, raw, dataset, info));
  process.stdout.write(`wrote ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function report(format: RawFormat, raw: RawReadResult, dataset: Dataset, info: PreparedSourceInfo): string {
  const s = dataset.stats;
  const out: string[] = [];
  out.push(`format ${format} (${raw.resolution} resolution) from ${info.source}`);
  out.push(`rows read: ${raw.files.map((f) => `${fmt(f.rows)} in ${basename(f.file)}`).join(', ')}`);
  out.push(`users ${fmt(s.users)}, items ${fmt(s.items)}, events ${fmt(s.events)} (${ACTIONS.map((a) => `${fmt(s.eventsByAction[a])} ${a}`).join(', ')})`);
  out.push(`days ${s.firstDay ?? '-'} .. ${s.lastDay ?? '-'}`);
  const m = raw.malformed;
  out.push(`malformed rows: ${fmt(m.total)}${m.total > 0 ? ` (${Object.entries(m.byReason).map(([r, n]) => `${r} ${fmt(n)}`).join(', ')})` : ''}`);
  for (const sample of m.samples) out.push(`  ${sample.file}:${sample.line}: ${sample.detail}: ${sample.text}`);
  if (m.total > m.samples.length) out.push(`  … ${fmt(m.total - m.samples.length)} more`);
  const skipped = Object.entries(raw.skipped);
  out.push(`skipped known event types: ${skipped.length === 0 ? 'none' : skipped.map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}`);
  for (const note of raw.notes) out.push(`note: ${note}`);
  const rule = dataset.dormantRule;
  out.push(`dormant rule: >= ${rule.minNonPurchaseEvents} non-purchase events and purchase rate < ${rule.maxPurchaseRate} before the target day`);
  out.push(`users with a target ${fmt(s.withTarget)}, with a validation day ${fmt(s.withValidation)}, usable targets (non-empty input) ${fmt(s.usableTargets)}`);
  out.push('segment     users  usable targets  target items  seen  new');
  const line = (name: string, x: SegmentStats) =>
    `${name.padEnd(9)} ${fmt(x.users).padStart(7)} ${fmt(x.usableTargets).padStart(15)} ${fmt(x.targetItems).padStart(13)} ${fmt(x.seenTargetItems).padStart(5)} ${fmt(x.newTargetItems).padStart(4)}`;
  for (const [name, x] of Object.entries(s.segments)) out.push(line(name, x));
  out.push(line('all', s));
  return `${out.join('\n')}\n`;
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const line of lines) {
      buffer.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        await file.write(buffer.join(''));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) await file.write(buffer.join(''));
  } finally {
    await file.close();
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`prepare: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
