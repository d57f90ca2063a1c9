import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_ID, vocabularyFromTokenizerBytes, vocabularyFromTokenizerJson, VocabularyError } from './vocabulary';

describe('vocabularyFromTokenizerJson', () => {
  it('skips malformed entries and ids past the cap, keeping the rest in id order', () => {
    const v = vocabularyFromTokenizerJson({
      model: { type: 'BPE', vocab: { a: 0, b: 2, bad: -1, half: 1.5, far: MAX_TOKEN_ID + 1, word: 'x' } },
      added_tokens: [{ id: 1, content: '<s>' }, { id: 3 }, 'junk'],
    });
    expect(v.tokens).toEqual(['a', '<s>', 'b']);
  });
  it('names what is wrong with a file that is not a tokenizer', () => {
    expect(() => vocabularyFromTokenizerBytes(new TextEncoder().encode('{"model":'))).toThrow(VocabularyError);
    expect(() => vocabularyFromTokenizerJson({ model: { type: 'BPE' } })).toThrow(/no vocabulary/);
    expect(() => vocabularyFromTokenizerJson({ model: { vocab: {} } })).toThrow(/empty vocabulary/);
  });
});
