/** Loading 20 snapshots one after another must not keep the old ones alive: heap after the last ~ after the first. */
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { openWorkbench } from './support';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  },
});

async function heapAfterGc(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as { gc: () => void; performance: { memory: { usedJSHeapSize: number } } };
    for (let i = 0; i < 3; i++) {
      w.gc();
      await new Promise((r) => setTimeout(r, 50));
    }
    return w.performance.memory.usedJSHeapSize;
  });
}

test('20 snapshot loads in a row do not grow the heap beyond a bound', async ({ page }) => {
  test.setTimeout(240_000);
  await openWorkbench(page, '?provider=wasm');
  const badge = page.getByTestId('dataset-badge');
  const load = async () => {
    await page.getByRole('button', { name: 'Bundled demo' }).click();
    await expect(page.getByTestId('load-progress')).toHaveCount(0, { timeout: 60_000 });
    await expect(badge).toContainText('1,476 users');
  };
  await load();
  const first = await heapAfterGc(page);
  for (let i = 0; i < 19; i++) await load();
  const last = await heapAfterGc(page);
  test.info().annotations.push({ type: 'heap', description: `after load 1: ${(first / 2 ** 20).toFixed(1)} MiB, after load 20: ${(last / 2 ** 20).toFixed(1)} MiB` });
  // One loaded snapshot is ~the first figure; a leak of one snapshot per load would be ~20x it.
  expect(last).toBeLessThan(first * 1.5 + 16 * 2 ** 20);
});
