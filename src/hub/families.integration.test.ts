// Every normscope-families/* fixture repo, loaded through loadModel from the Hub stand-in over
// real HTTP, checked against an independent float64 computation: the stored bytes are decoded
// here (own safetensors + BF16/F16/F32 decoding), the family's shift added in float64 and rounded
// once to float32, per-head pieces concatenated in head order. Bit-exact, role by role.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import {
  buildFamilyRepo,
  familyRepoSpecs,
  FAMILY_ORG,
  GGUF_FAMILIES,
  ggufFamilyRepoSpecs,
  mysteryArchRepoSpec,
} from '../../scripts/demo/familyRepos.ts';
import { writeStaticRepo, type StaticRepoSpec } from '../../scripts/demo/staticHub.ts';
import { NORM_ARCHITECTURES } from '../core/norms/table.ts';
import { FAMILIES, L, OLMO1, type FamilySpec } from '../core/testdata/families.ts';
import { NORM_ROLES, type LoadedModel, type NormRole } from '../core/types.ts';
import { loadModel } from './loadModel.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

// ---- independent decoding of the stored bytes ------------------------------------------------

interface Stored {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** safetensors: u64 header length, JSON header, data offsets relative to the end of the header. */
function readSafetensors(files: StaticRepoSpec['files']): Map<string, Stored> {
  const out = new Map<string, Stored>();
  for (const [path, data] of Object.entries(files)) {
    if (!path.endsWith('.safetensors') || typeof data === 'string') continue;
    const n = Number(new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(data.subarray(8, 8 + n))) as Record<
      string,
      { dtype: string; shape: number[]; data_offsets: [number, number] }
    >;
    for (const [name, t] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      out.set(name, {
        dtype: t.dtype,
        shape: t.shape,
        bytes: data.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]),
      });
    }
  }
  return out;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The stored values as float64 (each exactly representable). */
function decodeStored(s: Stored): Float64Array {
  const view = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  const size = s.dtype === 'F32' ? 4 : 2;
  const out = new Float64Array(s.bytes.byteLength / size);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < out.length; i++) {
    if (s.dtype === 'F32') out[i] = view.getFloat32(4 * i, true);
    else if (s.dtype === 'F16') out[i] = halfToNumber(view.getUint16(2 * i, true));
    else if (s.dtype === 'BF16') {
      scratch.setUint32(0, view.getUint16(2 * i, true) << 16);
      out[i] = scratch.getFloat32(0);
    } else throw new Error(`unexpected dtype ${s.dtype}`);
  }
  return out;
}

// ---- the expectation, from the table's documented layout and the fixture's expectations ------

const WRAPPERS = ['language_model.model.', 'model.language_model.', 'model.text_model.', ''];

function numLayers(config: Record<string, unknown>): number {
  const text = (config.text_config ?? {}) as Record<string, unknown>;
  for (const c of [config, text])
    for (const k of ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'])
      if (typeof c[k] === 'number') return c[k] as number;
  throw new Error('no layer count');
}

interface Piece {
  name: string;
  head: number;
}

/** layer → role → pieces (one unless per-head), from names alone. */
function expectedLayout(spec: FamilySpec): Map<number, Map<NormRole, Piece[]>> {
  const entry = NORM_ARCHITECTURES.find((e) => e.id === spec.expect.entry);
  if (!entry) throw new Error(`no table entry ${spec.expect.entry}`);
  const blocks = new Set<string>();
  for (const b of entry.blocks) {
    blocks.add(b);
    if (b.startsWith('model.')) for (const w of WRAPPERS) blocks.add(w + b.slice('model.'.length));
  }
  const n = numLayers(spec.config);
  const out = new Map<number, Map<NormRole, Piece[]>>();
  const add = (layer: number, role: NormRole, p: Piece) => {
    const roles = out.get(layer) ?? new Map<NormRole, Piece[]>();
    roles.set(
      role,
      [...(roles.get(role) ?? []), p].sort((a, b) => a.head - b.head),
    );
    out.set(layer, roles);
  };
  for (const t of spec.tensors) {
    const m = /^(.*?)(\d+)\.(.+)$/.exec(t.name);
    if (!m) continue;
    const [, prefix, index, tail] = m as unknown as [string, string, string, string];
    const mtp = (entry.mtpBlocks ?? []).includes(prefix);
    if (!mtp && !blocks.has(prefix)) continue;
    const layer = mtp ? n + Number(index) : Number(index);
    for (const r of entry.norms) {
      if (r.perHead) {
        const h = new RegExp(`^${r.tail.replace(/\./g, '\\.')}\\.(\\d+)\\.weight$`).exec(tail);
        if (h) add(layer, r.role, { name: t.name, head: Number(h[1]) });
      } else if (r.tail === tail) add(layer, r.role, { name: t.name, head: 0 });
    }
  }
  return out;
}

function appliedExpected(stored: Map<string, Stored>, pieces: readonly Piece[], shift: number): Float32Array {
  const parts = pieces.map((p) => {
    const s = stored.get(p.name);
    if (!s) throw new Error(`${p.name} not stored`);
    return decodeStored(s);
  });
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) for (const v of p) out[at++] = Math.fround(shift + v); // float64 sum, one rounding
  return out;
}

