// A minimal reader of tokenizer.json's vocabulary (`model.vocab`): how many tokens and of which
// kind, or a typed error. Issue 14's deep check reads `model.vocab`; this is the validating front
// door it can use, and what the fuzz suite holds to "a catalogue or a typed error".

export class TokenizerFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerFormatError';
  }
}

export interface TokenizerVocab {
  /** BPE / WordPiece / WordLevel keep `{token: id}`; Unigram keeps `[[token, score], …]` */
  kind: 'map' | 'unigram';
  /** the model type tokenizer.json names (BPE, Unigram, WordPiece, WordLevel) or '' */
  modelType: string;
  /** token → id (map vocabularies) or token → position (Unigram) */
  ids: Map<string, number>;
}

/** Vocabularies beyond this are refused (the largest real ones are ~260k). */
export const MAX_VOCAB = 4_000_000;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readTokenizerVocab(json: unknown, file = 'tokenizer.json'): TokenizerVocab {
  if (!isRecord(json) || !isRecord(json.model)) throw new TokenizerFormatError(`${file} has no "model" object.`);
  const modelType = typeof json.model.type === 'string' ? json.model.type : '';
  const vocab = json.model.vocab;
  const ids = new Map<string, number>();
  if (Array.isArray(vocab)) {
    if (vocab.length > MAX_VOCAB) throw new TokenizerFormatError(`${file} lists more than ${MAX_VOCAB} tokens.`);
    vocab.forEach((entry, i) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number')
        throw new TokenizerFormatError(`${file}: Unigram vocab entry ${i} is not [token, score].`);
      ids.set(entry[0], i);
    });
    return { kind: 'unigram', modelType, ids };
  }
  if (!isRecord(vocab)) throw new TokenizerFormatError(`${file}: model.vocab is neither a token map nor a list.`);
  let n = 0;
  for (const token in vocab) {
    if (++n > MAX_VOCAB) throw new TokenizerFormatError(`${file} lists more than ${MAX_VOCAB} tokens.`);
    const id = vocab[token];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_VOCAB)
      throw new TokenizerFormatError(`${file}: token ${JSON.stringify(token.slice(0, 40))} has no valid id.`);
    ids.set(token, id);
  }
  return { kind: 'map', modelType, ids };
}
