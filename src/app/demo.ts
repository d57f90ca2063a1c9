import type { RepoRef } from '../core/types';

/** The built-in demo comparison: a base, its fine-tuned child and an unrelated model of the same width. */
export const DEMO_QUERY_MODELS: RepoRef[] = [
  { repo: 'normscope-demo/glm-like-base', revision: 'main' },
  { repo: 'normscope-demo/glm-like-sft', revision: 'main' },
  { repo: 'normscope-demo/solar-like', revision: 'main' },
];

export function isDemoRepo(repo: string): boolean {
  return repo.startsWith('normscope-demo/');
}
