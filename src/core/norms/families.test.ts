import { describe, expect, it } from 'vitest';
import { FAMILIES, OLMO1, type FamilySpec } from '../testdata/families.ts';
import { NORM_ROLES } from '../types.ts';
import { discoverNorms } from './discover.ts';

const DECOY =
  /vision|visual|audio|multi_modal_projector|mixer\.norm|mamba\.|linear_attn\.norm|embeddings?\.|enorm|hnorm|shared_head|sinks|\.bias$|\.beta$|^(model\.(language_model\.)?)?norm\.weight$|norm_f|ln_f|final_layer/;

function discover(f: FamilySpec) {
  return discoverNorms(new Map(f.tensors.map((t) => [t.name, 'model.safetensors'])), f.config);
}

describe('architecture table on realistic checkpoints', () => {
  it('has unique fixture ids and unique tensor names per fixture', () => {
    expect(new Set(FAMILIES.map((f) => f.id)).size).toBe(FAMILIES.length);
    for (const f of FAMILIES) expect(new Set(f.tensors.map((t) => t.name)).size, f.id).toBe(f.tensors.length);
  });

  for (const f of FAMILIES) {
    it(`${f.id}: entry, roles, widths, extras, shifts, no decoys, no warnings`, () => {
      const d = discover(f);
      const ex = f.expect;
      expect(d.family).toBe(ex.entry);
      expect(d.matchedBy).toBe('model_type');
      expect(d.roles).toEqual(ex.roles);
      expect(d.tensors).toHaveLength(ex.tensorCount);
      expect(d.extraLayers).toEqual(ex.extraLayers ?? []);
      expect(d.layers).toEqual([0, 1, 2, 3]);
      for (const l of d.extraLayers) expect(d.labels.get(l)).toBe(`${l} (MTP)`);
      expect(Object.fromEntries(d.widths)).toEqual(ex.widths);
      expect(Object.fromEntries(d.shiftedRoles)).toEqual(ex.shifts ?? {});
      expect(d.zeroCentred).toBe(Object.keys(ex.shifts ?? {}).length > 0);
      expect(d.warnings).toEqual([]);
      // every discovered tensor is a real per-layer norm, and its stored width is the expected one
      const shapes = new Map(f.tensors.map((t) => [t.name, t.shape]));
      const perRole = new Map<string, number>();
      for (const t of d.tensors) {
        expect(t.name, `${f.id} picked a decoy`).not.toMatch(DECOY);
        const n = (shapes.get(t.name) ?? []).reduce((a, b) => a * b, 1);
        const key = `${t.layer}/${t.role}`;
        perRole.set(key, (perRole.get(key) ?? 0) + n);
      }
      for (const [key, n] of perRole)
        expect(n, `${f.id} ${key}`).toBe(d.widths.get(key.split('/')[1] as (typeof NORM_ROLES)[number]));
    });
  }

  it('gives per-head pieces of StableLM q/k norms in head order', () => {
    const f = FAMILIES.find((x) => x.id === 'stablelm-2-12b') as FamilySpec;
    const d = discover(f);
    const q0 = d.tensors.filter((t) => t.layer === 0 && t.role === 'q').map((t) => d.headPieces.get(t.name));
    expect(q0).toEqual([0, 1, 2, 3]);
  });

  it('marks (1 + w) per tensor: Gemma 3 q/k too, Qwen3-Next MTP too, PLaMo 2 with its offsets', () => {
    const g3 = discover(FAMILIES.find((x) => x.id === 'gemma3') as FamilySpec);
    expect(g3.shifts.get('model.language_model.layers.0.self_attn.q_norm.weight')).toBe(1);
    const qn = discover(FAMILIES.find((x) => x.id === 'qwen3next') as FamilySpec);
    expect(qn.shifts.get('mtp.layers.0.input_layernorm.weight')).toBe(1);
    expect([...qn.shifts.keys()].some((n) => n.includes('linear_attn'))).toBe(false);
    const g3n = discover(FAMILIES.find((x) => x.id === 'gemma3n') as FamilySpec);
    expect(g3n.shifts.size).toBe(0);
    const plamo = discover(FAMILIES.find((x) => x.id === 'plamo2') as FamilySpec);
    expect(plamo.shifts.get('model.layers.layers.0.post_mixer_norm.weight')).toBeCloseTo(0.2);
    expect(plamo.shifts.get('model.layers.layers.1.mixer.q_weight')).toBeUndefined();
  });

  it('reads post_attention_layernorm by architecture', () => {
    const roleOf = (id: string, layerName: string) => {
      const d = discover(FAMILIES.find((x) => x.id === id) as FamilySpec);
      return d.tensors.find((t) => t.layer === 0 && t.name.endsWith(layerName))?.role;
    };
    expect(roleOf('llama', 'post_attention_layernorm.weight')).toBe('post');
    expect(roleOf('qwen3next', 'post_attention_layernorm.weight')).toBe('post');
    expect(roleOf('glm4', '.post_attention_layernorm.weight')).toBe('post');
    for (const id of ['gemma2', 'gemma3', 'gemma3-text', 'gemma3n', 'olmo2', 'exaone4'])
      expect(roleOf(id, 'post_attention_layernorm.weight'), id).toBe('attn_out');
  });

  it('falls back to names when model_type is missing: pre_feedforward_layernorm means the sandwich', () => {
    const g2 = FAMILIES.find((x) => x.id === 'gemma2') as FamilySpec;
    const { model_type: _, ...config } = g2.config;
    const d = discoverNorms(
      g2.tensors.map((t) => t.name),
      config,
    );
    expect(d.matchedBy).toBe('names');
    expect(d.family).toBe('gemma2');
    expect(d.tensors.find((t) => t.name === 'model.layers.0.post_attention_layernorm.weight')?.role).toBe('attn_out');
    expect(d.warnings[0]).toMatch(/no model_type/);
    const olmo2 = FAMILIES.find((x) => x.id === 'olmo2') as FamilySpec;
    const o = discoverNorms(
      olmo2.tensors.map((t) => t.name),
      { ...olmo2.config, model_type: 'my_olmo2_finetune' },
    );
    expect(o.family).toBe('olmo2');
    expect(o.warnings[0]).toMatch(/"my_olmo2_finetune", which the architecture table does not know/);
  });

  it('says OLMo (1) has no γ', () => {
    const d = discover(OLMO1);
    expect(d.tensors).toEqual([]);
    expect(d.family).toBe('olmo');
    expect(d.unknownMessage).toMatch(/without weights/);
  });
});
