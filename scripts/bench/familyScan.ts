// Family scan bench (issue #10): verdicts for every base–child pair and role of 20 children of a
// 46-layer, 4096-wide base. Before: the compare view's judge (200 draws, channel matching always),
// one thread. After: the scan's judge (Besag–Clifford sequential stop, at most 99 draws, channel
// matching only when the index test is not decisive) on two worker threads, as the app's pool.
// Run alone: npx tsx scripts/bench/familyScan.ts   (writes its section of BENCHMARKS.md)
import { Worker } from 'node:worker_threads';
import { writeFileSync, mkdirSync } from 'node:fs';
import { writeMarkedSection } from './sections.ts';
import { generateModelGammas, fineTuneGammas, GLM_AIR_LAYER_STATS } from '../demo/gammaProfiles.ts';
import { roundTo } from '../demo/staticHub.ts';
import { evidenceForRoles, type RoleRows } from '../../src/core/pairEvidence.ts';
import { SCAN_JUDGE_OPTIONS } from '../../src/core/lineage/scan.ts';

const LAYERS = 46,
  HIDDEN = 4096,
  CHILDREN = 20,
  THREADS = 2;
const bf16 = (v: Float32Array) => roundTo(v, 'BF16');

/** 20 children as a real family: mostly fine-tunes and quantizations, two merges, two false claims. */
/** Every tenth child (from the eighth) falsely claims the base, every tenth (from the fifth) is a merge, and
 * every fifth (from the second) is only quantized; the rest are fine-tunes. */
function childKind(k: number): 'false claim' | 'merge' | 'quantized' | 'fine-tune' {
  if (k % 10 === 7) return 'false claim';
  if (k % 10 === 4) return 'merge';
  return k % 5 === 1 ? 'quantized' : 'fine-tune';
}

export function familyScenario(): { base: RoleRows; children: { kind: string; roles: RoleRows }[] } {
  const stats = { input: GLM_AIR_LAYER_STATS.input.slice(0, LAYERS), post: GLM_AIR_LAYER_STATS.post.slice(0, LAYERS) };
  const g = generateModelGammas({ seed: 'bench-base', hidden: HIDDEN, stats });
  const base = { input: g.input.map(bf16), post: g.post.map(bf16) };
  const children = Array.from({ length: CHILDREN }, (_, k) => {
    const kind = childKind(k);
    if (kind === 'false claim') {
      const u = generateModelGammas({ seed: `bench-unrelated-${k}`, hidden: HIDDEN, stats });
      return { kind, roles: { input: u.input.map(bf16), post: u.post.map(bf16) } };
    }
    const sigma = { quantized: 0, merge: 2e-2, 'fine-tune': 1e-3 * (1 + k) }[kind];
    const tune = (rows: Float32Array[], role: string) =>
      fineTuneGammas(rows, { seed: `bench-${k}-${role}`, sigma: () => sigma, round: bf16 });
    return { kind, roles: { input: tune(g.input, 'in'), post: tune(g.post, 'post') } };
  });
  return { base, children };
}

async function scanOnThreads(
  base: RoleRows,
  children: RoleRows[],
): Promise<{
  wallMs: number;
  workerMs: number;
  verdicts: Record<string, { verdict: string; p: number; draws: number }>[];
}> {
  // a TypeScript worker under tsx: register its loader inside the thread, then import the entry
  const entry = new URL('./familyScanWorker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  const workers = Array.from({ length: THREADS }, () => new Worker(boot, { eval: true }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('message', () => resolve());
          w.postMessage({ kind: 'base', roles: base });
        }),
    ),
  );
  const verdicts: Record<string, { verdict: string; p: number; draws: number }>[] = [];
  let next = 0,
    workerMs = 0;
  const t0 = performance.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          const send = () => {
            if (next >= children.length) return resolve();
            const id = next++;
            w.postMessage({ kind: 'child', id, roles: children[id], options: SCAN_JUDGE_OPTIONS });
          };
          w.on(
            'message',
            (m: {
              kind: string;
              id: number;
              ms: number;
              verdicts: Record<string, { verdict: string; p: number; draws: number }>;
            }) => {
              if (m.kind !== 'done') return;
              verdicts[m.id] = m.verdicts;
              workerMs += m.ms;
              send();
            },
          );
          send();
        }),
    ),
  );
  const wallMs = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return { wallMs, workerMs, verdicts };
}

