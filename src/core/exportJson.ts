// The JSON export: a public contract that scripts read. Fields are added, never renamed.
import type { LoadedModel, NormRole, PairMatrices } from './types';
import type { FigureExport } from './exportFigures';
import type { Evidence } from './verdict';

export interface ExportInput {
  permalink: string;
  hub: string;
  models: LoadedModel[];
  pairs: PairMatrices[];
  notComparable: { a: number; b: number; norm?: NormRole; reason: string }[];
  /** figure data (issue 4 fields); omitted while not computed */
  figures?: FigureExport | null;
  /** verdict per pair and role, keyed "a,b,norm" */
  evidence?: Record<string, Evidence>;
  /** declared lineage judged (issue #10): repo ids, the declared relation, the measured verdict, the status */
  lineage?: { child: string; base: string; declared: string | null; verdict: string | null; status: string }[];
  /** the relatives search (issue #15): one row per judged candidate */
  relatives?: {
    of: string;
    candidate: string;
    source: string;
    verdict: string | null;
    status: string;
    r: number | null;
    pValue: number | null;
    basis: string | null;
  }[];
  /** one ancestry verdict per pair from all the evidence (issue 14): a, b index `models` */
  ancestry?: AncestryExportEntry[];
  /** query position of each of `models` (absent: 0…n−1, every model loaded) */
  positions?: number[];
  /** models of the query that did not load: position, repo, the file at fault (when one was) and why */
  failed?: FailedModel[];
}

export interface AncestryExportEntry {
  a: number;
  b: number;
  verdict: string | null;
  norms: { verdict: string | null } & Record<string, unknown>;
  matrices: {
    verdict: string;
    pValue: number;
    statistic: number;
    hiddenMap: string;
    tensors: string[];
    /** matrix bytes read for the pair, both models together */
    bytesRead: number;
  } | null;
  stdProfile?: unknown;
  [more: string]: unknown;
}

export interface FailedModel {
  index: number;
  repo: string;
  file: string | null;
  reason: string;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function evidenceField(e: Evidence | undefined) {
  if (!e) return undefined;
  return {
    verdict: e.verdict,
    diagonalPearson: finiteOrNull(e.diagonalPearson),
    z: finiteOrNull(e.z),
    pValue: finiteOrNull(e.pValue),
    alignment: e.verdict === 'shared-ancestry' ? e.alignment : null,
    permutation: { found: e.permutation.found, matchedPearson: finiteOrNull(e.permutation.matchedPearson) },
  };
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
    (acc, m) => ({
      requests: acc.requests + m.transfer.requests,
      bytes: acc.bytes + m.transfer.bytes,
      resolves: acc.resolves + (m.transfer.resolves ?? 0),
    }),
    { requests: 0, bytes: 0, resolves: 0 },
  );
  return {
    version: 1 as const,
    permalink: input.permalink,
    hub: input.hub,
    models: input.models.map((m, k) => ({
      index: input.positions?.[k] ?? k,
      repo: m.repo,
      revision: m.revision,
      sha: m.sha,
      architecture: m.architecture,
      hiddenSize: m.hiddenSize,
      layers: m.layers.length,
      extraLayers: m.extraLayers.map((l) => l.index),
      dtype: m.dtype,
      roles: m.roles,
      format: m.format,
      source: m.source,
      files: m.files,
      zeroCentred: m.zeroCentred,
    })),
    pairs: input.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      norm: p.norm,
      cosine: toRows(p.cosine, p.rows, p.cols),
      pearson: toRows(p.pearson, p.rows, p.cols),
      evidence: evidenceField(input.evidence?.[`${p.a},${p.b},${p.norm}`]),
    })),
    notComparable: input.notComparable,
    lineage: input.lineage ?? [],
    relatives: input.relatives ?? [],
    ancestry: input.ancestry ?? [],
    failed: input.failed ?? [],
    transfer,
    ...(input.figures ? input.figures : {}),
  };
}

export type NormScopeExport = ReturnType<typeof buildExport>;
