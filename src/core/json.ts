// Narrowing parsed JSON (API answers, config.json, tokenizer.json, safetensors headers and indexes).

/** A JSON object: not null, not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The string items of a listed array field (`tags`), skipping anything else. */
export function stringItems(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
}
