import { describe, expect, it } from 'vitest';
import {
  chooseGgufOption,
  isAuxiliaryGguf,
  isGgufRepo,
  listGgufOptions,
  quantLabel,
  type RepoFile,
} from './ggufFiles.ts';

const GB = 1024 ** 3;

// Shaped like unsloth's Gemma/Qwen GGUF repos: projector, BF16 split in a folder, flat quants.
const unsloth: RepoFile[] = [
  { path: '.gitattributes', size: 2000 },
  { path: 'README.md', size: 9000 },
  { path: 'mmproj-F16.gguf', size: 0.8 * GB },
  { path: 'mmproj-BF16.gguf', size: 0.8 * GB },
  { path: 'BF16/gemma-3-27b-it-BF16-00001-of-00002.gguf', size: 49 * GB },
  { path: 'BF16/gemma-3-27b-it-BF16-00002-of-00002.gguf', size: 5 * GB },
  { path: 'gemma-3-27b-it-Q4_K_M.gguf', size: 16.5 * GB },
  { path: 'gemma-3-27b-it-Q8_0.gguf', size: 28.7 * GB },
  { path: 'gemma-3-27b-it-UD-Q2_K_XL.gguf', size: 10.5 * GB },
  { path: 'gemma-3-27b-it-IQ4_XS.gguf', size: 14.8 * GB },
  { path: 'imatrix_unsloth.gguf', size: 12_000_000 },
];

describe('quantLabel', () => {
  it.each([
    ['gemma-3-27b-it-Q4_K_M.gguf', 'Q4_K_M'],
    ['gemma-3-27b-it-UD-Q2_K_XL.gguf', 'UD-Q2_K_XL'],
    ['Qwen3-8B-iq4_xs.gguf', 'IQ4_XS'],
    ['BF16/gemma-3-27b-it-BF16-00001-of-00002.gguf', 'BF16'],
    ['Q4_K_M/model-00001-of-00002.gguf', 'Q4_K_M'],
    ['Llama-3.2-1B-Instruct-f16.gguf', 'F16'],
    ['gpt-oss-20b-MXFP4.gguf', 'MXFP4'],
    ['Qwen2.5-7B-Instruct-q8_0-00001-of-00003.gguf', 'Q8_0'],
    ['model.gguf', null],
  ])('%s → %s', (path, label) => {
    expect(quantLabel(path)).toBe(label);
  });
});

describe('listGgufOptions / chooseGgufOption', () => {
  it('leaves out projectors and imatrix data, groups split parts, and offers every quantization', () => {
    const options = listGgufOptions(unsloth);
    expect(options.map((o) => o.label)).toEqual(['UD-Q2_K_XL', 'IQ4_XS', 'Q4_K_M', 'Q8_0', 'BF16']);
    const bf16 = options.find((o) => o.label === 'BF16')!;
    expect(bf16.files.map((f) => f.path)).toEqual([
      'BF16/gemma-3-27b-it-BF16-00001-of-00002.gguf',
      'BF16/gemma-3-27b-it-BF16-00002-of-00002.gguf',
    ]);
    expect(bf16.totalSize).toBe(54 * GB);
    expect(options.every((o) => o.files.every((f) => !isAuxiliaryGguf(f.path)))).toBe(true);
  });

  it('chooses the smallest complete option by default, or the user’s pick case-insensitively', () => {
    expect(chooseGgufOption(unsloth).chosen?.label).toBe('UD-Q2_K_XL');
    expect(chooseGgufOption(unsloth, 'q8_0').chosen?.files.map((f) => f.path)).toEqual(['gemma-3-27b-it-Q8_0.gguf']);
    expect(chooseGgufOption(unsloth, 'bf16').chosen?.files).toHaveLength(2);
  });

  it('reports missing split parts and unknown picks in words', () => {
    const broken = unsloth.filter((f) => !f.path.endsWith('BF16-00002-of-00002.gguf'));
    const bf16 = listGgufOptions(broken).find((o) => o.label === 'BF16')!;
    expect(bf16).toMatchObject({ missingParts: [2], totalSize: null });
    expect(listGgufOptions(broken).at(-1)?.label).toBe('BF16');
    const choice = chooseGgufOption(broken, 'BF16');
    expect(choice.chosen).toBeNull();
    expect(choice.problem).toBe('The BF16 GGUF is split into 2 parts, but part 2 is missing from the repository.');
    expect(chooseGgufOption(unsloth, 'Q3_K_S').problem).toMatch(
      /no "Q3_K_S" GGUF.*available: UD-Q2_K_XL, IQ4_XS, Q4_K_M, Q8_0, BF16/,
    );
    expect(chooseGgufOption([{ path: 'mmproj-model-f16.gguf', size: 1 }]).problem).toMatch(/no language-model GGUF/);
  });

  it('puts options of unknown size after sized ones and falls back to the stem as label', () => {
    const options = listGgufOptions([
      { path: 'model.gguf', size: null },
      { path: 'sub/Model-Q5_K_S.gguf', size: 5 },
    ]);
    expect(options.map((o) => [o.label, o.totalSize])).toEqual([
      ['Q5_K_S', 5],
      ['model', null],
    ]);
  });
});

describe('isGgufRepo', () => {
  it('is true for the gguf tag or any .gguf sibling', () => {
    expect(isGgufRepo(['transformers', 'gguf'], [])).toBe(true);
    expect(isGgufRepo([], [{ rfilename: 'Model-Q4_K_M.GGUF' }])).toBe(true);
    expect(isGgufRepo(['safetensors'], [{ rfilename: 'model.safetensors' }, 'config.json'])).toBe(false);
    expect(isGgufRepo(undefined, undefined)).toBe(false);
  });
});
