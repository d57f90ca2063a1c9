// The header reader against real bytes: files written by the independent test writer, checked
// tensor by tensor against @huggingface/gguf reading the same file from disk.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTensor } from '../dtypes.ts';
import { parseGgufBytes, readGgufHeader, type GgufHeader } from './ggufHeader.ts';
import { isSkippedArray } from './ggufValues.ts';
import { realisticGguf, splitGguf } from './testing/realisticGguf.ts';
import { writeGguf, type GgufToWrite } from './testing/writeGguf.ts';

const dir = mkdtempSync(join(tmpdir(), 'normscope-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function toDisk(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A byte source over a buffer that records every read. */
function source(bytes: Uint8Array) {
  const log: [number, number][] = [];
  const read = async (start: number, end: number) => {
    log.push([start, end]);
    return bytes.subarray(start, end);
  };
  return { read, log };
}

async function expectSameAsHuggingFace(path: string, header: GgufHeader): Promise<void> {
  const theirs = await gguf(path, { allowLocalFile: true });
  expect(header.dataStart).toBe(Number(theirs.tensorDataOffset));
  expect(header.tensors.map((t) => t.name)).toEqual(theirs.tensorInfos.map((t) => t.name));
  header.tensors.forEach((ours, i) => {
    const info = theirs.tensorInfos[i]!;
    expect(ours.shape).toEqual(info.shape.map(Number).reverse());
    expect(ours.ggmlType).toBe(Number(info.dtype));
    expect(ours.offset).toBe(Number(info.offset));
    expect(ours.start).toBe(Number(theirs.tensorDataOffset + info.offset));
  });
  expect(header.metadata.get('general.architecture')).toBe(theirs.metadata['general.architecture']);
}

describe('readGgufHeader on realistic files', () => {
  const { file, norms } = realisticGguf({ arch: 'qwen3', layers: 3, vocab: 3000 });
  const written = writeGguf(file);
  const path = toDisk('qwen3-small.gguf', written.bytes);

  it.each([7, 64, 4096, 2 * 1024 * 1024])(
    'agrees with @huggingface/gguf and the writer with %i-byte chunks',
    async (chunkSize) => {
      const { header, stats } = await readGgufHeader(source(written.bytes).read, {
        fileSize: written.bytes.length,
        chunkSize,
      });
      await expectSameAsHuggingFace(path, header);
      expect(header.headerEnd).toBe(written.headerEnd);
      expect(header.tensors.map((t) => [t.start, t.end])).toEqual(written.tensors.map((t) => [t.start, t.end]));
      expect(stats.bytesRead).toBeLessThanOrEqual(written.headerEnd + chunkSize);
      expect(header.metadata.get('qwen3.block_count')).toBe(3);
      expect(header.metadata.get('general.name')).toBe('Test qwen3');
      const tokens = header.metadata.get('tokenizer.ggml.tokens');
      expect(isSkippedArray(tokens) && tokens.count).toBe(3000);
    },
  );

  it('locates F32 norm tensors exactly: the bytes decode to the values written', async () => {
    const { header } = await parseGgufBytes(written.bytes);
    for (const [name, values] of norms) {
      const t = header.tensors.find((x) => x.name === name)!;
      expect(t.typeName).toBe('F32');
      expect(t.shape).toEqual([values.length]);
      expect(decodeTensor(written.bytes.subarray(t.start, t.end!), 'F32')).toEqual(values);
    }
  });

  it('reads a multi-MB header (150k-token vocabulary) in about header-size bytes, never the file', async () => {
    const big = writeGguf(realisticGguf({ arch: 'llama', layers: 2, vocab: 150_000 }).file);
    expect(big.headerEnd).toBeGreaterThan(3_000_000);
    const bigPath = toDisk('llama-150k.gguf', big.bytes);
    const chunkSize = 2 * 1024 * 1024;
    const { read, log } = source(big.bytes);
    const { header, stats } = await readGgufHeader(read, { fileSize: big.bytes.length, chunkSize });
    expect(header.headerEnd).toBe(big.headerEnd);
    expect(stats.bytesRead).toBeLessThanOrEqual(big.headerEnd + chunkSize);
    expect(stats.bytesRead).toBeLessThan(big.bytes.length / 3);
    expect(stats.reads).toBeLessThanOrEqual(Math.ceil(big.headerEnd / chunkSize) + 1);
    expect(Math.max(...log.map(([, end]) => end))).toBeLessThanOrEqual(big.headerEnd + chunkSize);
    await expectSameAsHuggingFace(bigPath, header);
  });

  it('reads every part of a split model; model metadata lives in the first part', async () => {
    const parts = splitGguf(file, 3).map((p) => writeGguf(p));
    const names: string[] = [];
    for (const [i, part] of parts.entries()) {
      const { header } = await parseGgufBytes(part.bytes, { chunkSize: 1000 });
      await expectSameAsHuggingFace(toDisk(`qwen3-0000${i + 1}-of-00003.gguf`, part.bytes), header);
      expect(header.metadata.get('split.no')).toBe(i);
      expect(header.metadata.get('split.count')).toBe(3);
      expect(header.metadata.get('split.tensors.count')).toBe(file.tensors.length);
      expect(header.metadata.has('general.architecture')).toBe(i === 0);
      names.push(...header.tensors.map((t) => t.name));
    }
    expect(names).toEqual(file.tensors.map((t) => t.name));
  });

  it('works without a known file size (a source that only serves ranges)', async () => {
    const { header } = await readGgufHeader(source(written.bytes).read, { fileSize: null, chunkSize: 333 });
    expect(header.tensors.map((t) => t.start)).toEqual(written.tensors.map((t) => t.start));
  });
});

describe('metadata values', () => {
  const kinds: GgufToWrite = {
    kv: [
      ['general.architecture', { kind: 'string', value: 'llama' }],
      ['general.alignment', { kind: 'u32', value: 64 }],
      ['t.u8', { kind: 'u8', value: 250 }],
      ['t.i8', { kind: 'i8', value: -5 }],
      ['t.u16', { kind: 'u16', value: 65000 }],
      ['t.i16', { kind: 'i16', value: -30000 }],
      ['t.u32', { kind: 'u32', value: 4_000_000_000 }],
      ['t.i32', { kind: 'i32', value: -2_000_000_000 }],
      ['t.f32', { kind: 'f32', value: 0.5 }],
      ['t.bool', { kind: 'bool', value: true }],
      ['t.u64', { kind: 'u64', value: 2n ** 60n }],
      ['t.i64', { kind: 'i64', value: -42n }],
      ['t.f64', { kind: 'f64', value: Math.PI }],
      ['t.utf8', { kind: 'string', value: 'naïve 漢字 🙂' }],
      ['t.ints', { kind: 'array', of: 'i32', items: [1, -2, 3] }],
      [
        't.nested',
        {
          kind: 'array',
          of: 'array',
          items: [
            { kind: 'array', of: 'string', items: ['a', 'bc'] },
            { kind: 'array', of: 'u8', items: [9] },
          ],
        },
      ],
    ],
    tensors: [{ name: 'blk.0.attn_norm.weight', shape: [64], type: 0 }],
    alignment: 64,
  };

  it('decodes every value type, 64-bit integers beyond 2^53 as bigint, and honours general.alignment', async () => {
    const written = writeGguf(kinds);
    const { header } = await parseGgufBytes(written.bytes, { chunkSize: 5 });
    const m = header.metadata;
    expect([m.get('t.u8'), m.get('t.i8'), m.get('t.u16'), m.get('t.i16'), m.get('t.u32'), m.get('t.i32')]).toEqual([
      250, -5, 65000, -30000, 4_000_000_000, -2_000_000_000,
    ]);
    expect([m.get('t.f32'), m.get('t.bool'), m.get('t.u64'), m.get('t.i64'), m.get('t.f64')]).toEqual([
      0.5,
      true,
      2n ** 60n,
      -42,
      Math.PI,
    ]);
    expect(m.get('t.utf8')).toBe('naïve 漢字 🙂');
    expect(m.get('t.ints')).toEqual([1, -2, 3]);
    expect(m.get('t.nested')).toEqual([['a', 'bc'], [9]]);
    expect(header.alignment).toBe(64);
    expect(header.dataStart % 64).toBe(0);
    expect(header.dataStart).toBe(written.dataStart);
    await expectSameAsHuggingFace(toDisk('kinds.gguf', written.bytes), header);
  });

  it('reads version 2 files and keeps long arrays only as a count', async () => {
    const written = writeGguf({
      ...kinds,
      version: 2,
      kv: [...kinds.kv, ['tokenizer.ggml.scores', { kind: 'array', of: 'f32', items: new Array(100).fill(0) }]],
    });
    const { header } = await parseGgufBytes(written.bytes);
    expect(header.version).toBe(2);
    expect(header.metadata.get('tokenizer.ggml.scores')).toEqual({ skipped: true, itemType: 6, count: 100 });
  });

  it('sizes unknown ggml types as null without failing', async () => {
    const written = writeGguf({
      kv: [],
      tensors: [{ name: 'x.weight', shape: [4], type: 99, data: new Uint8Array(16) }],
    });
    const { header } = await parseGgufBytes(written.bytes);
    expect(header.tensors[0]).toMatchObject({ typeName: 'type 99', start: written.dataStart, end: null });
  });
});
