import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium (no browser downloads here); Playwright's own where that path does not exist.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Ports and build folder can be moved (NS_* variables) so that two suites can run side by side.
export const APP_PORT = Number(process.env.NS_APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.NS_HUB_PORT ?? 5555);
export const CDN_PORT = Number(process.env.NS_CDN_PORT ?? 5556);
const DIST = process.env.NS_DIST ?? 'dist';
// The Hub stand-in speaks HTTP/2 over TLS like huggingface.co, with a certificate made at start:
// Chromium ignores certificate errors (use.ignoreHTTPSErrors) and so does the specs' Node side
// (the stand-in's control surface). NS_HUB_HTTP1=1 runs the suite against plain HTTP/1.1 instead.
export const HUB_HTTP1 = process.env.NS_HUB_HTTP1 === '1';
if (!HUB_HTTP1) process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const HUB_SCHEME = HUB_HTTP1 ? 'http' : 'https';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 180_000,
  reporter: [['list'], ['json', { outputFile: process.env.NS_REPORT ?? '.reports/playwright.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: [
    {
      command: `npx vite preview --port ${APP_PORT} --strictPort --host 127.0.0.1 --outDir ${DIST}`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx tsx src/testing/hubStandIn/start.ts --port ${HUB_PORT} --cdn-port ${CDN_PORT} --cdn-host localhost --root public/demo-hub --root e2e/.fixtures/hub --token hf_e2e_granted=normscope-test/gated-model${HUB_HTTP1 ? ' --http1' : ''}`,
      url: `${HUB_SCHEME}://127.0.0.1:${HUB_PORT}/__standin/stats`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
