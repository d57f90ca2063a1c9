// Reference models to read a comparison against: how do unrelated models of the same width score?
// Hidden sizes are those of the models' config.json; the app checks them again when it loads them.

export interface BaselineSuggestion {
  repo: string;
  hiddenSize: number;
  note: string;
}

export const SUGGESTED_BASELINES: BaselineSuggestion[] = [
  { repo: 'zai-org/GLM-4.5-Air', hiddenSize: 4096, note: 'GLM MoE, 46 layers' },
  { repo: 'upstage/Solar-Open-100B', hiddenSize: 4096, note: 'Solar MoE, 48 layers' },
  { repo: 'microsoft/Phi-3.5-MoE-instruct', hiddenSize: 4096, note: 'Phi MoE, 32 layers' },
  { repo: 'Qwen/Qwen3-8B', hiddenSize: 4096, note: 'Qwen3 dense' },
  { repo: 'mistralai/Mistral-7B-v0.1', hiddenSize: 4096, note: 'Mistral dense' },
  { repo: 'EleutherAI/pythia-6.9b', hiddenSize: 4096, note: 'GPT-NeoX, LayerNorm' },
  { repo: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', hiddenSize: 2048, note: 'Llama-style' },
  { repo: 'EleutherAI/pythia-1b', hiddenSize: 2048, note: 'GPT-NeoX, LayerNorm' },
  { repo: 'microsoft/Phi-3-mini-4k-instruct', hiddenSize: 3072, note: 'Phi-3 dense' },
  { repo: 'openai-community/gpt2', hiddenSize: 768, note: 'GPT-2, LayerNorm' },
  { repo: 'EleutherAI/pythia-160m', hiddenSize: 768, note: 'GPT-NeoX, LayerNorm' },
  { repo: 'normscope-demo/solar-like', hiddenSize: 4096, note: 'synthetic demo, unrelated to the GLM-like models' },
  { repo: 'normscope-demo/phi-like-3072', hiddenSize: 3072, note: 'synthetic demo' },
];

/** Suggestions for the widths of the loaded models that are not already in the comparison. */
export function suggestionsFor(hiddenSizes: number[], present: string[], demoHub: boolean): BaselineSuggestion[] {
  const sizes = new Set(hiddenSizes);
  const have = new Set(present.map((r) => r.toLowerCase()));
  return SUGGESTED_BASELINES.filter(
    (s) =>
      sizes.has(s.hiddenSize) && !have.has(s.repo.toLowerCase()) && s.repo.startsWith('normscope-demo/') === demoHub,
  );
}
