// Tests build LoadedModels by hand: this fills the fields a loader derives (roles, widths, source)
// and gives every other field but the layers a plain default, so a test names only what it is about.
import { roleShapeOf } from '../roles';
import type { LoadedModel } from '../types';

type DerivedFields = 'roles' | 'roleWidths' | 'zeroCentred' | 'format' | 'source' | 'files';
type DefaultedFields =
  | 'hub'
  | 'repo'
  | 'revision'
  | 'sha'
  | 'architecture'
  | 'modelType'
  | 'normFamily'
  | 'hiddenSize'
  | 'dtype'
  | 'extraLayers'
  | 'totalModelBytes'
  | 'fromCache'
  | 'warnings'
  | 'transfer';

export type ModelSketch = Omit<LoadedModel, DerivedFields | DefaultedFields> &
  Partial<Pick<LoadedModel, DerivedFields | DefaultedFields>>;

export function completeModel(model: ModelSketch): LoadedModel {
  const repo = model.repo ?? 'r';
  const first = model.layers.find((l) => l.input ?? l.post);
  return {
    hub: 'h',
    repo,
    revision: 'main',
    sha: `sha-${repo}`,
    architecture: 'x',
    modelType: 'x',
    normFamily: 'x',
    hiddenSize: (first?.input ?? first?.post)?.length ?? 0,
    dtype: 'BF16',
    extraLayers: [],
    totalModelBytes: null,
    fromCache: false,
    warnings: [],
    transfer: { requests: 0, bytes: 0, minimumBytes: 0, cachedBytes: 0 },
    zeroCentred: false,
    format: 'safetensors',
    source: 'hub',
    files: [],
    ...roleShapeOf(model.layers),
    ...model,
  };
}
