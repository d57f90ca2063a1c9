// Builds the demo repos and the test-only repos before the suite. Both builders are commands:
// nothing in e2e/ imports scripts/.
import { execSync } from 'node:child_process';

export const FIXTURE_ROOT = 'e2e/.fixtures/hub';

export default function globalSetup(): void {
  execSync('npx tsx scripts/make-demo.ts --quiet', { stdio: 'inherit' });
  execSync(`npx tsx scripts/make-e2e-fixtures.ts ${FIXTURE_ROOT}`, { stdio: 'inherit' });
}
