// The list endpoint's filters beyond `filter=` tags (docs/hub-protocol.md §1.12), for the stand-in's
// GET /api/models: `pipeline_tag=` keeps the models whose pipeline is that task, as on the Hub.
// (`filter=`, `sort=downloads`, `expand[]=` and the `Link` pages live in the search handler.)
import type { RepoInfo } from './repoStore.ts';

/** Whether a model passes the list's `pipeline_tag=` parameter (absent = any). */
export function passesListFilters(info: RepoInfo, params: URLSearchParams): boolean {
  const pipeline = params.get('pipeline_tag');
  if (pipeline !== null && pipeline !== '' && String(info.pipeline_tag ?? '').toLowerCase() !== pipeline.toLowerCase())
    return false;
  return true;
}
