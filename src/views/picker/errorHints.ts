// What the user can do about each kind of failure, in one place.
import type { HubErrorInfo } from '../../core/types';

export function errorHint(error: HubErrorInfo): string {
  switch (error.kind) {
    case 'repo-not-found':
      return 'Check the spelling (org/name); if the repo is private, add an access token under "Hub and access token".';
    case 'gated':
      return 'This repo is gated: accept its terms on the Hub, then add an access token with access.';
    case 'unauthorized':
      return 'The access token was rejected: check it, or remove it for public repos.';
    case 'rate-limited':
      return `The hub is rate-limiting requests${error.retryAfterSeconds ? `; try again in ${error.retryAfterSeconds} s` : '; wait a few minutes and try again'}.`;
    case 'range-unsupported':
      return 'NormScope reads a few hundred KB by range requests and will not download whole shards; use a hub or mirror that supports HTTP Range.';
    case 'network':
      return 'The hub could not be reached (offline, blocked, or no CORS for this origin).';
    case 'revision-not-found':
      return 'Use a branch, tag or commit sha that exists in the repo.';
    case 'bad-file':
      return 'Only this model is affected: check that the files are complete .safetensors or .gguf weights (with config.json and the index for sharded safetensors).';
    case 'bad-header':
      return 'The file is damaged or not what its name says; nothing was cached from it, and the other models are not affected.';
    default:
      return '';
  }
}
