import { describe, expect, it } from 'vitest';
import { describeClaim, lineageTags, parseBaseModelTag, parseDeclaredLineage } from './declared';

describe('parseDeclaredLineage', () => {
  it('reads a string base_model and the card relation', () => {
    expect(parseDeclaredLineage({ base_model: 'org/base', base_model_relation: 'finetune' }, [])).toEqual({
      bases: ['org/base'],
      relation: 'finetune',
      source: 'card',
    });
  });
  it('reads a one-element list and takes the relation from the tags', () => {
    expect(
      parseDeclaredLineage({ base_model: ['org/base'] }, ['base_model:org/base', 'base_model:quantized:org/base']),
    ).toEqual({ bases: ['org/base'], relation: 'quantized', source: 'card' });
  });
  it('treats several parents without a relation as a merge', () => {
    expect(parseDeclaredLineage({ base_model: ['a/x', 'b/y', 'a/x'] }, [])).toEqual({
      bases: ['a/x', 'b/y'],
      relation: 'merge',
      source: 'card',
    });
  });
  it('falls back to the tags when the card is silent', () => {
    expect(parseDeclaredLineage({ license: 'mit' }, ['gguf', 'base_model:adapter:org/base'])).toEqual({
      bases: ['org/base'],
      relation: 'adapter',
      source: 'tags',
    });
    expect(parseDeclaredLineage(undefined, ['base_model:org/base'])).toEqual({
      bases: ['org/base'],
      relation: null,
      source: 'tags',
    });
  });
  it('drops junk, URLs become ids, and a model is not its own parent', () => {
    expect(
      parseDeclaredLineage({ base_model: [42, 'llama', 'https://huggingface.co/org/base', 'me/self'] }, [], 'me/self'),
    ).toEqual({ bases: ['org/base'], relation: null, source: 'card' });
    expect(parseDeclaredLineage({ base_model: null }, ['base_model:weird:org/base'])).toBeNull();
    expect(parseDeclaredLineage(null, [])).toBeNull();
  });
  it('parses tags, says the claim in words, and writes the tags back', () => {
    expect(parseBaseModelTag('base_model:finetune:org/base')).toEqual({ base: 'org/base', relation: 'finetune' });
    expect(parseBaseModelTag('license:mit')).toBeNull();
    expect(describeClaim({ bases: ['org/base'], relation: 'finetune', source: 'card' })).toBe(
      'declares: fine-tune of org/base',
    );
    expect(describeClaim(null)).toBe('declares no base model');
    expect(lineageTags(['org/base'], 'merge')).toEqual(['base_model:org/base', 'base_model:merge:org/base']);
  });
});
