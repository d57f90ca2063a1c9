// The stand-in's lifecycle for a vitest file: closed and its temp root removed after the suite,
// faults and counters reset before each test. `get` reads the file's own variables lazily, since
// they are assigned in its beforeAll.
import { rmSync } from 'node:fs';
import { afterAll, beforeEach } from 'vitest';
import { DEFAULT_FAULTS, type HubStandIn } from './server.ts';

export function standInSuiteHooks(get: () => { hub: HubStandIn | undefined; root: string | undefined }): void {
  afterAll(async () => {
    const { hub, root } = get();
    await hub?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    const { hub } = get();
    hub?.setFaults(DEFAULT_FAULTS);
    hub?.resetStats();
  });
}
