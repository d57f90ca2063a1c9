// Issue 16 item 5: property-based tests (fast-check, fixed seed) that mutate real files of every
// format NormScope reads. Each reader must return a valid result or its own typed error, within a
// byte budget and a time budget, and never throw anything else (no RangeError, no TypeError, no
// hang). The whole file runs in a few seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBf16 } from '../dtypes';
import { serializeSafetensors, SafetensorsFormatError } from '../safetensors';
import { readSafetensorsCatalogue } from './safetensorsCatalogue';
import { discoverCatalogueNorms } from './catalogueNorms';
import { parseSafetensorsIndex, SafetensorsIndexError } from './safetensorsIndex';
import { vocabularyFromTokenizerBytes, vocabularyFromTokenizerJson, VocabularyError } from '../vocabulary';
import { GgufFormatError, planGgufNorms, readGgufHeader } from '../gguf';
import { realisticGguf } from '../gguf/testing/realisticGguf';
import { writeGguf } from '../gguf/testing/writeGguf';
import { formatQuery, parseQuery } from '../permalink';
import { checkLayers } from '../layerChecks';

const SEED = 16016;
/** A damaged file may make a reader read this much at most (issue 16: ≤ 16 MB). */
const BYTE_BUDGET = 16 * 1024 * 1024;
/** And take this long at most (ms), per case. */
const TIME_BUDGET_MS = 1500;
/** The size damaged files claim: their bytes past the real ones read as zeros (2 GB, as the lying files). */
const CLAIMED_SIZE = 2 * 1024 ** 3;

const fcOptions = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'u64'; at: number; value: bigint }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] };

const EXTREME_U64 = [0n, 1n, 2n ** 32n - 1n, 2n ** 40n, 2n ** 50n, 2n ** 62n, 2n ** 64n - 1n, 150_000_000n, 77n, 99n];

/** Mutations aimed where headers keep their lengths and counts (the first bytes), and anywhere. */
const mutation = (size: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(size - 1), value: fc.nat(255) }),
    fc.record({
      kind: fc.constant('u64' as const),
      at: fc.oneof(fc.nat(Math.min(64, size - 8)), fc.nat(size - 8)),
      value: fc.constantFrom(...EXTREME_U64),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(size - 1) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(size - 1),
      bytes: fc.array(fc.nat(255), { maxLength: 16 }),
    }),
  );

function mutate(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = original.slice();
  for (const m of mutations) {
    if (m.kind === 'flip') b[m.at % b.length] = m.value;
    else if (m.kind === 'u64' && b.length >= 8)
      new DataView(b.buffer, b.byteOffset).setBigUint64(Math.min(m.at, b.length - 8), m.value, true);
    else if (m.kind === 'truncate') b = b.slice(0, Math.max(1, m.at % b.length));
    else if (m.kind === 'insert') {
      const at = m.at % b.length;
      b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    }
  }
  return b;
}

/** A file whose real bytes are `bytes`, claiming `claimed` bytes (zeros after the real ones); counts what is read. */
function lyingFile(bytes: Uint8Array, claimed: number | null) {
  const seen = { bytes: 0, reads: 0 };
  const size = claimed ?? bytes.length;
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    const stop = Math.min(end, size);
    if (stop <= start) return new Uint8Array(0);
    seen.reads++;
    seen.bytes += stop - start;
    if (seen.bytes > BYTE_BUDGET) throw new Error(`read over budget: ${seen.bytes} bytes`);
    const out = new Uint8Array(stop - start);
    if (start < bytes.length) out.set(bytes.subarray(start, Math.min(stop, bytes.length)));
    return out;
  };
  return { read, seen, size };
}

/** Runs `fn`; fails unless it returns or throws one of `allowed`, within the time budget. */
async function containedAsync(fn: () => Promise<unknown>, allowed: readonly (new (...a: never[]) => Error)[]) {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    if (!allowed.some((E) => e instanceof E)) throw e;
  }
  const ms = performance.now() - t0;
  if (ms > TIME_BUDGET_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
}

function contained(fn: () => unknown, allowed: readonly (new (...a: never[]) => Error)[]) {
  return containedAsync(async () => fn(), allowed);
}

