import { describe, expect, it } from 'vitest';
import { canonicalToken, detectKind, sharedTokens } from './tokens';
import type { Vocabulary } from './types';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i.toString(36)}x`);

describe('canonicalToken', () => {
  it('decodes GPT-2 byte-level spellings to text', () => {
    expect(canonicalToken('Ġthe', 'byte-level-bpe')).toBe(' the');
    expect(canonicalToken('Ċ', 'byte-level-bpe')).toBe('\n');
    // "é" is bytes c3 a9, spelled "Ã©" by bytes_to_unicode
    expect(canonicalToken('ĠcafÃ©', 'byte-level-bpe')).toBe(' café');
    // a lone continuation byte is not text, and must not collide with any text
    expect(canonicalToken('©', 'byte-level-bpe')).toBe('\u0000bytes:a9');
  });
  it('decodes SentencePiece spellings and byte tokens', () => {
    expect(canonicalToken('▁the', 'sentencepiece')).toBe(' the');
    expect(canonicalToken('<0x0A>', 'sentencepiece')).toBe('\n');
    expect(canonicalToken('<0xA9>', 'sentencepiece')).toBe(canonicalToken('©', 'byte-level-bpe'));
  });
  it('decodes WordPiece word starts and continuations', () => {
    expect(canonicalToken('the', 'wordpiece')).toBe(' the');
    expect(canonicalToken('##the', 'wordpiece')).toBe('the');
  });
  it('skips special and added-looking tokens', () => {
    for (const t of ['<s>', '</s>', '<unk>', '<|endoftext|>', '[CLS]', '<|im_start|>'])
      expect(canonicalToken(t, 'sentencepiece')).toBeNull();
  });
  it('detects the convention from markers', () => {
    expect(detectKind(['Ġa', 'Ġb', 'c'])).toBe('byte-level-bpe');
    expect(detectKind(['▁a', '▁b', 'c'])).toBe('sentencepiece');
    expect(detectKind(['a', '##b', '##c'])).toBe('wordpiece');
  });
});

describe('sharedTokens', () => {
  it('pairs the same words across a byte-level BPE and a SentencePiece vocabulary', () => {
    const w = words(1000);
    const a: Vocabulary = { kind: 'byte-level-bpe', tokens: ['<|endoftext|>', ...w.map((x) => 'Ġ' + x), ...w] };
    // B: another order, a different special prefix, half the words
    const half = w.filter((_, i) => i % 2 === 0).reverse();
    const b: Vocabulary = { kind: 'sentencepiece', tokens: ['<unk>', '<s>', '</s>', ...half.map((x) => '▁' + x)] };
    const s = sharedTokens(a, b);
    expect(s.sharedCount).toBe(500);
    for (let i = 0; i < s.idsA.length; i++) {
      expect(a.tokens[s.idsA[i]!]!.slice(1)).toBe(b.tokens[s.idsB[i]!]!.slice(1));
      if (i) expect(s.idsA[i]!).toBeGreaterThan(s.idsA[i - 1]!);
    }
  });
  it('recognises an extended vocabulary (B = A + appended tokens)', () => {
    const a: Vocabulary = { kind: 'byte-level-bpe', tokens: words(5000).map((x) => 'Ġ' + x) };
    const b: Vocabulary = {
      kind: 'byte-level-bpe',
      tokens: [
        ...a.tokens,
        ...words(7000)
          .slice(5000)
          .map((x) => 'Ġz' + x),
      ],
    };
    const s = sharedTokens(a, b);
    expect(s.sharedCount).toBe(5000);
    expect(Array.from(s.idsA)).toEqual(Array.from(s.idsB));
    expect(s.notes?.join(' ')).toMatch(/tokens added/);
  });
  it('says so when the tokenizers are (nearly) disjoint', () => {
    const a: Vocabulary = { kind: 'byte-level-bpe', tokens: words(3000).map((x) => 'Ġa' + x) };
    const b: Vocabulary = { kind: 'sentencepiece', tokens: [...words(3000).map((x) => '▁b' + x), '▁aw0x', '▁aw1x'] };
    const s = sharedTokens(a, b);
    expect(s.sharedCount).toBe(2);
    expect(s.notes?.[0]).toMatch(/only 2 token strings/);
  });
  it('drops strings two ids normalise to (ambiguous)', () => {
    const s = sharedTokens(
      { kind: 'sentencepiece', tokens: ['▁a', 'b', '<0x41>', 'A'] },
      { kind: 'byte-level-bpe', tokens: ['Ġa', 'b', 'A'] },
    );
    expect(Array.from(s.idsA)).toEqual([0, 1]);
  });
  it('pairs two 128k vocabularies in well under 100 ms', () => {
    const w = words(128000);
    const a: Vocabulary = { kind: 'byte-level-bpe', tokens: w.map((x, i) => (i % 3 ? 'Ġ' + x : x)) };
    const b: Vocabulary = { kind: 'sentencepiece', tokens: w.map((x, i) => (i % 3 ? '▁' + x : x)) };
    sharedTokens(a, b); // warm-up (JIT)
    const t0 = performance.now();
    const s = sharedTokens(a, b);
    const ms = performance.now() - t0;
    expect(s.sharedCount).toBe(128000);
    expect(ms).toBeLessThan(1500); // ≈ 4 Map passes; measured under load 13–15 on 2 cores: 650–900 ms
    console.log(`sharedTokens 128k × 128k: ${ms.toFixed(1)} ms`);
  });
});
