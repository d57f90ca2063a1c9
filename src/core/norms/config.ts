// Sizes read from config.json, wherever a family keeps them (top level, or text_config in
// multimodal wrappers; GPT-2/MPT/Falcon spellings included).
import { isRecord } from '../json.ts';
import { defaultWidth, type NormRule, type WidthRule } from './table.ts';

export type ModelConfig = Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

export function textConfig(config: ModelConfig): ModelConfig | null {
  for (const key of ['text_config', 'language_config', 'llm_config']) {
    const c = config[key];
    if (isRecord(c)) return c;
  }
  return null;
}

export function firstNumber(config: ModelConfig, keys: readonly string[]): number | null {
  const nested = textConfig(config);
  // a wrapper's own sizes describe its vision tower; the decoder's are under text_config
  const order = nested ? [nested, config] : [config];
  for (const c of order) {
    for (const k of keys) {
      const v = num(c[k]);
      if (v !== null) return v;
    }
  }
  return null;
}

/** Width of the residual stream, i.e. the expected length of input/post/attn_out/ffn_out γ. */
export function hiddenSizeFromConfig(config: ModelConfig): number | null {
  return firstNumber(config, ['hidden_size', 'n_embd', 'n_embed', 'd_model', 'dim']);
}

/** Number of decoder layers; blocks at or beyond it are extras (MTP). */
export function numLayersFromConfig(config: ModelConfig): number | null {
  return firstNumber(config, ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers']);
}

export function modelTypeFromConfig(config: ModelConfig): string {
  const t = config.model_type ?? textConfig(config)?.model_type;
  return typeof t === 'string' ? t : '';
}

/** model_type of the top level and of text_config (wrappers), deduplicated, non-empty. */
export function modelTypesFromConfig(config: ModelConfig): string[] {
  const out = [config.model_type, textConfig(config)?.model_type].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  return [...new Set(out)];
}

function heads(config: ModelConfig): number | null {
  return firstNumber(config, ['num_attention_heads', 'n_head', 'n_heads', 'num_heads']);
}

function headDim(config: ModelConfig): number | null {
  const explicit = firstNumber(config, ['head_dim', 'qk_dim', 'head_size', 'kv_channels']);
  if (explicit !== null) return explicit;
  const hidden = hiddenSizeFromConfig(config);
  const h = heads(config);
  return hidden !== null && h !== null && hidden % h === 0 ? hidden / h : null;
}

function kvHeads(config: ModelConfig): number | null {
  return (
    firstNumber(config, ['num_key_value_heads', 'num_kv_heads', 'multi_query_group_num', 'n_head_kv']) ?? heads(config)
  );
}

/** The width a rule's vectors should have according to the config, or null when it does not say. */
export function widthFromConfig(config: ModelConfig, rule: WidthRule): number | null {
  switch (rule) {
    case 'hidden':
      return hiddenSizeFromConfig(config);
    case 'head_dim':
      return headDim(config);
    case 'q_heads': {
      const [h, d] = [heads(config), headDim(config)];
      return h !== null && d !== null ? h * d : null;
    }
    case 'kv_heads': {
      const [h, d] = [kvHeads(config), headDim(config)];
      return h !== null && d !== null ? h * d : null;
    }
    case 'q_lora_rank':
      return firstNumber(config, ['q_lora_rank']);
    case 'kv_lora_rank':
      return firstNumber(config, ['kv_lora_rank']);
  }
}

export function ruleWidth(config: ModelConfig, r: Pick<NormRule, 'role' | 'width'>): number | null {
  return widthFromConfig(config, r.width ?? defaultWidth(r.role));
}
