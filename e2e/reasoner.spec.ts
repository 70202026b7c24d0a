import { expect, test } from '@playwright/test';
import { bundledSnapshot, openWorkbench, selectUser } from './support';

const bundled = bundledSnapshot();
const reasoned = bundled.reasoning?.[0];

test('a dormant user shows roles, evidence and counterfactual branches; the Loop tab plots the rounds', async ({ page }) => {
  expect(reasoned, 'the bundled snapshot carries reasoning').toBeDefined();
  await openWorkbench(page);
  await selectUser(page, reasoned!.user);
  const nodes = page.getByTestId('event-node');
  await expect(nodes.first()).toHaveAttribute('data-role', reasoned!.roles[0]!.role);
  await expect(page.locator('.trajectory-legend')).toContainText('role:');
  await expect(page.locator('.trajectory-path-label')).toHaveCount(reasoned!.paths.length);
  // Hover again if a late layout change (the model finishing its load) moved the node from under the pointer.
  const label = bundled.roleTaxonomy.find((r) => r.id === reasoned!.roles[0]!.role)!.label;
  await expect(async () => {
    await nodes.first().hover();
    await expect(page.getByRole('tooltip')).toContainText(`role${label}`, { timeout: 2_000 });
    await expect(page.getByRole('tooltip')).toContainText('instrumental effect (IE)', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await page.getByRole('tab', { name: 'Loop' }).click();
  await expect(page.getByTestId('loop-panel')).toBeVisible();
  await expect(page.locator('.loop-rounds li')).toHaveCount(bundled.loop!.length);
  await page.screenshot({ path: 'test-results/screenshots/reasoner-roles-and-loop.png' });
});

test('the reasoner runs on the selected user in the worker and its roles replace the snapshot\'s', async ({ page }) => {
  test.setTimeout(180_000);
  const user = bundled.users.find((u) => u.segment === 'active' && u.target && u.events.length > 15 && u.events.length < 80)!;
  await openWorkbench(page, '?provider=wasm');
  await expect(page.getByTestId('model-provider')).toHaveAttribute('data-provider', 'wasm', { timeout: 60_000 });
  await selectUser(page, user.id);
  await expect(page.getByTestId('event-node').first()).not.toHaveAttribute('data-role', /.+/);
  await page.getByRole('button', { name: 'Run the reasoner' }).click();
  await expect(page.getByTestId('event-node').first()).toHaveAttribute('data-role', /^(converter|trigger|explorer|comparator|complement|distractor)$/, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Rerun the reasoner' })).toBeVisible();
});
