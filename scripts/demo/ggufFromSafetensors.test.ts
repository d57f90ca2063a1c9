// A GGUF converted from a family fixture must give exactly the γ of its safetensors source: same
// roles, every layer vector bit-identical (so cosine = Pearson = 1), Gemma's + 1 included. Both
// are loaded as local files (Node File objects), the GGUF through the GGUF reader.
import { describe, expect, it } from 'vitest';
import { cosine, pearson } from '../../src/core/metrics.ts';
import { FAMILIES, type FamilySpec } from '../../src/core/testdata/families.ts';
import { NORM_ROLES } from '../../src/core/types.ts';
import { groupLocalFiles } from '../../src/core/localFiles.ts';
import { buildFamilyRepo } from './familyRepos.ts';
import { GGUF_CONVERSIONS, ggufRepoFiles } from './ggufFromSafetensors.ts';
import { loadOneLocalModel, localFile } from '../../src/sources/testing/localFile.ts';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}

const IDS = Object.keys(GGUF_CONVERSIONS);

describe('GGUF converted from the family fixtures', () => {
  it.each(IDS)('%s: the GGUF and its safetensors source give identical γ', async (id) => {
    const spec = FAMILIES.find((f) => f.id === id) as FamilySpec;
    const repo = buildFamilyRepo(spec);
    const st = await loadOneLocalModel([
      localFile(`${JSON.stringify(spec.config)}\n`, `${id}/config.json`),
      ...Object.entries(repo.files)
        .filter(([p]) => p.endsWith('.safetensors') || p.endsWith('.index.json'))
        .map(([p, d]) => localFile(d, `${id}/${p}`)),
    ]);
    const { files, name } = ggufRepoFiles(spec, repo.files, { splitBf16: id === 'llama' });
    const options: [string, File[]][] = [
      ['Q4_K_M', [localFile(files[`${name}-Q4_K_M.gguf`]!, `${name}-Q4_K_M.gguf`)]],
      ['Q8_0', [localFile(files[`${name}-Q8_0.gguf`]!, `${name}-Q8_0.gguf`)]],
    ];
    if (id === 'llama')
      options.push([
        'BF16 split',
        [2, 1].map((i) =>
          localFile(files[`${name}-BF16-0000${i}-of-00002.gguf`]!, `${name}-BF16-0000${i}-of-00002.gguf`),
        ),
      ]);
    expect(files[`${name}-Q4_K_M.gguf`]!.length).not.toBe(files[`${name}-Q8_0.gguf`]!.length);
    for (const [label, parts] of options) {
      const g = await loadOneLocalModel(parts);
      const what = `${id} ${label}`;
      expect(g.format, what).toBe('gguf');
      expect(g.roles, what).toEqual(st.roles);
      expect(g.roles, what).toEqual(spec.expect.roles);
      expect(g.roleWidths, what).toEqual(st.roleWidths);
      expect(g.hiddenSize, what).toBe(st.hiddenSize);
      expect(
        g.layers.map((l) => l.index),
        what,
      ).toEqual(st.layers.map((l) => l.index));
      expect(g.zeroCentred, what).toBe(false); // the converter wrote the applied γ
      for (const [i, layer] of st.layers.entries()) {
        for (const role of NORM_ROLES) {
          const a = layer[role];
          const b = g.layers[i]![role];
          expect(b === undefined, `${what} layer ${i} ${role}`).toBe(a === undefined);
          if (!a || !b) continue;
          expect(sameBits(a, b), `${what} layer ${i} ${role}`).toBe(true);
          expect(cosine(a, b), `${what} layer ${i} ${role}`).toBe(1);
          expect(pearson(a, b), `${what} layer ${i} ${role}`).toBe(1);
        }
      }
      // MTP: GLM-4.5 keeps its NextN block; DeepSeek V3's converter drops it (skip_mtp)
      if (id === 'glm4-moe') {
        expect(
          g.extraLayers.map((l) => l.label),
          what,
        ).toEqual(st.extraLayers.map((l) => l.label));
        for (const role of NORM_ROLES) {
          const a = st.extraLayers[0]![role];
          if (a) expect(sameBits(a, g.extraLayers[0]![role]!), `${what} MTP ${role}`).toBe(true);
        }
      } else if (id === 'deepseek-v3') {
        expect(st.extraLayers).toHaveLength(1);
        expect(g.extraLayers, what).toHaveLength(0);
      } else expect(g.extraLayers, what).toHaveLength(0);
    }
  });

  it('writes the gemma3 vision projector as a clip file that holds no language-model norms', async () => {
    const spec = FAMILIES.find((f) => f.id === 'gemma3') as FamilySpec;
    const { files, name } = ggufRepoFiles(spec, buildFamilyRepo(spec).files);
    const mmproj = files[`mmproj-${name}-F16.gguf`]!;
    expect(new TextDecoder().decode(mmproj.subarray(0, 4))).toBe('GGUF');
    // a projector on its own is not a model to load
    const { groups, skipped } = groupLocalFiles([{ path: `mmproj-${name}-F16.gguf`, size: mmproj.length }]);
    expect(groups).toHaveLength(0);
    expect(skipped[0]?.reason).toMatch(/projector/);
  });
});
