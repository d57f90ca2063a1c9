// Tests build LoadedModels by hand: this fills the fields a loader derives (roles, widths, source).
import { roleShapeOf } from '../roles';
import type { LoadedModel } from '../types';

type DerivedFields = 'roles' | 'roleWidths' | 'zeroCentred' | 'format' | 'source' | 'files';

export function completeModel(
  model: Omit<LoadedModel, DerivedFields> & Partial<Pick<LoadedModel, DerivedFields>>,
): LoadedModel {
  return {
    zeroCentred: false,
    format: 'safetensors',
    source: 'hub',
    files: [],
    ...roleShapeOf(model.layers),
    ...model,
  };
}
