// The JSON export: a public contract that scripts read. Fields are added, never renamed.
import type { LoadedModel, PairMatrices } from './types';

export interface ExportInput {
  permalink: string;
  hub: string;
  models: LoadedModel[];
  pairs: PairMatrices[];
  notComparable: { a: number; b: number; reason: string }[];
}

/** NaN (a missing norm) has no JSON form: it becomes null. */
function toRows(values: Float64Array, rows: number, cols: number): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: (number | null)[] = [];
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j]!;
      row.push(Number.isFinite(v) ? v : null);
    }
    out.push(row);
  }
  return out;
}

export function buildExport(input: ExportInput) {
  const transfer = input.models.reduce(
    (acc, m) => ({ requests: acc.requests + m.transfer.requests, bytes: acc.bytes + m.transfer.bytes }),
    { requests: 0, bytes: 0 },
  );
  return {
    version: 1 as const,
    permalink: input.permalink,
    hub: input.hub,
    models: input.models.map((m) => ({
      repo: m.repo,
      revision: m.revision,
      sha: m.sha,
      architecture: m.architecture,
      hiddenSize: m.hiddenSize,
      layers: m.layers.length,
      extraLayers: m.extraLayers.map((l) => l.index),
      dtype: m.dtype,
    })),
    pairs: input.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      norm: p.norm,
      cosine: toRows(p.cosine, p.rows, p.cols),
      pearson: toRows(p.pearson, p.rows, p.cols),
    })),
    notComparable: input.notComparable,
    transfer,
  };
}

export type NormScopeExport = ReturnType<typeof buildExport>;
