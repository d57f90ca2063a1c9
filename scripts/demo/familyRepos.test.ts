import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../../src/core/dtypes.ts';
import { discoverNorms } from '../../src/core/norms.ts';
import { parseSafetensorsFile } from '../../src/core/safetensors.ts';
import { FAMILIES, type FamilySpec } from '../../src/core/testdata/families.ts';
import { buildFamilyRepo, FAMILY_ORG, FINE_TUNES } from './familyRepos.ts';

function bytesOf(file: Uint8Array | string | undefined): Uint8Array {
  if (file === undefined || typeof file === 'string') throw new Error('expected a binary file');
  return file;
}

/** Parses every safetensors file of a built repo back; returns name → { file, bytes, dtype, shape }. */
function readBack(files: Record<string, Uint8Array | string>) {
  const out = new Map<string, { file: string; dtype: string; shape: number[]; bytes: Uint8Array }>();
  for (const [path, data] of Object.entries(files)) {
    if (!path.endsWith('.safetensors')) continue;
    const buf = bytesOf(data);
    const header = parseSafetensorsFile(buf);
    for (const t of header.tensors)
      out.set(t.name, { file: path, dtype: t.dtype, shape: t.shape, bytes: buf.subarray(t.start, t.end) });
  }
  return out;
}

describe('family fixture repos', () => {
  it('writes valid safetensors with the spec names, shapes, dtypes and positive applied γ', () => {
    for (const spec of FAMILIES) {
      const built = buildFamilyRepo(spec);
      expect(built.repo).toBe(`${FAMILY_ORG}/${spec.id}`);
      const tensors = readBack(built.files);
      expect(tensors.size, spec.id).toBe(spec.tensors.length);
      for (const t of spec.tensors)
        expect(tensors.get(t.name), t.name).toMatchObject({ dtype: t.dtype, shape: t.shape });
      const index = built.files['model.safetensors.index.json'];
      const map =
        typeof index === 'string'
          ? new Map(Object.entries(JSON.parse(index).weight_map as Record<string, string>))
          : null;
      if (map) for (const [name, t] of tensors) expect(map.get(name), name).toBe(t.file);
      const d = discoverNorms(map ?? new Map([...tensors].map(([n, t]) => [n, t.file])), spec.config);
      expect(d.tensors.length, spec.id).toBe(spec.expect.tensorCount);
      for (const ref of d.tensors) {
        const raw = tensors.get(ref.name);
        if (!raw) throw new Error(`${ref.name} missing`);
        const shift = d.shifts.get(ref.name) ?? 0;
        const applied = Array.from(decodeTensor(raw.bytes, raw.dtype), (v) => v + shift);
        expect(Math.min(...applied), `${spec.id} ${ref.name}`).toBeGreaterThan(0);
        expect(Math.max(...applied), `${spec.id} ${ref.name}`).toBeLessThan(3);
        if (shift === 1) expect(Math.min(...applied.map((v) => v - 1)), ref.name).toBeLessThan(0.5); // stored w sits near 0, not near 1
      }
    }
  });

  it('builds fine-tune siblings with the same names and γ close to the parent', () => {
    for (const [parentId, child] of Object.entries(FINE_TUNES)) {
      const spec = FAMILIES.find((f) => f.id === parentId) as FamilySpec;
      const parent = readBack(buildFamilyRepo(spec).files);
      const built = buildFamilyRepo(spec, {
        repo: `${FAMILY_ORG}/${child}`,
        gammaSeed: spec.id,
        fineTuneSigma: 2e-3,
        baseModel: `${FAMILY_ORG}/${parentId}`,
      });
      expect(built.cardData?.base_model).toBe(`${FAMILY_ORG}/${parentId}`);
      const kid = readBack(built.files);
      expect([...kid.keys()].sort()).toEqual([...parent.keys()].sort());
      const d = discoverNorms([...parent.keys()], spec.config);
      for (const ref of d.tensors) {
        const a = decodeTensor((parent.get(ref.name) as { bytes: Uint8Array }).bytes, 'BF16');
        const b = decodeTensor((kid.get(ref.name) as { bytes: Uint8Array }).bytes, 'BF16');
        let maxDiff = 0;
        for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
        expect(maxDiff, ref.name).toBeLessThan(0.05);
        expect(maxDiff, ref.name).toBeGreaterThan(0);
      }
    }
  });
});
