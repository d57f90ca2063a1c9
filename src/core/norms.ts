// Entry point of the architecture table (src/core/norms/): which tensors are per-layer norm
// weights γ, the role each plays, and how its stored value becomes the applied γ.
export { discoverNorms, type NormDiscovery } from './norms/discover.ts';
export {
  hiddenSizeFromConfig,
  modelTypeFromConfig,
  numLayersFromConfig,
  widthFromConfig,
  type ModelConfig,
} from './norms/config.ts';
export { NORM_ARCHITECTURES, type ArchEntry, type NormRule, type WidthRule } from './norms/table.ts';
