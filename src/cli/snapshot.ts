/**
 * npm run snapshot -- --dataset <prepared dir> --out <file.json | file.json.gz | folder> [--format json|parquet] [--users all|dormant] [--created-at ISO]
 * npm run snapshot -- --from <snapshot.json[.gz]> --format parquet --out <folder>
 * Builds a snapshot v1 from a prepared dataset (or takes an existing one, e.g. written by npm run eval), validates it
 * with the same code the workbench uses, and writes it as JSON or as a Parquet manifest with tables.
 */
import { readFileSync } from 'node:fs';
import type { Snapshot } from '../domain/snapshot';
import { validateSnapshot } from '../domain/snapshotValidation';
import { readPreparedDir } from '../data/nodeSource';
import { snapshotHeader, snapshotUserRecords } from '../data/parquetSnapshotWriter';
import { buildSnapshot, USER_SELECTIONS, type UserSelection } from '../data/snapshotBuilder';
import { readSnapshot } from '../data/snapshotIo';
import { parseCliArgs, runCli, usageError, writeParquetFolder, writeSnapshotFile } from './cliRunner';

const USAGE = `usage: npm run snapshot -- (--dataset <prepared dir> | --from <snapshot.json[.gz]>) --out <path> [--format json|parquet] [--users ${USER_SELECTIONS.join('|')}] [--created-at ISO-8601]
  --dataset     a directory written by npm run prepare
  --from        an existing JSON snapshot to convert (keeps its predictions, reasoning, metrics and loop)
  --out         json: a file, gzip-compressed when the name ends in .gz; parquet: a folder for manifest.json and the tables
  --format      json (default) or parquet (a JSON manifest plus Parquet tables, for cohorts of 100k users and more)
  --users       which users to include (default all; with --dataset only)
  --created-at  timestamp recorded in the snapshot (default now; with --dataset only); fix it for byte-identical rebuilds`;

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv, {
    dataset: { type: 'string' },
    from: { type: 'string' },
    format: { type: 'string', default: 'json' },
    out: { type: 'string' },
    users: { type: 'string', default: 'all' },
    'created-at': { type: 'string' },
  });
  if ('error' in parsed) return usage(parsed.error);
  const { values } = parsed;
  if (!values.dataset === !values.from) return usage('give exactly one of --dataset and --from');
  if (!values.out) return usage('--out is required');
  if (values.format !== 'json' && values.format !== 'parquet') return usage(`--format must be json or parquet, got "${values.format}"`);
  const users = values.users;
  if (!(USER_SELECTIONS as readonly string[]).includes(users)) return usage(`--users must be one of ${USER_SELECTIONS.join(', ')}, got "${users}"`);
  const createdAt = values['created-at'] ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(createdAt))) return usage(`--created-at is not a date: "${createdAt}"`);

  let snapshot: Snapshot;
  if (values.from) {
    snapshot = await readSnapshot(new Blob([readFileSync(values.from)]).stream(), { source: values.from });
  } else {
    const prepared = await readPreparedDir(values.dataset!);
    snapshot = buildSnapshot(prepared, {
      users: users as UserSelection,
      createdAt,
      producer: { tool: 'rolegen-workbench snapshot', version: '1', command: `npm run snapshot -- ${argv.join(' ')}` },
    });
  }
  let size: string;
  if (values.format === 'json') {
    size = await writeSnapshotFile(values.out, snapshot);
  } else {
    const check = validateSnapshot(snapshot);
    if (!check.ok) throw new Error(`built an invalid snapshot: ${check.fault.path}: ${check.fault.message} (got ${check.fault.value})`);
    size = await writeParquetFolder(values.out, snapshotHeader(snapshot), snapshotUserRecords(snapshot));
  }
  const dormant = snapshot.users.filter((u) => u.segment === 'dormant').length;
  const events = snapshot.users.reduce((n, u) => n + u.events.length, 0);
  console.log(
    `wrote ${values.out} (${size}): ${snapshot.users.length} users (${dormant} dormant), ` +
      `${events} events, ${snapshot.items.length} items`,
  );
  return 0;
}

function usage(message: string): number {
  return usageError('snapshot', USAGE, message);
}

runCli('snapshot', main);
