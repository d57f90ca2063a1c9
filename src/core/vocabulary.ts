// The one reader of a model's vocabulary (the deep check's, and what the fuzz suite holds to "a
// vocabulary or a typed error"): the token string of every id, from a Hugging Face `tokenizer.json`
// (BPE dict, Unigram list, WordPiece dict, plus added_tokens) or from a GGUF header's
// `tokenizer.ggml.tokens`. Pure: bytes or parsed JSON in, strings out. Malformed entries are skipped.
import type { Vocabulary } from './deep/api.ts';
import { isRecord } from './json.ts';

export class VocabularyError extends Error {
  override name = 'VocabularyError';
}

type Json = Record<string, unknown>;

/** Token ids beyond this are ignored, and longer lists refused (the largest real vocabularies are ~260k). */
export const MAX_TOKEN_ID = 4_000_000;

function setToken(tokens: string[], id: unknown, text: unknown): void {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_TOKEN_ID || typeof text !== 'string')
    return;
  while (tokens.length <= id) tokens.push('');
  tokens[id] = text;
}

function usesByteLevel(json: Json): boolean {
  const parts = [json['pre_tokenizer'], json['decoder']];
  const hasByteLevel = (v: unknown): boolean =>
    isRecord(v) &&
    (v['type'] === 'ByteLevel' ||
      (Array.isArray(v['pretokenizers']) && v['pretokenizers'].some(hasByteLevel)) ||
      (Array.isArray(v['decoders']) && v['decoders'].some(hasByteLevel)));
  return parts.some(hasByteLevel);
}

/** A parsed tokenizer.json → id-indexed token strings (ids without a string are ""). */
export function vocabularyFromTokenizerJson(json: unknown): Vocabulary {
  if (!isRecord(json) || !isRecord(json['model']))
    throw new VocabularyError('tokenizer.json has no "model" object; it is not a Hugging Face tokenizers file.');
  const model = json['model'];
  const vocab = model['vocab'];
  const tokens: string[] = [];
  let kind: Vocabulary['kind'] = 'unknown';
  let type = Array.isArray(vocab) ? 'Unigram' : 'BPE';
  if (typeof model['type'] === 'string') type = model['type'];
  if (Array.isArray(vocab)) {
    if (vocab.length > MAX_TOKEN_ID)
      throw new VocabularyError(`tokenizer.json lists more than ${MAX_TOKEN_ID} tokens.`);
    // Unigram: [[piece, score], …] in id order
    vocab.forEach((entry, id) => setToken(tokens, id, Array.isArray(entry) ? entry[0] : undefined));
    kind = 'sentencepiece';
  } else if (isRecord(vocab)) {
    for (const [text, id] of Object.entries(vocab)) setToken(tokens, id, text);
    if (type === 'WordPiece') kind = 'wordpiece';
    else if (usesByteLevel(json)) kind = 'byte-level-bpe';
    else if (tokens.some((t) => t.startsWith('▁'))) kind = 'sentencepiece';
  } else {
    throw new VocabularyError(`tokenizer.json model "${type}" has no vocabulary (model.vocab).`);
  }
  const added = json['added_tokens'];
  if (Array.isArray(added)) for (const t of added) if (isRecord(t)) setToken(tokens, t['id'], t['content']);
  if (tokens.length === 0) throw new VocabularyError('tokenizer.json has an empty vocabulary.');
  return { tokens, kind };
}

/** tokenizer.json bytes → vocabulary. */
export function vocabularyFromTokenizerBytes(bytes: Uint8Array): Vocabulary {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new VocabularyError(`tokenizer.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return vocabularyFromTokenizerJson(json);
}

const GGUF_KINDS: Record<string, Vocabulary['kind']> = {
  gpt2: 'byte-level-bpe',
  llama: 'sentencepiece',
  bert: 'wordpiece',
};

/** GGUF `tokenizer.ggml.tokens` (+ `tokenizer.ggml.model`) → vocabulary. */
export function vocabularyFromGgufTokens(tokens: readonly unknown[], model: unknown): Vocabulary {
  const out = tokens.map((t) => (typeof t === 'string' ? t : ''));
  if (out.length === 0) throw new VocabularyError('The GGUF file has an empty tokenizer.ggml.tokens.');
  const kind = GGUF_KINDS[String(model)] ?? 'unknown';
  return { tokens: out, kind };
}