export async function benchFamilyScan(opts: { before?: boolean } = {}): Promise<Record<string, unknown>> {
  const { base, children } = familyScenario();
  const kinds = children.map((c) => c.kind);
  const after = await scanOnThreads(
    base,
    children.map((c) => c.roles),
  );
  let beforeMs: number | null = null;
  let agree = true;
  if (opts.before !== false) {
    evidenceForRoles(base, children[0]!.roles, { permutations: 10 }); // warm-up
    const t0 = performance.now();
    children.forEach((c, k) => {
      const e = evidenceForRoles(base, c.roles);
      for (const role of ['input', 'post'] as const)
        if (e[role]!.verdict !== after.verdicts[k]![role]!.verdict) agree = false;
    });
    beforeMs = performance.now() - t0;
  }
  const draws = after.verdicts.flatMap((v) => Object.values(v).map((x) => x.draws));
  return {
    scenario: `${CHILDREN} children × ${LAYERS} layers × ${HIDDEN}, roles input + post (${kinds.filter((k) => k === 'fine-tune').length} fine-tunes, ${kinds.filter((k) => k === 'quantized').length} quantized, ${kinds.filter((k) => k === 'merge').length} merges, ${kinds.filter((k) => k === 'false claim').length} false claims)`,
    beforeOneThreadMs: beforeMs === null ? 'n/a' : Math.round(beforeMs),
    afterWallTwoThreadsMs: Math.round(after.wallMs),
    afterWorkerMsSummed: Math.round(after.workerMs),
    targetMs: 10_000,
    drawsPerRole: `${Math.min(...draws)}–${Math.max(...draws)}`,
    sharedVerdicts: `${after.verdicts.filter((v) => Object.values(v).some((x) => x.verdict === 'shared-ancestry')).length} of ${CHILDREN}`,
    sameVerdictsAsBefore: beforeMs === null ? 'n/a' : { true: 'yes', false: 'NO' }[String(agree) as 'true' | 'false'],
  };
}

export function renderFamilyScanSection(r: Record<string, unknown>): string {
  return `
## Family scan: 20 children of a 46-layer, 4096-wide base (issue #10)

Verdicts for every base–child pair and role (input, post), Node worker threads on this machine. Before: the compare
view's judge, 200 permutations and channel matching for every pair, one thread. After: the scan's judge, a
Besag–Clifford sequential permutation test (stop at the 10th null draw reaching the observed r, at most 99 draws:
the fewest that still allow p ≤ 0.01; the p-value is h/n when it stops early, else (k+1)/(N+1), valid either way),
channel matching only where the index test alone is not decisive, spread over two threads as the app's
two compute workers. Target: ≤ 10 s of worker time (wall). For reference, the same 20 pairs with the code before
this change (commit a2b04db: 200 draws, channel matching always, permute + interleave per draw) took 24.6 s on
one thread (0.75–1.75 s a pair, both roles).

| ${Object.keys(r).join(' | ')} |
| ${Object.keys(r)
    .map(() => '---')
    .join(' | ')} |
| ${Object.values(r).map(String).join(' | ')} |

Api budget of a browser scan of the 7-child fixture family (e2e/lineage.spec.ts): the first scan spends 1 list page
+ 1 model-info call for the base + 1 per child (9 of the anonymous 500 per 5 min); the same scan again within 5
minutes spends 2: the base is named by branch, so its sha is asked again, and the gated child fails again; the list
comes from the memory cache and every other child is loaded at the sha the list gave, from the cache by sha.
`;
}

export function writeFamilyScanSection(r: Record<string, unknown>, file = 'BENCHMARKS.md'): void {
  writeMarkedSection('family-scan', renderFamilyScanSection(r), file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchFamilyScan({ before: !process.argv.includes('--after-only') });
  console.log(r);
  mkdirSync('.reports', { recursive: true });
  writeFileSync('.reports/bench-family-scan.json', JSON.stringify(r, null, 2));
  writeFamilyScanSection(r);
}
