// Damaged and hostile inputs: each fails with a GgufFormatError of the right kind and a message a
// user can read, never a RangeError or a hang.
import { describe, expect, it } from 'vitest';
import { GgufFormatError, type GgufProblem } from './ggufError.ts';
import { parseGgufBytes, readGgufHeader } from './ggufHeader.ts';
import { realisticGguf } from './testing/realisticGguf.ts';
import { writeGguf } from './testing/writeGguf.ts';

const good = writeGguf(realisticGguf({ arch: 'llama', layers: 2, vocab: 500 }).file);

async function failure(promise: Promise<unknown>): Promise<GgufFormatError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GgufFormatError);
  return error as GgufFormatError;
}

async function expectProblem(
  bytes: Uint8Array,
  problem: GgufProblem,
  message: RegExp,
  fileSize: number | null = bytes.length,
): Promise<void> {
  const error = await failure(readGgufHeader(async (s, e) => bytes.subarray(s, e), { fileSize, chunkSize: 4096 }));
  expect(error.problem).toBe(problem);
  expect(error.message).toMatch(message);
}

function patched(bytes: Uint8Array, at: number, write: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  write(new DataView(copy.buffer, at));
  return copy;
}

describe('GGUF header validation', () => {
  it('rejects a wrong magic as "not a GGUF file", with a hint for HTML pages', async () => {
    await expectProblem(new TextEncoder().encode('<!DOCTYPE html><html>…'), 'not-gguf', /not a GGUF file.*"<!DO"/);
    await expectProblem(
      patched(good.bytes, 0, (v) => v.setUint8(0, 0)),
      'not-gguf',
      /not a GGUF file/,
    );
    await expectProblem(new Uint8Array([0x47, 0x47]), 'not-gguf', /not a GGUF file/);
  });

  it('rejects version 1, unknown versions and big-endian files', async () => {
    await expectProblem(
      patched(good.bytes, 4, (v) => v.setUint32(0, 1, true)),
      'unsupported-version',
      /version 1/,
    );
    await expectProblem(
      patched(good.bytes, 4, (v) => v.setUint32(0, 9, true)),
      'unsupported-version',
      /version 9/,
    );
    await expectProblem(
      patched(good.bytes, 4, (v) => v.setUint32(0, 3, false)),
      'big-endian',
      /big-endian/,
    );
  });

  it('rejects a truncated header, whether or not the file size is known', async () => {
    const inTensorInfos = good.bytes.subarray(0, good.headerEnd - 20);
    await expectProblem(inTensorInfos, 'truncated', /truncated: reading tensor "output\.weight" needs bytes up to/);
    const inVocabulary = good.bytes.subarray(0, Math.floor(good.headerEnd / 2));
    await expectProblem(inVocabulary, 'truncated', /truncated: the file ended at byte/, null);
    // with the size known, a vocabulary-sized array already cannot fit what is left
    await expectProblem(
      inVocabulary,
      'implausible',
      /"tokenizer\.ggml\.\w+" has an impossible length .*truncated or corrupted/,
    );
  });

  it('rejects implausible counts', async () => {
    await expectProblem(
      patched(good.bytes, 8, (v) => v.setBigUint64(0, 2_000_000n, true)),
      'implausible',
      /2000000 tensors/,
    );
    await expectProblem(
      patched(good.bytes, 16, (v) => v.setBigUint64(0, 2n ** 62n, true)),
      'implausible',
      /metadata entries/,
    );
  });

  it('rejects a string length beyond the end of the file', async () => {
    // the first key's u64 length sits right after the 24-byte preamble
    const error = await failure(parseGgufBytes(patched(good.bytes, 24, (v) => v.setBigUint64(0, 10n ** 12n, true))));
    expect(error.problem).toBe('implausible');
    expect(error.message).toMatch(
      /key of metadata entry 0 has an impossible length 1000000000000 \(only [\d,]+ bytes remain/,
    );
  });

  it('rejects an array count that cannot fit in the file', async () => {
    const file = writeGguf({
      kv: [['tokenizer.ggml.tokens', { kind: 'array', of: 'string', items: ['a', 'b'] }]],
      tensors: [],
    });
    const countAt = 24 + 8 + 'tokenizer.ggml.tokens'.length + 4 + 4;
    await expectProblem(
      patched(file.bytes, countAt, (v) => v.setBigUint64(0, 10n ** 9n, true)),
      'implausible',
      /tokenizer\.ggml\.tokens.*impossible length/,
    );
  });

  it('rejects more than 4 dimensions and unknown value types', async () => {
    const fiveDims = writeGguf({ kv: [], tensors: [{ name: 'w', shape: [1, 1, 1, 1, 32], type: 0 }] });
    await expectProblem(fiveDims.bytes, 'implausible', /tensor "w" has 5 dimensions/);
    const kv = writeGguf({ kv: [['a', { kind: 'u8', value: 1 }]], tensors: [] });
    await expectProblem(
      patched(kv.bytes, 24 + 8 + 1, (v) => v.setUint32(0, 77, true)),
      'bad-value',
      /unknown value type 77/,
    );
  });

  it('rejects a tensor whose bytes lie beyond the end of the file', async () => {
    const last = good.tensors.at(-1)!;
    const cut = good.bytes.subarray(0, last.end - 10);
    await expectProblem(
      cut,
      'offset-beyond-file',
      /tensor "output\.weight" lies at bytes .* beyond the end of the [\d,]+-byte file/,
    );
    // a corrupted offset in the header (the very last u64 of the tensor infos)
    const wild = patched(good.bytes, good.headerEnd - 8, (v) => v.setBigUint64(0, 2n ** 40n, true));
    await expectProblem(wild, 'offset-beyond-file', /output\.weight/);
  });

  it('rejects offsets that break the alignment, and a bad general.alignment', async () => {
    const misaligned = patched(good.bytes, good.headerEnd - 8, (v) =>
      v.setBigUint64(0, BigInt(good.tensors.at(-1)!.offset + 4), true),
    );
    await expectProblem(misaligned, 'bad-value', /not a multiple of the alignment 32/);
    const bad = writeGguf({ kv: [['general.alignment', { kind: 'u32', value: 48 }]], tensors: [] });
    await expectProblem(bad.bytes, 'bad-value', /general\.alignment is 48/);
  });

  it('rejects duplicate keys and duplicate tensor names', async () => {
    const keys = writeGguf({
      kv: [
        ['a', { kind: 'u8', value: 1 }],
        ['a', { kind: 'u8', value: 2 }],
      ],
      tensors: [],
    });
    await expectProblem(keys.bytes, 'bad-value', /key "a" twice/);
    const names = writeGguf({
      kv: [],
      tensors: [
        { name: 'w', shape: [32], type: 0 },
        { name: 'w', shape: [32], type: 0 },
      ],
    });
    await expectProblem(names.bytes, 'bad-value', /tensor "w" twice/);
  });

  it('stops at the header byte budget', async () => {
    const error = await failure(parseGgufBytes(good.bytes, { maxHeaderBytes: 1000 }));
    expect(error.problem).toBe('too-large');
    expect(error.message).toMatch(/runs past 1,000 bytes/);
  });
});
