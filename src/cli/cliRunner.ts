/** The shared edges of every CLI: run main, map its result to an exit code, print failures and usage. */
import { createWriteStream, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createGzip, gzipSync } from 'node:zlib';
import type { Snapshot, SnapshotUser } from '../domain/snapshot';
import type { UserRecord } from '../domain/snapshotMeta';
import { validateSnapshot } from '../domain/snapshotValidation';
import { folderSink } from '../data/nodeParquet';
import { writeParquetSnapshot, type ParquetSnapshotHeader } from '../data/parquetSnapshotWriter';
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

/** Strict option parsing: the parsed values, or parseArgs's message (unknown option, missing value) for usageError. */
type CliOptions = NonNullable<ParseArgsConfig['options']>;
type CliValues<O extends CliOptions> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

export function parseCliArgs<const O extends CliOptions>(
  argv: readonly string[],
  options: O,
): { readonly values: CliValues<O> } | { readonly error: string } {
  try {
    return { values: parseArgs({ args: [...argv], options, strict: true }).values };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
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

/**
 * JSON(.gz) written a user at a time, for snapshots too large to build as one object (synthetic scale tests).
 * Same document as writeSnapshotFile, users last.
 */
export async function writeSnapshotStream(path: string, header: Omit<Snapshot, 'users'>, users: Iterable<SnapshotUser>): Promise<string> {
  const file = createWriteStream(path);
  const gzip = path.endsWith('.gz') ? createGzip({ level: 6 }) : null;
  if (gzip) gzip.pipe(file);
  const out = gzip ?? file;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${JSON.stringify(header).slice(0, -1)},"users":[`);
  let first = true;
  for (const user of users) {
    await write(`${first ? '' : ','}${JSON.stringify(user)}`);
    first = false;
  }
  out.end(']}');
  await once(file, 'finish');
  return formatBytes(statSync(path).size);
}

/** A Parquet snapshot folder: manifest.json and its tables (domain/snapshotManifest.ts). */
export async function writeParquetFolder(dir: string, header: ParquetSnapshotHeader, records: Iterable<UserRecord>): Promise<string> {
  const manifest = await writeParquetSnapshot(header, records, folderSink(dir));
  const bytes = Object.values(manifest.tables).reduce((n, file) => n + statSync(`${dir}/${file}`).size, 0);
  return `${formatBytes(bytes)} in ${Object.keys(manifest.tables).length} tables`;
}
