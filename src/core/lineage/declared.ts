// What a model card claims about its parents (docs/hub-protocol.md §1.10): `cardData.base_model`
// (a string or a list), `cardData.base_model_relation`, and the tags the Hub derives from them,
// `base_model:ORG/NAME` and `base_model:RELATION:ORG/NAME`. Parsed defensively: cards are
// hand-written YAML, so anything unexpected is dropped rather than trusted.
import { repoIdError } from '../repoPaths';

export { type DeclaredLineage, type LineageRelation } from './declaredTypes';
import type { DeclaredLineage, LineageRelation } from './declaredTypes';

/** A card value can carry a URL or a revision ("org/name@main", "https://huggingface.co/org/name"). */
export function normalizeBaseId(raw: string): string | null {
  let id = raw
    .trim()
    .replace(/^https?:\/\/[^/]+\//, '')
    .replace(/\/+$/, '');
  const at = id.indexOf('@');
  if (at >= 0) id = id.slice(0, at);
  if (!id.includes('/')) return null; // a bare name ("llama") is not a repo we can load
  return repoIdError(id) === null ? id : null;
}

export function parseRelation(raw: unknown): LineageRelation | null {
  if (typeof raw !== 'string') return null;
  const r = raw.trim().toLowerCase().replace(/[-_ ]/g, '');
  if (r === 'finetune' || r === 'finetuned') return 'finetune';
  if (r === 'adapter' || r === 'lora') return 'adapter';
  if (r === 'quantized' || r === 'quantization' || r === 'quant') return 'quantized';
  if (r === 'merge' || r === 'merged') return 'merge';
  return null;
}

/** `base_model:ORG/NAME` or `base_model:RELATION:ORG/NAME`. */
export function parseBaseModelTag(tag: string): { base: string; relation: LineageRelation | null } | null {
  if (!tag.startsWith('base_model:')) return null;
  const rest = tag.slice('base_model:'.length);
  const colon = rest.indexOf(':');
  const relation = colon >= 0 ? parseRelation(rest.slice(0, colon)) : null;
  if (colon >= 0 && relation === null) return null;
  const base = normalizeBaseId(colon >= 0 ? rest.slice(colon + 1) : rest);
  return base ? { base, relation } : null;
}

const unique = (xs: string[]) => [...new Set(xs)];

/**
 * The claim of one model, or null when neither card nor tags name a parent. A model that names
 * itself (it happens in copied cards) is not its own parent.
 */
export function parseDeclaredLineage(cardData: unknown, tags: readonly unknown[], self = ''): DeclaredLineage | null {
  const card = typeof cardData === 'object' && cardData !== null ? (cardData as Record<string, unknown>) : {};
  const rawBases: unknown[] = Array.isArray(card.base_model) ? card.base_model : [card.base_model];
  const notSelf = (id: string) => id.toLowerCase() !== self.toLowerCase();
  const cardBases = unique(
    rawBases.flatMap((b) => (typeof b === 'string' ? [normalizeBaseId(b)] : [])).filter((b): b is string => b !== null),
  ).filter(notSelf);
  const tagged = tags
    .flatMap((t) => (typeof t === 'string' ? [parseBaseModelTag(t)] : []))
    .filter((t) => t !== null && notSelf(t.base)) as { base: string; relation: LineageRelation | null }[];
  const tagRelation = tagged.find((t) => t.relation !== null)?.relation ?? null;
  const cardRelation = parseRelation(card.base_model_relation);
  if (cardBases.length > 0) {
    // several parents without a stated relation are a merge, as the Hub infers
    const relation = cardRelation ?? tagRelation ?? (cardBases.length > 1 ? 'merge' : null);
    return { bases: cardBases, relation, source: 'card' };
  }
  const tagBases = unique(tagged.map((t) => t.base));
  if (tagBases.length === 0) return null;
  return {
    bases: tagBases,
    relation: cardRelation ?? tagRelation ?? (tagBases.length > 1 ? 'merge' : null),
    source: 'tags',
  };
}

const RELATION_WORDS: Record<LineageRelation, string> = {
  finetune: 'fine-tune',
  adapter: 'adapter',
  quantized: 'quantization',
  merge: 'merge',
};

/** "declares: fine-tune of org/base" — the claim in plain words. */
export function describeClaim(d: DeclaredLineage | null | undefined): string {
  if (!d || d.bases.length === 0) return 'declares no base model';
  const what = d.relation ? RELATION_WORDS[d.relation] : 'derivative';
  const of =
    d.bases.length === 1 ? d.bases[0] : `${d.bases.slice(0, -1).join(', ')} and ${d.bases[d.bases.length - 1]}`;
  return `declares: ${what} of ${of}${d.source === 'tags' ? ' (from the Hub tags)' : ''}`;
}

/** Tags the Hub would add for a claim (the stand-in's fixtures use this too). */
export function lineageTags(bases: readonly string[], relation: LineageRelation | null): string[] {
  return bases.flatMap((b) => [`base_model:${b}`, ...(relation ? [`base_model:${relation}:${b}`] : [])]);
}
