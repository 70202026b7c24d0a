/** WebGPU proof: Chromium's WebGPU (SwiftShader here: correct, slow) gives the same top-K as WASM. */
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { liveTopK, longestDormantUser } from './support';

test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

test('the WebGPU execution provider gives the WASM top-K', async ({ page }) => {
  test.setTimeout(300_000);
  const user = longestDormantUser();
  const gpu = await liveTopK(page, 'webgpu', user);
  const wasm = await liveTopK(page, 'wasm', user);
  expect(gpu.map((r) => r.item)).toEqual(wasm.map((r) => r.item));
  gpu.forEach((r, i) => expect(Math.abs(r.score - wasm[i]!.score)).toBeLessThan(1e-4));
});
