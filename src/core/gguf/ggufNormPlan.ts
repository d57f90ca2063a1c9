// From the parsed header(s) of one GGUF model — a single file or every part of a split — to the
// norm tensors to fetch: which file, which absolute byte range, which dtype, which role.
import type { ModelConfig } from '../norms.ts';
import type { NormDtype } from '../types.ts';
import { ggufNormDtype } from './ggufDtype.ts';
import { GgufFormatError } from './ggufError.ts';
import type { GgufHeader } from './ggufHeader.ts';
import { ggufModelConfig, ggufModelSummary, type GgufModelSummary } from './ggufModel.ts';
import { ggufNormTensors, type GgufNormRef } from './ggufNames.ts';

export interface GgufPart {
  /** repo path of the file */
  path: string;
  header: GgufHeader;
}

export interface GgufNormTensor extends GgufNormRef {
  file: string;
  /** numpy order */
  shape: number[];
  dtype: NormDtype;
  /** absolute byte range [start, end) in `file` */
  start: number;
  end: number;
}

export interface GgufNormPlan {
  summary: GgufModelSummary;
  config: ModelConfig;
  norms: GgufNormTensor[];
}

function checkParts(parts: readonly GgufPart[], summary: GgufModelSummary): void {
  const total = parts.reduce((n, p) => n + p.header.tensors.length, 0);
  if (parts.length === 1 && summary.split === null) return;
  parts.forEach((part, i) => {
    const split = ggufModelSummary(part.header.metadata).split;
    if (split?.index !== i || split.count !== parts.length) {
      throw new GgufFormatError(
        'bad-value',
        `"${part.path}" should be part ${i + 1} of ${parts.length}, but its split metadata says ${split ? `part ${split.index + 1} of ${split.count}` : 'it is not split'}.`,
      );
    }
  });
  if (summary.split?.tensorsTotal != null && summary.split.tensorsTotal !== total) {
    throw new GgufFormatError(
      'bad-value',
      `The split GGUF promises ${summary.split.tensorsTotal} tensors, but its ${parts.length} parts hold ${total}.`,
    );
  }
}

/** Parts in order (part 1 first). The model metadata is read from the first part. */
export function planGgufNorms(parts: readonly GgufPart[]): GgufNormPlan {
  const first = parts[0];
  if (!first) throw new Error('planGgufNorms needs at least one GGUF part.');
  const summary = ggufModelSummary(first.header.metadata);
  checkParts(parts, summary);
  const located = new Map<string, { file: string; tensor: GgufHeader['tensors'][number] }>();
  for (const part of parts)
    for (const tensor of part.header.tensors) located.set(tensor.name, { file: part.path, tensor });
  const norms = ggufNormTensors(located.keys(), summary).map((ref) => {
    const { file, tensor } = located.get(ref.name)!;
    const dtype = ggufNormDtype(tensor);
    return { ...ref, file, shape: tensor.shape, dtype, start: tensor.start, end: tensor.end as number };
  });
  return { summary, config: ggufModelConfig(summary), norms };
}