/** index of the first bit-level difference, or -1 */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

// ---- the run -----------------------------------------------------------------------------------

let root: string;
let hub: HubStandIn;
const repos = new Map<string, StaticRepoSpec>();
const checked = { repos: 0, vectors: 0, roles: 0 };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-families-'));
  for (const spec of familyRepoSpecs()) {
    writeStaticRepo(root, spec);
    repos.set(spec.repo, spec);
  }
  const olmo = buildFamilyRepo(OLMO1);
  writeStaticRepo(root, olmo);
  for (const spec of [...ggufFamilyRepoSpecs(), mysteryArchRepoSpec()]) {
    writeStaticRepo(root, spec);
    repos.set(spec.repo, spec);
  }
  hub = await startHubStandIn({ roots: [root] });
}, 120_000);

standInSuiteHooks(() => ({ hub, root }));

const load = (repo: string, quant?: string) =>
  loadModel({ hub: hub.hubUrl, repo, retry: FAST_RETRY, ...(quant ? { quant } : {}) });

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return firstBitDifference(a, b) === -1;
}

function checkModel(spec: FamilySpec, repo: string, m: LoadedModel): void {
  const stored = readSafetensors(repos.get(repo)!.files);
  const layout = expectedLayout(spec);
  const shifts = spec.expect.shifts ?? {};
  const extraIdx = spec.expect.extraLayers ?? [];
  const label = `${repo}`;

  expect(m.normFamily, label).toBe(spec.expect.entry);
  expect(m.roles, label).toEqual(spec.expect.roles);
  expect(m.format, label).toBe('safetensors');
  expect(m.source, label).toBe('hub');
  expect(
    m.warnings.filter((w) => /hidden size/.test(w)),
    label,
  ).toEqual([]);
  expect(m.zeroCentred, label).toBe(Object.values(shifts).some((s) => s !== 0));
  for (const role of spec.expect.roles)
    expect(m.roleWidths[role], `${label} width of ${role}`).toBe(spec.expect.widths[role]);
  expect(Object.keys(m.roleWidths).sort(), label).toEqual([...spec.expect.roles].sort());

  // decoder layers 0..L-1, extras (MTP) apart and labelled
  expect(
    m.layers.map((l) => l.index),
    label,
  ).toEqual(Array.from({ length: L }, (_, i) => i));
  expect(
    m.layers.every((l) => !l.extra),
    label,
  ).toBe(true);
  expect(
    m.extraLayers.map((l) => l.index),
    label,
  ).toEqual(extraIdx);
  for (const x of m.extraLayers) {
    expect(x.extra, label).toBe(true);
    expect(x.label, label).toBe(`${x.index} (MTP)`);
  }
  expect(
    [...layout.keys()].sort((a, b) => a - b),
    label,
  ).toEqual([...Array.from({ length: L }, (_, i) => i), ...extraIdx]);

  let vectors = 0;
  let pieces = 0;
  for (const layer of [...m.layers, ...m.extraLayers]) {
    const want = layout.get(layer.index)!;
    // exactly the expected roles in this layer: no decoy, nothing missing
    const have = NORM_ROLES.filter((r) => layer[r] !== undefined);
    expect(have, `${label} layer ${layer.index}`).toEqual(NORM_ROLES.filter((r) => want.has(r)));
    for (const [role, ps] of want) {
      const expected = appliedExpected(stored, ps, shifts[role] ?? 0);
      const got = layer[role]!;
      const at = firstBitDifference(got, expected);
      expect(at, `${label} layer ${layer.index} ${role}: element ${at} is ${got[at]}, expected ${expected[at]}`).toBe(
        -1,
      );
      // per-head 2-D norms ([heads, head_dim]) come flattened
      const shape = stored.get(ps[0]!.name)!.shape;
      if (ps.length === 1 && shape.length === 2) expect(got.length).toBe(shape[0]! * shape[1]!);
      vectors++;
      pieces += ps.length;
    }
  }
  expect(pieces, `${label} tensor count`).toBe(spec.expect.tensorCount);
  checked.repos++;
  checked.vectors += vectors;
  checked.roles += spec.expect.roles.length;
}

