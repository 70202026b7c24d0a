/** The shared edges of every CLI: run main, map its result to an exit code, print failures and usage. */
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Snapshot } from '../domain/snapshot';
import { validateSnapshot } from '../domain/snapshotValidation';
import { formatBytes, serializeSnapshot } from '../data/snapshotIo';

export function runCli(name: string, main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Prints the problem and the usage text; returns the exit code for bad arguments. */
export function usageError(name: string, usage: string, message: string): number {
  process.stderr.write(`${name}: ${message}\n\n${usage}\n`);
  return 2;
}

/** Validates with the workbench's own code, then writes JSON (gzip-compressed when the name ends in .gz). */
export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<string> {
  const check = validateSnapshot(snapshot);
  if (!check.ok) throw new Error(`built an invalid snapshot: ${check.fault.path}: ${check.fault.message} (got ${check.fault.value})`);
  const json = serializeSnapshot(snapshot);
  const bytes = path.endsWith('.gz') ? gzipSync(json, { level: 9 }) : Buffer.from(json);
  await writeFile(path, bytes);
  return formatBytes(bytes.length);
}
