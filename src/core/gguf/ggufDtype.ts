// ggml storage type of a norm tensor → the dtype string core/dtypes.ts decodes. Converters write
// norms as F32 and llama-quantize never quantizes them, so anything else is a file we cannot read.
import type { NormDtype } from '../types.ts';
import { GgufFormatError } from './ggufError.ts';
import { ggmlTypeName } from './ggmlTypes.ts';

const NORM_DTYPES: Readonly<Record<number, NormDtype>> = { 0: 'F32', 1: 'F16', 30: 'BF16' };

export function ggufNormDtype(tensor: { name: string; ggmlType: number }): NormDtype {
  const dtype = NORM_DTYPES[tensor.ggmlType];
  if (dtype === undefined) {
    throw new GgufFormatError(
      'unsupported-dtype',
      `The norm tensor "${tensor.name}" is stored as ${ggmlTypeName(tensor.ggmlType)}; only F32, F16 and BF16 norms can be read.`,
    );
  }
  return dtype;
}
