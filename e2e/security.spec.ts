/**
 * The built app under its Content-Security-Policy, and no egress: a full session (load a snapshot, browse users,
 * run the backbone and the embedded reasoner, rerun nothing remote) requests nothing outside its own origin.
 */
import { expect, test, type Request } from '@playwright/test';
import { bundledSnapshot, cspViolations, openWorkbench, selectUser } from './support';

test('a full session runs under the CSP and requests nothing from another origin', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  const record = (request: Request) => requests.push(request.url());
  context.on('request', record);

  await openWorkbench(page, '?provider=wasm');
  const response = await page.request.get('/');
  expect(response.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await expect(page.getByTestId('model-provider')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });

  const users = bundledSnapshot().users.filter((u) => u.segment === 'dormant' && u.target).slice(0, 3);
  for (const user of users) {
    await selectUser(page, user.id);
    await expect(page.getByTestId('live-rec')).toHaveCount(10, { timeout: 60_000 });
  }
  await page.getByRole('button', { name: /reasoner/ }).click();
  await expect(page.getByRole('button', { name: 'Rerun the reasoner' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Evaluation' }).click();
  await page.getByRole('tab', { name: 'Loop' }).click();

  const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(requests.length).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
  expect(cspViolations.get(page)).toEqual([]);
});

test('a crashed backbone worker is reported and replaced', async ({ page, context }) => {
  test.setTimeout(120_000);
  let failures = 1;
  // Fault injection: the first load of the worker script fails, as a crashed worker would.
  await context.route(/backbone\.worker[^/]*\.js/, async (route) => {
    if (failures-- > 0) await route.abort('failed');
    else await route.continue();
  });
  await openWorkbench(page, '?provider=wasm');
  await expect(page.getByTestId('model-error')).toContainText('crashed', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-badge')).toContainText('cikm2019');
  await page.getByRole('button', { name: 'Reload model' }).click();
  await expect(page.getByTestId('model-provider')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });
});
