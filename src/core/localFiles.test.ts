import { describe, expect, it } from 'vitest';
import { groupLocalFiles, planLocalModel } from './localFiles';

const e = (path: string, size = 100) => ({ path, size });

describe('groupLocalFiles', () => {
  it('makes one model of a folder and one of loose safetensors with their config and index', () => {
    const g = groupLocalFiles([
      e('Qwen3-8B/config.json'),
      e('Qwen3-8B/model.safetensors.index.json'),
      e('Qwen3-8B/model-00001-of-00002.safetensors'),
      e('Qwen3-8B/model-00002-of-00002.safetensors'),
      e('config.json'),
      e('model.safetensors'),
    ]);
    expect(g.groups.map((x) => [x.label, x.entries.length])).toEqual([
      ['Qwen3-8B', 4],
      ['model', 2],
    ]);
    expect(g.skipped).toEqual([]);
  });

  it('keeps GGUF split parts together, one model per GGUF, and skips projectors and stray files', () => {
    const g = groupLocalFiles([
      e('gemma-3-4b-it-Q4_K_M.gguf'),
      e('mmproj-F16.gguf'),
      e('Llama-3.1-8B-BF16-00001-of-00002.gguf'),
      e('Llama-3.1-8B-BF16-00002-of-00002.gguf'),
      e('notes.txt'),
    ]);
    expect(g.groups.map((x) => [x.label, x.entries.length])).toEqual([
      ['gemma-3-4b-it-Q4_K_M', 1],
      ['Llama-3.1-8B-BF16', 2],
    ]);
    expect(g.skipped.map((s) => s.path)).toEqual(['mmproj-F16.gguf', 'notes.txt']);
  });
});

describe('planLocalModel', () => {
  it('reads the safetensors with the index and config of a folder', () => {
    const r = planLocalModel({
      label: 'm',
      entries: [e('m/config.json'), e('m/model.safetensors.index.json'), e('m/a.safetensors'), e('m/README.md')],
    });
    expect(r).toEqual({
      ok: true,
      plan: {
        kind: 'safetensors',
        label: 'm',
        weights: ['m/a.safetensors'],
        index: 'm/model.safetensors.index.json',
        config: 'm/config.json',
        ignored: ['m/README.md'],
      },
    });
  });

  it('takes the smallest quantization of a GGUF folder, all parts in order, never the projector', () => {
    const r = planLocalModel({
      label: 'unsloth',
      entries: [
        e('u/m-Q8_0.gguf', 800),
        e('u/mmproj-F16.gguf', 10),
        e('u/m-Q4_K_M.gguf', 400),
        e('u/m-BF16-00002-of-00002.gguf', 900),
        e('u/m-BF16-00001-of-00002.gguf', 900),
      ],
    });
    expect(r).toMatchObject({ ok: true, plan: { kind: 'gguf', parts: ['u/m-Q4_K_M.gguf'] } });
    const split = planLocalModel({
      label: 'b',
      entries: [e('m-BF16-00002-of-00002.gguf'), e('m-BF16-00001-of-00002.gguf')],
    });
    expect(split).toMatchObject({
      ok: true,
      plan: { parts: ['m-BF16-00001-of-00002.gguf', 'm-BF16-00002-of-00002.gguf'] },
    });
  });

  it('says which split part is missing and when nothing is a weights file', () => {
    expect(planLocalModel({ label: 'b', entries: [e('m-00001-of-00003.gguf'), e('m-00003-of-00003.gguf')] })).toEqual({
      ok: false,
      error: 'm is split into 3 parts, but part 2 is missing.',
    });
    const bad = planLocalModel({ label: 'x', entries: [e('pytorch_model.bin')] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/pytorch_model\.bin is neither safetensors nor GGUF/);
  });
});