const HIDDEN = 64;
const gamma = (l: number) => Float32Array.from({ length: HIDDEN }, (_, i) => 1 + 0.01 * Math.sin(i + l));

function realSafetensors(): Uint8Array {
  const tensors = [];
  for (let l = 0; l < 4; l++) {
    tensors.push({
      name: `model.layers.${l}.input_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: encodeBf16(gamma(l)),
    });
    tensors.push({
      name: `model.layers.${l}.post_attention_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: encodeBf16(gamma(l + 9)),
    });
    tensors.push({
      name: `model.layers.${l}.mlp.down_proj.weight`,
      dtype: 'BF16',
      shape: [HIDDEN, 4],
      data: new Uint8Array(HIDDEN * 8),
    });
  }
  return serializeSafetensors(tensors, { format: 'pt' });
}

const CONFIG = { model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: HIDDEN, num_hidden_layers: 4 };

describe('fuzz: every reader returns a catalogue or its typed error, bounded', () => {
  it('safetensors headers (lengths of 2^50 and 150 MB, random bytes, truncation, lying sizes)', async () => {
    const real = realSafetensors();
    let maxRead = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation(real.length), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (ms, lie) => {
          const f = lyingFile(mutate(real, ms), lie ? CLAIMED_SIZE : null);
          await containedAsync(async () => {
            const cat = await readSafetensorsCatalogue(
              [{ file: 'model.safetensors', size: f.size, read: f.read }],
              CONFIG,
            );
            // a catalogue that came back is usable: norm discovery and the layer checks do not throw
            const found = discoverCatalogueNorms(cat);
            for (const t of cat.tensors) expect(t.end).toBeGreaterThanOrEqual(t.start);
            checkLayers(
              found.layers.map((index) => ({ index, extra: false, label: String(index) })),
              4,
            );
          }, [SafetensorsFormatError]);
          maxRead = Math.max(maxRead, f.seen.bytes);
        },
      ),
      fcOptions(300),
    );
    console.log(`[fuzz safetensors] most bytes read by one damaged file: ${maxRead}`);
    expect(maxRead).toBeLessThanOrEqual(BYTE_BUDGET);
  });

  it('GGUF headers (counts of 2^62, huge keys and arrays, unknown value types, versions)', async () => {
    const real = writeGguf(realisticGguf({ arch: 'llama', layers: 2, hidden: 32, vocab: 64 }).file).bytes;
    const headerEnd = Math.min(real.length, 4096);
    let maxRead = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(headerEnd), { minLength: 1, maxLength: 4 }), fc.boolean(), async (ms, lie) => {
        const f = lyingFile(mutate(real, ms), lie ? CLAIMED_SIZE : null);
        await containedAsync(async () => {
          const { header } = await readGgufHeader(f.read, { fileSize: f.size, chunkSize: 64 * 1024 });
          planGgufNorms([{ path: 'm.gguf', header }]);
        }, [GgufFormatError]);
        maxRead = Math.max(maxRead, f.seen.bytes);
      }),
      fcOptions(300),
    );
    console.log(`[fuzz gguf] most bytes read by one damaged file: ${maxRead}`);
    expect(maxRead).toBeLessThanOrEqual(BYTE_BUDGET);
  });

  it('index files (hostile shard names, wrong types, mutated text)', async () => {
    const real = JSON.stringify({
      metadata: { total_size: 1234 },
      weight_map: {
        'model.layers.0.input_layernorm.weight': 'model-00001-of-00002.safetensors',
        'lm_head.weight': 'model-00002-of-00002.safetensors',
      },
    });
    const hostileName = fc.constantFrom(
      '../../../../other-org/m/resolve/main/x.safetensors',
      '/etc/passwd',
      'https://e.x/a.safetensors',
      'C:\\x.safetensors',
      'a/%2e%2e/b.safetensors',
      '',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => ({ json: v })),
          fc
            .dictionary(fc.string(), fc.oneof(fc.string(), hostileName, fc.jsonValue()))
            .map((wm) => ({ json: { weight_map: wm } })),
          fc
            .array(mutation(real.length), { minLength: 1, maxLength: 3 })
            .map((ms) => ({ text: new TextDecoder().decode(mutate(new TextEncoder().encode(real), ms)) })),
        ),
        async (input) => {
          let json: unknown = 'json' in input ? input.json : undefined;
          if ('text' in input) {
            try {
              json = JSON.parse(input.text);
            } catch {
              return; // not JSON: the fetching code says so before the index reader sees it
            }
          }
          await contained(() => {
            const index = parseSafetensorsIndex(json, 'model.safetensors.index.json');
            for (const file of index.weightMap.values()) {
              expect(file.endsWith('.safetensors')).toBe(true);
              expect(file.split('/')).not.toContain('..');
              expect(file.startsWith('/')).toBe(false);
              expect(file).not.toMatch(/[\\:]/);
            }
          }, [SafetensorsIndexError]);
        },
      ),
      fcOptions(400),
    );
  });

  it('configs (absurd layer counts and widths, wrong types) never break norm discovery or the layer checks', async () => {
    const real = realSafetensors();
    const f = lyingFile(real, null);
    const base = await readSafetensorsCatalogue([{ file: 'model.safetensors', size: f.size, read: f.read }], CONFIG);
    const absurd = fc.oneof(fc.constantFrom(1e9, -1, 0, 2 ** 53, NaN, Infinity, 1.5, '12', null), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          model_type: fc.oneof(fc.constantFrom('llama', 'gemma3', 'qwen3', 'olmo2'), fc.jsonValue()),
          hidden_size: absurd,
          num_hidden_layers: absurd,
          text_config: fc.option(fc.record({ num_hidden_layers: absurd, hidden_size: absurd }), { nil: undefined }),
        }),
        async (config) => {
          await contained(() => {
            const found = discoverCatalogueNorms({ ...base, config: config as Record<string, unknown> });
            const layers = found.layers.map((index) => ({
              index,
              extra: false,
              label: String(index),
              input: gamma(index),
            }));
            const n = typeof config.num_hidden_layers === 'number' ? config.num_hidden_layers : null;
            const checked = checkLayers(layers, n !== null && Number.isInteger(n) && n > 0 ? n : null);
            expect(checked.layers.length).toBeLessThanOrEqual(8);
          }, []);
        },
      ),
      fcOptions(300),
    );
  });

  it('tokenizer.json vocabularies', async () => {
    const real = JSON.stringify({
      model: { type: 'BPE', vocab: { hello: 0, world: 1, '<s>': 2 } },
      added_tokens: [{ id: 3, content: '<pad>' }],
      pre_tokenizer: { type: 'ByteLevel' },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => ({ json: v })),
          fc
            .record({
              model: fc.record({
                type: fc.oneof(fc.string(), fc.constantFrom('BPE', 'Unigram', 'WordPiece')),
                vocab: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())),
              }),
              added_tokens: fc.array(fc.record({ id: fc.jsonValue(), content: fc.jsonValue() }), { maxLength: 4 }),
            })
            .map((v) => ({ json: v })),
          fc
            .array(mutation(real.length), { minLength: 1, maxLength: 3 })
            .map((ms) => ({ bytes: mutate(new TextEncoder().encode(real), ms) })),
        ),
        async (input) => {
          await contained(() => {
            const v =
              'bytes' in input ? vocabularyFromTokenizerBytes(input.bytes) : vocabularyFromTokenizerJson(input.json);
            expect(v.tokens.length).toBeGreaterThan(0);
            expect(v.tokens.every((t) => typeof t === 'string')).toBe(true);
            expect(['byte-level-bpe', 'sentencepiece', 'wordpiece', 'unknown']).toContain(v.kind);
          }, [VocabularyError]);
        },
      ),
      fcOptions(300),
    );
  });

  it('permalinks: any query string parses without throwing, and what it keeps parses again to itself', async () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'm=',
        'hub=',
        'norm=',
        'cell=',
        'view=',
        'pair=',
        'metric=',
        '&',
        '%',
        '%00',
        '..',
        '@',
        ':',
        'local:',
        'family=',
        'limit=',
      ),
      fc.webUrl(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        async (search) => {
          await contained(() => {
            const { query } = parseQuery(search);
            const again = parseQuery(formatQuery(query));
            expect(again.errors).toEqual([]);
            expect(again.query).toEqual(query);
          }, []);
        },
      ),
      fcOptions(400),
    );
  });
});
