/**
 * Parquet snapshots in the real browser: the bundled snapshot written as a manifest and tables (by the same writer
 * the CLIs use), served by vite preview over HTTP Range requests, or opened as files.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { readSnapshot } from '../src/data/snapshotIo';
import { snapshotHeader, snapshotUserRecords, TABLE_FILES } from '../src/data/parquetSnapshotWriter';
import { MANIFEST_FILE } from '../src/data/nodeParquet';
import { writeParquetFolder } from '../src/cli/cliRunner';
import type { Snapshot } from '../src/domain/snapshot';
import type { Manifest } from '../src/domain/snapshotManifest';
import { BUNDLED_PATH, openWorkbench, selectUser } from './support';

// Under dist/, which vite preview serves (the build that starts the server runs before this file does).
const SERVED = 'dist/e2e-snapshots/cikm2019';
const MANIFEST_URL = '/e2e-snapshots/cikm2019/manifest.json';
let snapshot: Snapshot;

test.beforeAll(async () => {
  snapshot = await readSnapshot(new Blob([readFileSync(BUNDLED_PATH)]).stream(), { source: 'bundled' });
  rmSync(SERVED, { recursive: true, force: true });
  mkdirSync(SERVED, { recursive: true });
  await writeParquetFolder(SERVED, snapshotHeader(snapshot), snapshotUserRecords(snapshot));
});

const tableFile = (name: string) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(join(SERVED, name)) });
/** The table files the manifest names (the writer leaves out tables the snapshot has nothing for). */
const manifestTables = () => Object.values((JSON.parse(readFileSync(join(SERVED, MANIFEST_FILE), 'utf8')) as Manifest).tables);
const manifestFile = () => ({ name: MANIFEST_FILE, mimeType: 'application/json', buffer: readFileSync(join(SERVED, MANIFEST_FILE)) });

test('a Parquet snapshot loads from its manifest URL: cohort, trajectory with roles, predictions and metrics', async ({ page }) => {
  await openWorkbench(page, `?snapshot=${MANIFEST_URL}`);
  const badge = page.getByTestId('dataset-badge');
  await expect(badge).toContainText(`${snapshot.users.length.toLocaleString('en')} users`);
  await expect(badge).toContainText('manifest.json');

  // A reasoned dormant user: its events are read from the events table on selection, its roles from reasoning.
  const reasoned = snapshot.reasoning![0]!;
  const user = snapshot.users.find((u) => u.id === reasoned.user)!;
  await selectUser(page, user.id);
  const nodes = page.getByTestId('event-node');
  await expect(nodes).toHaveCount(user.events.length);
  await expect(nodes.first()).toHaveAttribute('data-role', reasoned.roles[0]!.role);
  await expect(page.locator('.trajectory-path-label')).toHaveCount(reasoned.paths.length);
  const details = page.getByTestId('details-panel');
  await expect(details).toContainText(user.id);
  await expect(page.getByTestId('details-model')).toHaveCount(snapshot.predictions!.length);

  await page.getByRole('tab', { name: 'Evaluation' }).click();
  await expect(page.getByTestId('evaluation-table')).toBeVisible();
  await expect(page.getByTestId('evaluation-table')).toContainText(snapshot.predictions![0]!.model);
  await page.screenshot({ path: 'test-results/screenshots/parquet-snapshot.png' });
});

test('Parquet files opened together load; a damaged table names its file and keeps the loaded snapshot', async ({ page }) => {
  await openWorkbench(page);
  const input = page.getByTestId('snapshot-file-input');
  const tables = manifestTables();
  expect(tables).toContain(TABLE_FILES.events);
  await input.setInputFiles([manifestFile(), ...tables.map(tableFile)]);
  const badge = page.getByTestId('dataset-badge');
  await expect(badge).toContainText('manifest.json');
  await expect(badge).toContainText(`${snapshot.users.length.toLocaleString('en')} users`);
  const user = snapshot.users.find((u) => u.segment === 'dormant')!;
  await selectUser(page, user.id);
  await expect(page.getByTestId('event-node')).toHaveCount(user.events.length);

  // Truncated: the Parquet footer is gone.
  const events = tableFile(TABLE_FILES.events);
  const error = page.getByTestId('load-error');
  await input.setInputFiles([manifestFile(), ...tables.filter((t) => t !== TABLE_FILES.events).map(tableFile), { ...events, buffer: events.buffer.subarray(0, 1000) }]);
  await expect(error).toContainText(TABLE_FILES.events);
  await expect(badge).toContainText(`${snapshot.users.length.toLocaleString('en')} users`);
  await expect(page.getByTestId('event-node')).toHaveCount(user.events.length);

  // The manifest without its tables.
  await input.setInputFiles([manifestFile()]);
  await expect(error).toContainText('not among the files opened');
  await expect(error).toContainText(TABLE_FILES.users);
  await expect(badge).toContainText('manifest.json');
});
