// An independent float64 reference for the browser's numbers: reads the demo repos' files
// straight from disk (no range logic, no app code but the dtype decoder) and computes naively.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTensor } from '../src/core/dtypes';

export function readNormVectors(root: string, repo: string, sha: string, suffix: RegExp): Map<number, Float64Array> {
  const dir = join(root, repo, 'resolve', sha);
  const out = new Map<number, Float64Array>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.safetensors'))) {
    const bytes = readFileSync(join(dir, file));
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
      string,
      { dtype: string; data_offsets: [number, number] }
    >;
    for (const [name, entry] of Object.entries(header)) {
      const m = suffix.exec(name);
      if (!m || name === '__metadata__') continue;
      const [b, e] = entry.data_offsets;
      const raw = new Uint8Array(bytes.buffer, bytes.byteOffset + 8 + n + b, e - b).slice();
      out.set(Number(m[1]), Float64Array.from(decodeTensor(raw, entry.dtype)));
    }
  }
  return out;
}

export function cosine64(a: Float64Array, b: Float64Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

export function pearson64(a: Float64Array, b: Float64Array): number {
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  return cosine64(
    a.map((x) => x - ma),
    b.map((x) => x - mb),
  );
}

export const DEMO_ROOT = 'public/demo-hub';
export const DEMO = {
  base: 'normscope-demo/glm-like-base',
  sft: 'normscope-demo/glm-like-sft',
  solar: 'normscope-demo/solar-like',
  other: 'normscope-demo/phi-like-3072',
} as const;
export const ROLE_PATTERN = {
  input: /^model\.layers\.(\d+)\.input_layernorm\.weight$/,
  post: /^model\.layers\.(\d+)\.post_attention_layernorm\.weight$/,
};

/** the commit `main` points at in the generated demo hub */
export function demoSha(repo: string): string {
  return (JSON.parse(readFileSync(`${DEMO_ROOT}/api/models/${repo}/revision/main`, 'utf8')) as { sha: string }).sha;
}
