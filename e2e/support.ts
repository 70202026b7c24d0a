/** Shared e2e helpers: the bundled snapshot as the test's independent source of truth, and file payloads. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, type Page } from '@playwright/test';
import type { SnapshotInput } from '../src/domain/snapshot';

export const BUNDLED_PATH = 'public/snapshots/cikm2019.json.gz';

export function bundledSnapshot(): SnapshotInput {
  return JSON.parse(gunzipSync(readFileSync(BUNDLED_PATH)).toString('utf8')) as SnapshotInput;
}

/** Content-Security-Policy violations anywhere in the page (document and workers), collected per page. */
export const cspViolations = new WeakMap<Page, string[]>();

export async function openWorkbench(page: Page, query = ''): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (!cspViolations.has(page)) {
    const violations: string[] = [];
    cspViolations.set(page, violations);
    const record = (text: string) => {
      if (/Content Security Policy/i.test(text)) violations.push(text);
    };
    page.on('console', (message) => record(message.text()));
    page.on('worker', (worker) => worker.on('console', (message) => record(message.text())));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
  }
  await page.goto(`/${query}`);
  await expect(page.getByTestId('dataset-badge')).toBeVisible();
  expect(errors, 'uncaught page errors').toEqual([]);
}

export function jsonFile(name: string, data: unknown) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)) };
}

export async function selectUser(page: Page, userId: string): Promise<void> {
  await page.getByRole('searchbox').fill(userId);
  await page.locator(`[data-testid="cohort-row"][data-user-id="${userId}"]`).click();
}

/** The longest dormant user with a target: a demanding, real input. */
export function longestDormantUser(): string {
  return bundledSnapshot().users.filter((u) => u.segment === 'dormant' && u.target).sort((a, b) => b.events.length - a.events.length)[0]!.id;
}

/** The live backbone top-10 for a user, on the chosen execution provider. */
export async function liveTopK(page: Page, provider: 'wasm' | 'webgpu', userId: string) {
  await openWorkbench(page, `?provider=${provider}`);
  await expect(page.getByTestId('model-provider')).toHaveAttribute('data-provider', provider, { timeout: 60_000 });
  await selectUser(page, userId);
  const recs = page.getByTestId('live-rec');
  await expect(recs).toHaveCount(10, { timeout: 120_000 });
  return recs.evaluateAll((nodes) => nodes.map((n) => ({ item: n.getAttribute('data-item')!, score: Number(n.getAttribute('data-score')) })));
}
