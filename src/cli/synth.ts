/**
 * npm run synth -- --users N --out <file.json.gz | folder> [--format json|parquet] [--from public/snapshots/cikm2019.json.gz] [--seed 1]
 * Writes a synthetic snapshot of N users resampled from a real snapshot, for scale tests only (marked synthetic).
 * Users stream to the output, so N can be a million.
 */
import { readFileSync } from 'node:fs';
import { readSnapshot } from '../data/snapshotIo';
import { synthHeader, synthUsers } from '../data/synthSnapshot';
import { parseCliArgs, runCli, usageError, writeParquetFolder, writeSnapshotStream } from './cliRunner';

const USAGE = `usage: npm run synth -- --users N --out <file.json[.gz] | folder> [--format json|parquet] [--from <real snapshot>] [--seed S]
  --format  json (default): one .json or .json.gz file; parquet: a folder with manifest.json and .parquet tables`;

runCli('synth', async (argv) => {
  const parsed = parseCliArgs(argv, {
    users: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string', default: 'json' },
    from: { type: 'string', default: 'public/snapshots/cikm2019.json.gz' },
    seed: { type: 'string', default: '1' },
  });
  if ('error' in parsed) return usageError('synth', USAGE, parsed.error);
  const { values } = parsed;
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 1) return usageError('synth', USAGE, `--users must be a positive integer, got "${values.users}"`);
  if (!values.out) return usageError('synth', USAGE, '--out is required');
  if (values.format !== 'json' && values.format !== 'parquet') return usageError('synth', USAGE, `--format must be json or parquet, got "${values.format}"`);
  const source = await readSnapshot(new Blob([readFileSync(values.from)]).stream(), { source: values.from });
  const header = synthHeader(source, users);
  const drawn = synthUsers(source, { users, seed: Number(values.seed) });
  let size: string;
  if (values.format === 'json') {
    size = await writeSnapshotStream(values.out, header, drawn);
  } else {
    const { items, predictions: _p, reasoning: _r, schema: _s, ...meta } = header;
    const records = (function* () {
      for (const user of drawn) yield { user, predictions: [] };
    })();
    size = await writeParquetFolder(values.out, { meta, items, predictionModels: [] }, records);
  }
  console.log(`wrote ${values.out} (${size}): ${users} synthetic users resampled from ${values.from}`);
  return 0;
});
