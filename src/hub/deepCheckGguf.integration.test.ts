// The deep check for GGUF and local models (issue 14): a BF16 GGUF converted from a deep fixture the
// llama.cpp way (tokens in `tokenizer.ggml.tokens`) against its safetensors parent, over HTTP from the
// Hub stand-in and from local Files (File.slice), and a Q4_K_M file refused with its quantization named.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';
import { writeStaticRepo } from '../../scripts/demo/staticHub.ts';
import { DEEP_ORG, DEEP_SHAPE, bpeTokenizer, deepRepoSpec, foundationModel } from '../../scripts/demo/deepRepos.ts';
import { ggufFromSafetensors, type GgufQuant } from '../../scripts/demo/ggufFromSafetensors.ts';
import { writeGguf } from '../core/gguf/testing/writeGguf.ts';
import type { FamilySpec } from '../core/testdata/families.ts';
import { deepCheckJob, type DeepCheckRequest } from './deepCheckJob.ts';
import type { DeepModelRef } from '../compute/deepProtocol.ts';

let root: string;
let hub: HubStandIn;
const sha: Record<string, string> = {};
const files: Record<string, Record<string, Uint8Array | string>> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-deep-gguf-'));
  const tok = bpeTokenizer(DEEP_SHAPE.vocab, 'recipe');
  const spec = deepRepoSpec(`${DEEP_ORG}/base`, foundationModel('base', tok.tokens), tok, { description: 'base' });
  const family = { id: 'llama', config: spec.config } as unknown as FamilySpec;
  const gguf = (quant: GgufQuant) => {
    const out = ggufFromSafetensors(family, spec.files, { quant, name: 'Base', vocab: 512 });
    // the converter writes the tokenizer's own strings
    const kv = out.kv.map(([k, v]): (typeof out.kv)[number] =>
      k === 'tokenizer.ggml.tokens' ? [k, { kind: 'array', of: 'string', items: [...tok.tokens] }] : [k, v],
    );
    return writeGguf({ ...out, kv }).bytes;
  };
  files.base = spec.files;
  files.gguf = { 'Base-BF16.gguf': gguf('BF16'), 'Base-Q4_K_M.gguf': gguf('Q4_K_M') };
  const written = [
    writeStaticRepo(root, spec),
    writeStaticRepo(root, {
      repo: `${DEEP_ORG}/base-GGUF`,
      files: { ...files.gguf, 'README.md': '---\nbase_model: normscope-deep/base\n---\n' },
      config: {},
      noConfig: true,
      description: 'GGUF of base',
    }),
  ];
  sha.base = written[0]!.sha;
  sha.gguf = written[1]!.sha;
  hub = await startHubStandIn({ roots: [root] });
}, 180_000);

standInSuiteHooks(() => ({ hub, root }));

const hubRef = (name: 'base' | 'gguf', gguf?: string): DeepModelRef => ({
  repo: `${DEEP_ORG}/${name === 'gguf' ? 'base-GGUF' : 'base'}`,
  sha: sha[name]!,
  ...(gguf ? { gguf: { files: [gguf] } } : {}),
});

function localRef(
  label: string,
  record: Record<string, Uint8Array | string>,
  only: (p: string) => boolean,
): DeepModelRef {
  const paths = Object.keys(record).filter(only);
  const list = paths.map((p) => {
    const v = record[p]!;
    return new File([typeof v === 'string' ? v : new Uint8Array(v)], p);
  });
  return {
    repo: label,
    sha: 'local',
    local: { entries: paths.map((p, i) => ({ path: `${label}/${p}`, size: list[i]!.size })), files: list },
  };
}

const request = (a: DeepModelRef, b: DeepModelRef): DeepCheckRequest => ({
  kind: 'run',
  jobId: `${a.repo}-${b.repo}`,
  hub: hub.hubUrl,
  a,
  b,
  useCache: false,
});

describe('the deep check of GGUF and local models', () => {
  it('a BF16 GGUF on the Hub against its safetensors parent: shared ancestry, identity map, vocabulary from the GGUF', async () => {
    const reply = await deepCheckJob(request(hubRef('base'), hubRef('gguf', 'Base-BF16.gguf')), { cache: null });
    if (!reply.ok) throw new Error(reply.error.message);
    if (reply.kind !== 'run') throw new Error('not a run');
    const { evidence, shared, transfer } = reply.result;
    expect(shared.sizeB).toBe(DEEP_SHAPE.vocab);
    expect(shared.sharedCount).toBeGreaterThan(DEEP_SHAPE.vocab * 0.9);
    expect(evidence.verdict).toBe('shared-ancestry');
    expect(evidence.hiddenMap).toBe('identity');
    expect(evidence.pValue).toBeLessThanOrEqual(0.01);
    expect(evidence.tensors.some((t) => t.startsWith('blk.'))).toBe(true);
    // the GGUF side read rows, and its header (the vocabulary) once
    expect(transfer[1].rowBytes).toBeGreaterThan(0);
    const ggufSize = (files.gguf!['Base-BF16.gguf'] as Uint8Array).byteLength;
    expect(transfer[1].rowBytes + transfer[1].tokenizerBytes).toBeLessThan(0.4 * ggufSize);
  }, 120_000);

  it('the same pair from local Files (folder with tokenizer.json, and the .gguf alone)', async () => {
    const a = localRef('base', files.base!, (p) => p !== 'README.md');
    const b = localRef('base-gguf', files.gguf!, (p) => p === 'Base-BF16.gguf');
    const reply = await deepCheckJob(request(a, b), { cache: null });
    if (!reply.ok) throw new Error(reply.error.message);
    if (reply.kind !== 'run') throw new Error('not a run');
    expect(reply.result.evidence.verdict).toBe('shared-ancestry');
    expect(reply.result.evidence.hiddenMap).toBe('identity');
    expect(reply.result.transfer[0].tokenizerBytes).toBe(Buffer.byteLength(files.base!['tokenizer.json'] as string));
  }, 120_000);

  it('a Q4_K_M GGUF is refused, naming its quantization', async () => {
    const reply = await deepCheckJob(request(hubRef('base'), hubRef('gguf', 'Base-Q4_K_M.gguf')), { cache: null });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.message).toMatch(/Q4_K.*not supported for the deep check/);
  }, 120_000);
});
