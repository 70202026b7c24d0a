import { expect, test } from '@playwright/test';
import { synthSnapshot } from '../src/data/synthSnapshot';
import { snapshotSchema } from '../src/domain/snapshot';
import { fixtureSnapshot } from '../tests/helpers/snapshotFixture';
import { jsonFile, openWorkbench } from './support';

/** 100,000 users (one event each): the cohort table must list all of them and reach the last row. */
function wideSnapshot(users: number) {
  const base = fixtureSnapshot();
  return {
    ...base,
    dataset: { ...base.dataset, name: 'scale-100k' },
    users: Array.from({ length: users }, (_, k) => ({
      id: `user-${String(k).padStart(6, '0')}`,
      segment: k % 3 === 0 ? 'dormant' : 'short',
      events: [{ item: 'i1', action: 'click', time: 1_560_124_800 + k }],
    })),
  };
}

test('the cohort table takes 100,000 users, filters, sorts and scrolls to the end', async ({ page }) => {
  await openWorkbench(page);
  await page.getByTestId('snapshot-file-input').setInputFiles(jsonFile('scale-100k.json', wideSnapshot(100_000)));
  await expect(page.getByTestId('dataset-badge')).toContainText('100,000 users');
  await expect(page.getByTestId('cohort-count')).toContainText('100,000');

  await page.getByRole('columnheader', { name: 'user' }).getByRole('button').click();
  const table = page.getByTestId('cohort-table');
  await table.focus();
  await page.keyboard.press('End');
  await expect(page.locator('[data-testid="cohort-row"][aria-selected="true"]')).toHaveAttribute('data-user-id', /user-(000000|099999)/);
  await page.keyboard.press('Home');
  await expect(page.locator('[data-testid="cohort-row"][aria-selected="true"]')).toHaveAttribute('data-user-id', /user-(000000|099999)/);

  await page.getByRole('searchbox').fill('user-09999');
  await expect(page.getByTestId('cohort-row')).toHaveCount(10);
  await page.getByRole('searchbox').fill('');
  await page.getByRole('button', { name: /^dormant/ }).click();
  await expect(page.getByTestId('cohort-count')).toContainText('33,334');
});

test('a synthetic snapshot is marked as such', async ({ page }) => {
  await openWorkbench(page);
  const synth = synthSnapshot(snapshotSchema.parse(fixtureSnapshot()), { users: 30, seed: 1 });
  await page.getByTestId('snapshot-file-input').setInputFiles(jsonFile('synth.json', synth));
  await expect(page.getByTestId('dataset-badge')).toContainText('30 users');
  await expect(page.getByTestId('dataset-badge')).toContainText('synthetic data');
});
