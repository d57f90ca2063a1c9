// The shape of a model card's lineage claim: a leaf module, so core/types can name it without importing
// the parser (which imports permalink, which imports core/types).

export type LineageRelation = 'finetune' | 'adapter' | 'quantized' | 'merge';

export interface DeclaredLineage {
  /** declared parents, repo ids, in the card's order; empty = the card names no parent */
  bases: string[];
  /** null when neither the card nor the tags say (the Hub then infers one we do not see) */
  relation: LineageRelation | null;
  /** where the bases came from: the card's front matter, or (card silent) the Hub's tags */
  source: 'card' | 'tags';
}
