// One compute thread of the family-scan bench: holds the base, judges each child sent to it.
import { parentPort } from 'node:worker_threads';
import { evidenceForRoles, type PairEvidenceOptions, type RoleRows } from '../../src/core/pairEvidence.ts';

let base: RoleRows | null = null;
parentPort!.on(
  'message',
  (
    msg:
      { kind: 'base'; roles: RoleRows } | { kind: 'child'; id: number; roles: RoleRows; options: PairEvidenceOptions },
  ) => {
    if (msg.kind === 'base') {
      base = msg.roles;
      parentPort!.postMessage({ kind: 'ready' });
      return;
    }
    const t0 = performance.now();
    const byRole = evidenceForRoles(base!, msg.roles, msg.options);
    const ms = performance.now() - t0;
    const verdicts = Object.fromEntries(
      Object.entries(byRole).map(([r, e]) => [r, { verdict: e!.verdict, p: e!.pValue, draws: e!.permutations }]),
    );
    parentPort!.postMessage({ kind: 'done', id: msg.id, ms, verdicts });
  },
);
