// Token strings both vocabularies share (docs/methods.md §2.5 "shared-token embedding rows", §2.3 step 1).
// Every spelling is normalised to the text it stands for: byte-level BPE ("Ġthe", GPT-2's
// byte-to-unicode table), SentencePiece ("▁the", "<0x0A>") and WordPiece ("the" word-initial, "##the"
// inside a word). Special/added-looking tokens ("<s>", "<|endoftext|>", "[CLS]") are skipped: their
// strings say nothing about what they were trained to mean. Map-based: 128k × 128k in a few tens of ms.
import type { SharedTokens, Vocabulary } from './types';

/** Fewer shared strings than this, and the embeddings cannot carry a hidden-dimension alignment. */
export const MIN_SHARED_TOKENS = 256;

/** GPT-2's bytes_to_unicode, inverted: printable bytes stand for themselves, the rest for 256 + n; −1 elsewhere. */
function unicodeToByteTable(): Int16Array {
  const table = new Int16Array(512).fill(-1);
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let next = 0;
  for (let b = 0; b < 256; b++) table[printable(b) ? b : 256 + next++] = b;
  return table;
}
const UNICODE_TO_BYTE = unicodeToByteTable();
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are whole UTF-8, else a spelling no real text can collide with. */
function bytesToCanonical(bytes: number[]): string {
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return '\u0000bytes:' + bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  }
}

/** A byte-level BPE spelling decoded; plain ASCII (the bulk of any vocabulary) skips the UTF-8 decoder. */
function decodeByteLevel(token: string): string {
  let plain = true;
  for (let i = 0; i < token.length && plain; i++) {
    const code = token.charCodeAt(i);
    plain = (code >= 33 && code <= 126) || code === 0x120; // printable ASCII, or Ġ (space)
  }
  if (plain)
    return token.charCodeAt(0) === 0x120 && token.indexOf('Ġ', 1) < 0
      ? ' ' + token.slice(1)
      : token.replaceAll('Ġ', ' ');
  let ascii = true;
  const bytes: number[] = new Array<number>(token.length);
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const b = code < 512 ? (UNICODE_TO_BYTE[code] as number) : -1;
    if (b < 0) return token; // an added token spelled as plain text
    if (b >= 0x80) ascii = false;
    bytes[i] = b;
  }
  return ascii ? String.fromCharCode(...bytes) : bytesToCanonical(bytes);
}

const SPECIAL = [/^<\|.*\|>$/s, /^\[[A-Za-z_]+\]$/, /^<\/?[A-Za-z_]+>$/, /^<extra_id_\d+>$/, /^<unused\d+>$/];

/** True for strings that look like control or added tokens rather than text. */
export function looksSpecial(token: string): boolean {
  const first = token.charCodeAt(0);
  if (first !== 60 /* < */ && first !== 91 /* [ */) return false;
  return SPECIAL.some((re) => re.test(token));
}

const SP_BYTE = /^<0x([0-9A-Fa-f]{2})>$/;

/** The text a token stands for, or null when it cannot be compared (special/added). */
export function canonicalToken(token: string, kind: Vocabulary['kind']): string | null {
  if ((kind === 'sentencepiece' || kind === 'unknown') && token.length === 6 && token.startsWith('<0x')) {
    const byte = SP_BYTE.exec(token);
    if (byte) return bytesToCanonical([parseInt(byte[1] as string, 16)]);
  }
  if (looksSpecial(token)) return null;
  switch (kind) {
    case 'byte-level-bpe':
      return decodeByteLevel(token);
    case 'sentencepiece':
      return token.includes('▁') ? token.replaceAll('▁', ' ') : token;
    case 'wordpiece':
      return token.startsWith('##') && token.length > 2 ? token.slice(2) : ' ' + token;
    default:
      return token;
  }
}

/** The spelling convention of a vocabulary, from its markers, when the reader could not say. */
export function detectKind(tokens: readonly string[]): Vocabulary['kind'] {
  let bpe = 0,
    sp = 0,
    wp = 0;
  const step = Math.max(1, Math.floor(tokens.length / 5000));
  for (let i = 0; i < tokens.length; i += step) {
    const t = tokens[i] as string;
    if (t.startsWith('Ġ') || t.includes('Ċ')) bpe++;
    if (t.includes('▁')) sp++;
    if (t.startsWith('##')) wp++;
  }
  const best = Math.max(bpe, sp, wp);
  if (best === 0) return 'unknown';
  if (best === bpe) return 'byte-level-bpe';
  return best === sp ? 'sentencepiece' : 'wordpiece';
}

/** canonical string → id; strings two ids normalise to are dropped (ambiguous). */
function canonicalIndex(vocab: Vocabulary): Map<string, number> {
  const kind = vocab.kind === 'unknown' ? detectKind(vocab.tokens) : vocab.kind;
  const index = new Map<string, number>();
  const ambiguous = new Set<string>();
  const tokens = vocab.tokens;
  for (let id = 0; id < tokens.length; id++) {
    const token = tokens[id];
    if (typeof token !== 'string') continue;
    const key = canonicalToken(token, kind);
    if (key === null || key === '') continue;
    if (index.has(key)) ambiguous.add(key);
    else index.set(key, id);
  }
  for (const key of ambiguous) index.delete(key);
  return index;
}

/** Token ids both models have for the same normalised string, ascending in A's ids. */
export function sharedTokens(a: Vocabulary, b: Vocabulary): SharedTokens {
  const indexA = canonicalIndex(a),
    indexB = canonicalIndex(b);
  // A's index was filled in id order, and a Map iterates in insertion order: pairs come out ascending in A
  let idsA = new Int32Array(Math.min(indexA.size, indexB.size)),
    idsB = new Int32Array(idsA.length),
    count = 0;
  for (const [key, idA] of indexA) {
    const idB = indexB.get(key);
    if (idB !== undefined) {
      idsA[count] = idA;
      idsB[count++] = idB;
    }
  }
  idsA = idsA.slice(0, count);
  idsB = idsB.slice(0, count);
  const pairs = { length: count };
  const notes: string[] = [];
  const smaller = Math.min(a.tokens.length, b.tokens.length);
  if (pairs.length < MIN_SHARED_TOKENS)
    notes.push(
      `The tokenizers share only ${pairs.length} token strings (of ${a.tokens.length} and ${b.tokens.length}): ` +
        `too few to align hidden dimensions through the embeddings.`,
    );
  else if (pairs.length < 0.5 * smaller)
    notes.push(`The tokenizers share ${pairs.length} of ${smaller} token strings (${pct(pairs.length / smaller)}).`);
  let sameIds = 0;
  for (let i = 0; i < idsA.length; i++) if (idsA[i] === idsB[i]) sameIds++;
  if (pairs.length && a.tokens.length !== b.tokens.length && sameIds > 0.9 * pairs.length)
    notes.push(
      `${pct(sameIds / pairs.length)} of shared strings keep their id: one vocabulary looks like the other with tokens added.`,
    );
  return { idsA, idsB, sharedCount: pairs.length, sizeA: a.tokens.length, sizeB: b.tokens.length, notes };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
