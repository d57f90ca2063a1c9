// One compute thread of the relatives bench: holds the target's norms, judges each candidate sent to it
// with the family scan's sequential test (as the app's compute pool does).
import { parentPort } from 'node:worker_threads';
import { evidenceForRoles, type RoleRows } from '../../src/core/pairEvidence.ts';
import { SCAN_JUDGE_OPTIONS } from '../../src/core/lineage/scan.ts';

let target: RoleRows | null = null;
parentPort!.on(
  'message',
  (msg: { kind: 'target'; roles: RoleRows } | { kind: 'candidate'; id: number; roles: RoleRows }) => {
    if (msg.kind === 'target') {
      target = msg.roles;
      parentPort!.postMessage({ kind: 'ready' });
      return;
    }
    const t0 = performance.now();
    const byRole = evidenceForRoles(target!, msg.roles, SCAN_JUDGE_OPTIONS);
    parentPort!.postMessage({ kind: 'done', id: msg.id, byRole, ms: performance.now() - t0 });
  },
);