describe('every family fixture through loadModel over HTTP', () => {
  it('has a repo per family plus the fine-tunes', () => {
    const safetensors = [...repos.keys()].filter((r) => !r.endsWith('-GGUF') && !r.endsWith('/mystery-arch'));
    expect(safetensors).toHaveLength(FAMILIES.length + 2);
    expect(safetensors.length).toBeGreaterThanOrEqual(72);
  });

  it('loads every family bit-exact against float64 on the applied γ', async () => {
    const jobs: [FamilySpec, string][] = [];
    for (const spec of FAMILIES) jobs.push([spec, `${FAMILY_ORG}/${spec.id}`]);
    jobs.push([FAMILIES.find((f) => f.id === 'llama')!, `${FAMILY_ORG}/llama-finetune`]);
    jobs.push([FAMILIES.find((f) => f.id === 'gemma3')!, `${FAMILY_ORG}/gemma3-finetune`]);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const [spec, repo] = jobs[next++]!;
        try {
          checkModel(spec, repo, await load(repo));
        } catch (e) {
          failures.push(`${repo}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(failures).toEqual([]);
    expect(checked.repos).toBe(jobs.length);
    console.info(
      `families: ${checked.repos} repos, ${checked.roles} family roles, ${checked.vectors} layer vectors bit-exact`,
    );
  }, 120_000);

  it('names the model_type and the norm-like tensors of an unknown architecture', async () => {
    await expect(load(`${FAMILY_ORG}/mystery-arch`)).rejects.toThrow(
      /model_type "mystery-arch".*Norm-like tensors: .*trunk\.cells\.0\.pre_mix_rmsnorm\.scale/,
    );
  });

  it('says clearly that OLMo (1) has no γ at all', async () => {
    await expect(load(`${FAMILY_ORG}/olmo`)).rejects.toThrow(/without weights|no γ|model_type "olmo"/);
  });
});

describe('GGUF repos from the Hub stand-in against their safetensors sources', () => {
  it.each(GGUF_FAMILIES)('%s-GGUF: every quantization gives the safetensors γ bit for bit', async (id) => {
    const st = await load(`${FAMILY_ORG}/${id}`);
    const quants = ['', 'Q8_0', 'Q4_K_M', ...(id === 'llama' ? ['BF16'] : [])];
    for (const quant of quants) {
      const g = await load(`${FAMILY_ORG}/${id}-GGUF`, quant || undefined);
      const what = `${id}-GGUF ${quant || '(default)'}`;
      expect(g.format, what).toBe('gguf');
      expect(g.source, what).toBe('hub');
      expect(
        g.files.some((f) => f.startsWith('mmproj')),
        what,
      ).toBe(false);
      if (quant === 'BF16') expect(g.files, what).toHaveLength(2);
      else if (quant) expect(g.files[0], what).toContain(quant);
      else expect(g.files[0], what).toContain('Q4_K_M'); // the smallest by default
      expect(g.roles, what).toEqual(st.roles);
      expect(g.roleWidths, what).toEqual(st.roleWidths);
      expect(g.layers.length, what).toBe(st.layers.length);
      for (const [i, layer] of st.layers.entries()) {
        for (const role of st.roles)
          expect(sameBits(layer[role]!, g.layers[i]![role]!), `${what} layer ${i} ${role}`).toBe(true);
      }
      expect(g.extraLayers.length, what).toBe(id === 'glm4-moe' ? 1 : 0);
    }
  });
});
