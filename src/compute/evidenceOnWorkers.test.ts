import { describe, expect, it } from 'vitest';
import { evidenceForRoles, runEvidencePart, type EvidencePart, type RoleRows } from '../core/pairEvidence';
import { evidenceParts, roleGroups } from '../core/pairEvidence';
import { seededRandom } from '../core/random';
import { evidenceOnWorkers, type EvidenceWorker } from './evidenceOnWorkers';

/** γ-like rows: a shared positive mean, per-layer structure, and (for a relative) the parent's plus noise. */
function rows(layers: number, dim: number, seed: number, parent?: Float32Array[]): Float32Array[] {
  const rand = seededRandom(seed);
  return Array.from({ length: layers }, (_, l) =>
    Float32Array.from({ length: dim }, (_, k) =>
      parent ? parent[l]![k]! + 0.01 * (rand() - 0.5) : 0.8 + 0.3 * rand(),
    ),
  );
}

function pair(): [RoleRows, RoleRows] {
  const input = rows(8, 96, 1);
  const post = rows(8, 96, 2);
  const attn = rows(8, 32, 3); // another width: its own channel group
  return [
    { input, post, q: attn },
    { input: rows(8, 96, 4, input), post: rows(8, 96, 5), q: rows(8, 32, 6, attn) },
  ];
}

const withoutTimes = (e: object) => JSON.parse(JSON.stringify(e, (k, v) => (k === 'timings' ? undefined : v)));

describe('evidenceOnWorkers', () => {
  it('gives the verdicts one worker gives, with the parts spread over two', async () => {
    const [a, b] = pair();
    const ran: string[] = [];
    const worker = (name: string): EvidenceWorker => ({
      keys: () => ['a', 'b'],
      api: {
        evidencePlanOf: async () => {
          const groups = roleGroups(a, b);
          return { groups, parts: evidenceParts(groups) };
        },
        evidencePartOf: async (_ka: string, _kb: string, part: EvidencePart) => {
          ran.push(`${name} ${part.kind}`);
          await new Promise((r) => setTimeout(r, name === 'one' ? 1 : 3));
          return runEvidencePart(part, a, b);
        },
      } as unknown as EvidenceWorker['api'],
    });
    const spread = await evidenceOnWorkers([worker('one'), worker('two')]);
    expect(Object.keys(spread).sort()).toEqual(['input', 'post', 'q']);
    expect(withoutTimes(spread)).toEqual(withoutTimes(evidenceForRoles(a, b)));
    // both workers took parts: 3 index tests and 2 channel groups
    expect(ran).toHaveLength(5);
    expect(new Set(ran.map((r) => r.split(' ')[0]))).toEqual(new Set(['one', 'two']));
    expect(spread.input!.verdict).toBe('shared-ancestry');
    expect(spread.post!.verdict).not.toBe('shared-ancestry');
  });
});
