/**
 * npm run snapshot -- --dataset <prepared dir> --out <file.json | file.json.gz> [--users all|dormant] [--created-at ISO]
 * Builds a snapshot v1 from a prepared dataset, validates it with the same code the workbench uses, and writes it.
 */
import { parseArgs } from 'node:util';
import { readPreparedDir } from '../data/nodeSource';
import { buildSnapshot, USER_SELECTIONS, type UserSelection } from '../data/snapshotBuilder';
import { runCli, usageError, writeSnapshotFile } from './cliRunner';

const USAGE = `usage: npm run snapshot -- --dataset <prepared dir> --out <file.json|file.json.gz> [--users ${USER_SELECTIONS.join('|')}] [--created-at ISO-8601]
  --dataset     a directory written by npm run prepare
  --out         where to write the snapshot; a name ending in .gz is gzip-compressed
  --users       which users to include (default all)
  --created-at  timestamp recorded in the snapshot (default now); fix it for byte-identical rebuilds`;

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        dataset: { type: 'string' },
        out: { type: 'string' },
        users: { type: 'string', default: 'all' },
        'created-at': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (!values.dataset) return usage('--dataset is required');
  if (!values.out) return usage('--out is required');
  const users = values.users;
  if (!(USER_SELECTIONS as readonly string[]).includes(users)) return usage(`--users must be one of ${USER_SELECTIONS.join(', ')}, got "${users}"`);
  const createdAt = values['created-at'] ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(createdAt))) return usage(`--created-at is not a date: "${createdAt}"`);

  const prepared = await readPreparedDir(values.dataset);
  const snapshot = buildSnapshot(prepared, {
    users: users as UserSelection,
    createdAt,
    producer: { tool: 'rolegen-workbench snapshot', version: '1', command: `npm run snapshot -- ${argv.join(' ')}` },
  });
  const size = await writeSnapshotFile(values.out, snapshot);
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
