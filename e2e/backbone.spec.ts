import { expect, test } from '@playwright/test';
import { bundledSnapshot, liveTopK, openWorkbench } from './support';

const bundled = bundledSnapshot();
const dormant = bundled.users.filter((u) => u.segment === 'dormant' && u.target).sort((a, b) => b.events.length - a.events.length)[0]!;

test('the backbone runs in the browser on WASM and shows the execution provider', async ({ page }) => {
  const top = await liveTopK(page, 'wasm', dormant.id);
  expect(new Set(top.map((r) => r.item)).size).toBe(10);
  for (let i = 1; i < top.length; i++) expect(top[i - 1]!.score).toBeGreaterThanOrEqual(top[i]!.score);
  // The live list is the same engine as the snapshot's backbone predictions (computed in Node): same top items.
  const stored = bundled.predictions?.find((p) => p.model === 'backbone')?.lists.find((l) => l.user === dormant.id);
  expect(stored).toBeDefined();
  expect(top.map((r) => r.item)).toEqual(stored!.items.slice(0, 10));
});

test('the evaluation reruns in a worker with progress and reproduces the snapshot metrics', async ({ page }) => {
  test.setTimeout(240_000);
  await openWorkbench(page, '?provider=wasm');
  await expect(page.getByTestId('model-provider')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Evaluation' }).click();
  const table = page.getByTestId('evaluation-table');
  const storedRecall = await table.locator('tr[data-model="backbone"] td').nth(2).textContent();
  await page.getByRole('button', { name: 'Rerun evaluation' }).click();
  await expect(page.getByTestId('evaluation-progress')).toBeVisible();
  await expect(page.getByText(/fresh run in this tab/)).toBeVisible({ timeout: 200_000 });
  await expect(table.locator('tr[data-model="backbone"] td').nth(2)).toHaveText(storedRecall!);
});
