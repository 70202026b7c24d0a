import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { fixtureSnapshot } from '../tests/helpers/snapshotFixture';
import { bundledSnapshot, jsonFile, openWorkbench, selectUser } from './support';

const bundled = bundledSnapshot();
const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

test('opens on the bundled real snapshot and lists its users', async ({ page }) => {
  await openWorkbench(page);
  await expect(page.getByTestId('dataset-badge')).toContainText('cikm2019');
  await expect(page.getByTestId('dataset-badge')).toContainText(`${bundled.users.length.toLocaleString('en')} users`);
  await expect(page.getByTestId('cohort-row').first()).toBeVisible();
  // Virtualised: only a window of the rows is in the DOM, never all of them.
  const rendered = await page.getByTestId('cohort-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(bundled.users.length);
  await expect(page.locator('.app-attribution')).toContainText('Tianchi');
});

test('selecting a dormant user draws one node per event', async ({ page }) => {
  const dormant = bundled.users.filter((u) => u.segment === 'dormant').sort((a, b) => b.events.length - a.events.length)[0];
  expect(dormant, 'the bundled snapshot has dormant users').toBeDefined();
  await openWorkbench(page);
  await selectUser(page, dormant!.id);
  await expect(page.getByTestId('event-node')).toHaveCount(dormant!.events.length);
  await expect(page.getByTestId('details-panel')).toContainText(dormant!.id);
  await expect(page).toHaveURL(new RegExp(`user=${dormant!.id}`));
  await page.screenshot({ path: `${SCREENSHOTS}/workbench-dormant-user.png` });
});

test('keyboard moves the cohort selection', async ({ page }) => {
  await openWorkbench(page);
  const rows = page.getByTestId('cohort-row');
  await rows.first().click();
  const first = await rows.first().getAttribute('data-user-id');
  await page.keyboard.press('ArrowDown');
  const selected = page.locator('[data-testid="cohort-row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  expect(await selected.getAttribute('data-user-id')).not.toBe(first);
});

test('a malformed snapshot shows the field at fault and keeps the loaded one', async ({ page }) => {
  await openWorkbench(page);
  const bad = fixtureSnapshot();
  (bad.users[0]!.events[2] as { action: string }).action = 'teleport';
  await page.getByTestId('snapshot-file-input').setInputFiles(jsonFile('broken-snapshot.json', bad));
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('broken-snapshot.json');
  await expect(error).toContainText('users[0].events[2].action');
  await expect(error).toContainText('"teleport"');
  await expect(page.getByTestId('dataset-badge')).toContainText('cikm2019');
  await expect(page.getByTestId('cohort-row').first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/malformed-snapshot-error.png` });

  await page.getByTestId('snapshot-file-input').setInputFiles(jsonFile('not-json.json', '{"schema": oops'));
  await expect(error).toContainText('not-json.json');
  await expect(error).toContainText('not valid JSON');
  await expect(page.getByTestId('dataset-badge')).toContainText('cikm2019');
});

test('hostile strings in a snapshot render as text and run nothing', async ({ page }) => {
  const payload = '<img src=x onerror="window.__pwned=1">';
  const hostile = fixtureSnapshot();
  hostile.dataset.name = `<b>${payload}</b>`;
  hostile.items = hostile.items.map((item) => ({ ...item, title: payload, brand: payload }));
  await openWorkbench(page);
  await page.getByTestId('snapshot-file-input').setInputFiles(jsonFile('hostile.json', hostile));
  await expect(page.getByTestId('dataset-badge')).toContainText(payload);
  await selectUser(page, 'u1');
  const node = page.getByTestId('event-node').first();
  await node.hover();
  await expect(page.getByRole('tooltip')).toContainText(payload);
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details-panel')).toContainText(payload);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
});

test('drag and drop loads a snapshot', async ({ page }) => {
  await openWorkbench(page);
  const text = JSON.stringify(fixtureSnapshot());
  const transfer = await page.evaluateHandle((content) => {
    const data = new DataTransfer();
    data.items.add(new File([content], 'dropped.json', { type: 'application/json' }));
    return data;
  }, text);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  await expect(page.getByTestId('dataset-badge')).toContainText('dropped.json');
  await expect(page.getByTestId('cohort-row')).toHaveCount(2);
});

test('?snapshot=URL loads that snapshot, a missing one names the URL', async ({ page, context }) => {
  await context.route((url) => url.pathname === '/e2e/fixture.json', (route) => route.fulfill({ json: fixtureSnapshot() }));
  await openWorkbench(page, '?snapshot=/e2e/fixture.json');
  await expect(page.getByTestId('dataset-badge')).toContainText('fixture');
  await expect(page.getByTestId('cohort-row')).toHaveCount(2);

  await page.goto('/?snapshot=/snapshots/does-not-exist.json');
  await expect(page.getByTestId('load-error')).toContainText('/snapshots/does-not-exist.json');
  await expect(page.getByTestId('load-error')).toContainText('404');
});
