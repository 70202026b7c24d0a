/**
 * npm run synth -- --users N --out <file.json.gz> [--from public/snapshots/cikm2019.json.gz] [--seed 1]
 * Writes a synthetic snapshot of N users resampled from a real snapshot, for scale tests only (marked synthetic).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readSnapshot } from '../data/snapshotIo';
import { synthSnapshot } from '../data/synthSnapshot';
import { runCli, usageError, writeSnapshotFile } from './cliRunner';

const USAGE = 'usage: npm run synth -- --users N --out <file.json[.gz]> [--from <real snapshot>] [--seed S]';

runCli('synth', async (argv) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        users: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string', default: 'public/snapshots/cikm2019.json.gz' },
        seed: { type: 'string', default: '1' },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError('synth', USAGE, error instanceof Error ? error.message : String(error));
  }
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1) return usageError('synth', USAGE, `--users must be a positive integer, got "${values.users}"`);
  if (!values.out) return usageError('synth', USAGE, '--out is required');
  const source = await readSnapshot(new Blob([readFileSync(values.from)]).stream(), { source: values.from });
  const snapshot = synthSnapshot(source, { users, seed: Number(values.seed) });
  const size = await writeSnapshotFile(values.out, snapshot);
  console.log(`wrote ${values.out} (${size}): ${users} synthetic users resampled from ${values.from}`);
  return 0;
});
