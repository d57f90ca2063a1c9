// The matcher: tensor names + config → the per-layer norm tensors, their roles, the γ shift to
// apply, the widths the config expects, and warnings about what an architecture should have but
// lacks. The entry is chosen by config model_type; when that is missing or unknown, by names.
import { NORM_ROLES, type NormRole, type NormTensorRef } from '../types.ts';
import { plausibleLayerCount } from '../layerChecks.ts';
import {
  modelTypeFromConfig,
  modelTypesFromConfig,
  numLayersFromConfig,
  textConfig as textConfigOf,
  ruleWidth,
  type ModelConfig,
} from './config.ts';
import { NORM_ARCHITECTURES, type ArchEntry, type NormRule } from './table.ts';

export interface NormDiscovery {
  /** id of the architecture-table entry that matched ('unknown' when none) */
  family: string;
  /** true when any discovered tensor stores w and is applied as w + shift (see `shifts`) */
  zeroCentred: boolean;
  tensors: NormTensorRef[];
  /** decoder layers that have at least one norm, ascending */
  layers: number[];
  /** layers ≥ the configured layer count (e.g. MTP), ascending */
  extraLayers: number[];
  /** labels of all layers, e.g. 46 → "46 (MTP)" */
  labels: Map<number, string>;
  warnings: string[];
  /** config model_type ('' when absent) */
  modelType: string;
  /** how the entry was chosen */
  matchedBy: 'model_type' | 'names' | 'none';
  /** the entry's notes (what the family's norms are, in a sentence or two) */
  notes: string;
  /** roles present in the decoder layers, in NORM_ROLES order */
  roles: NormRole[];
  /** roles every layer of this architecture should have */
  expectedRoles: NormRole[];
  /** expected vector length per role, from config.json (absent where the config does not say) */
  widths: Map<NormRole, number>;
  /** tensor name → shift for tensors applied as stored + shift (1 for Gemma's 1 + w); absent = 0 */
  shifts: Map<string, number>;
  /** role → shift, for roles whose tensors are all applied as stored + shift */
  shiftedRoles: Map<NormRole, number>;
  /** per-head pieces (StableLM qk_layernorm): tensor name → head index; concatenate per layer+role in this order */
  headPieces: Map<string, number>;
  /** when nothing matched: a sentence naming the model_type and the norm-like tensors it has */
  unknownMessage: string | null;
  /** a few tensor names that look like norms (shown when the architecture is unknown) */
  normLikeTensors: string[];
}

const WRAPPERS = ['language_model.model.', 'model.language_model.', 'model.text_model.', ''];

interface CompiledEntry {
  entry: ArchEntry;
  blocks: Set<string>;
  mtpBlocks: Set<string>;
  rules: Map<string, NormRule>;
  perHead: Map<string, NormRule>;
}

function compile(entry: ArchEntry): CompiledEntry {
  const blocks = new Set<string>();
  for (const b of entry.blocks) {
    blocks.add(b);
    if (b.startsWith('model.')) for (const w of WRAPPERS) blocks.add(w + b.slice('model.'.length));
  }
  const rules = new Map<string, NormRule>();
  const perHead = new Map<string, NormRule>();
  for (const r of entry.norms) (r.perHead ? perHead : rules).set(r.tail, r);
  return { entry, blocks, mtpBlocks: new Set(entry.mtpBlocks ?? []), rules, perHead };
}

let compiled: CompiledEntry[] | null = null;
const compiledTable = (): CompiledEntry[] => (compiled ??= NORM_ARCHITECTURES.map(compile));

/** A tensor name cut at its first numeric path segment: `model.layers.` + 3 + `mlp.down_proj.weight`. */
interface SplitName {
  name: string;
  file: string;
  prefix: string;
  index: number;
  tail: string;
}

const SPLIT = /^((?:[^.]+\.)+?)(\d+)\.(.+)$/;
const HEAD_PIECE = /^(.+)\.(\d+)\.weight$/;

function split(pairs: readonly [string, string][]): SplitName[] {
  const out: SplitName[] = [];
  for (const [name, file] of pairs) {
    const m = SPLIT.exec(name);
    if (m) out.push({ name, file, prefix: m[1] as string, index: Number(m[2]), tail: m[3] as string });
  }
  return out;
}

interface Found {
  ref: NormTensorRef;
  rule: NormRule;
  head: number | null;
  /** under an MTP prefix (mtp.layers.K.) */
  mtp: boolean;
}

function collect(c: CompiledEntry, names: readonly SplitName[], numLayers: number | null): Found[] {
  const out: Found[] = [];
  for (const n of names) {
    const mtp = c.mtpBlocks.has(n.prefix);
    if (!mtp && !c.blocks.has(n.prefix)) continue;
    let rule = c.rules.get(n.tail);
    let head: number | null = null;
    if (!rule && c.perHead.size > 0) {
      const m = HEAD_PIECE.exec(n.tail);
      rule = m ? c.perHead.get(m[1] as string) : undefined;
      if (rule) head = Number(m?.[2]);
    }
    if (!rule) continue;
    if (mtp && numLayers === null) continue;
    const layer = mtp ? (numLayers as number) + n.index : n.index;
    out.push({ ref: { name: n.name, layer, role: rule.role, extra: false, file: n.file }, rule, head, mtp });
  }
  return out;
}

function best(candidates: readonly CompiledEntry[], names: readonly SplitName[], numLayers: number | null) {
  let top: { c: CompiledEntry; found: Found[] } | null = null;
  for (const c of candidates) {
    if (c.entry.noNorms) continue;
    const found = collect(c, names, numLayers);
    if (found.length > (top?.found.length ?? 0)) top = { c, found };
  }
  return top;
}

const NORM_LIKE = /norm|layernorm|(^|\.)ln(_?\w*)?(\.|$)|(^|\.)gamma$/i;

function normLike(names: readonly string[], limit = 8): string[] {
  return names.filter((n) => NORM_LIKE.test(n) && !n.endsWith('.bias')).slice(0, limit);
}

function isMtp(config: ModelConfig, layer: number, names: readonly string[]): boolean {
  const nextn = config.num_nextn_predict_layers ?? textConfigOf(config)?.num_nextn_predict_layers;
  if (typeof nextn === 'number' && nextn > 0) return true;
  const marker = new RegExp(String.raw`layers\.${layer}\.(enorm|hnorm|eh_proj|shared_head)\.`);
  return names.some((n) => marker.test(n));
}

const roleOrder = (r: NormRole) => NORM_ROLES.indexOf(r);

function emptyDiscovery(
  modelType: string,
  warnings: string[],
  unknownMessage: string | null,
  normLikeTensors: string[],
  family = 'unknown',
  notes = '',
): NormDiscovery {
  return {
    family,
    zeroCentred: false,
    tensors: [],
    layers: [],
    extraLayers: [],
    labels: new Map(),
    warnings,
    modelType,
    matchedBy: 'none',
    notes,
    roles: [],
    expectedRoles: [],
    widths: new Map(),
    shifts: new Map(),
    shiftedRoles: new Map(),
    headPieces: new Map(),
    unknownMessage,
    normLikeTensors,
  };
}

/** Find the norm tensors of a checkpoint from its tensor names (or name → shard file map) and config. */
export function discoverNorms(
  tensorNames: readonly string[] | ReadonlyMap<string, string>,
  config: ModelConfig,
): NormDiscovery {
  const pairs: [string, string][] = Array.isArray(tensorNames)
    ? (tensorNames as readonly string[]).map((n) => [n, ''])
    : [...(tensorNames as ReadonlyMap<string, string>)];
  const names = pairs.map(([n]) => n);
  const modelType = modelTypeFromConfig(config);
  const types = modelTypesFromConfig(config);
  const numLayers = numLayersFromConfig(config);
  const table = compiledTable();
  const split_ = split(pairs);
  const warnings: string[] = [];

  const byType = table.filter((c) => c.entry.modelTypes.some((t) => types.includes(t)));
  let top = best(byType, split_, numLayers);
  let matchedBy: NormDiscovery['matchedBy'] = 'model_type';
  if (!top) {
    const noNorms = byType.find((c) => c.entry.noNorms);
    if (noNorms) {
      const msg = `${noNorms.entry.notes} (model_type "${modelType}")`;
      return emptyDiscovery(modelType, [msg], msg, normLike(names), noNorms.entry.id, noNorms.entry.notes);
    }
    top = best(table, split_, numLayers);
    matchedBy = 'names';
    if (top) {
      const said = modelType ? `model_type "${modelType}"` : 'no model_type';
      const known = byType.length
        ? `, whose usual tensor names are absent`
        : ', which the architecture table does not know';
      warnings.push(
        `config.json gives ${said}${modelType ? known : ''}; the norms were matched by their names as "${top.c.entry.id}", so check the roles.`,
      );
    }
  }
  if (!top) {
    const like = normLike(names);
    const arch =
      Array.isArray(config.architectures) && typeof config.architectures[0] === 'string'
        ? ` (${config.architectures[0]})`
        : '';
    const what = modelType ? `model_type "${modelType}"${arch}` : `a config without model_type${arch}`;
    const msg = like.length
      ? `No per-layer norm weights recognised for ${what}. Norm-like tensors: ${like.join(', ')}${names.filter((n) => NORM_LIKE.test(n)).length > like.length ? ', …' : ''}.`
      : `No per-layer norm weights recognised for ${what}, and no tensor name looks like a norm.`;
    return emptyDiscovery(modelType, warnings, msg, like);
  }

  const { entry } = top.c;
  if (numLayers === null)
    warnings.push('config.json gives no layer count, so no layer is treated as an extra (MTP) block.');
  const found = top.found
    .map((f) => ({ ...f, ref: { ...f.ref, extra: numLayers !== null && f.ref.layer >= numLayers } }))
    .sort(
      (a, b) =>
        a.ref.layer - b.ref.layer || roleOrder(a.ref.role) - roleOrder(b.ref.role) || (a.head ?? 0) - (b.head ?? 0),
    );
  // each ref carries what the loader needs to rebuild the applied vector: shift and head order
  const tensors = found.map((f): NormTensorRef => ({
    ...f.ref,
    ...(f.rule.shift ? { shift: f.rule.shift } : {}),
    ...(f.head !== null ? { headIndex: f.head } : {}),
  }));
  const all = [...new Set(tensors.map((t) => t.layer))];
  const layers = all.filter((l) => numLayers === null || l < numLayers);
  const extraLayers = all.filter((l) => numLayers !== null && l >= numLayers);
  const labels = new Map<number, string>();
  for (const l of layers) labels.set(l, String(l));
  const mtpPrefixed = new Set(found.filter((f) => f.mtp).map((f) => f.ref.layer));
  for (const l of extraLayers)
    labels.set(l, `${l} (${mtpPrefixed.has(l) || isMtp(config, l, names) ? 'MTP' : 'extra'})`);

  const shifts = new Map<string, number>();
  const headPieces = new Map<string, number>();
  for (const f of found) {
    if (f.rule.shift) shifts.set(f.ref.name, f.rule.shift);
    if (f.head !== null) headPieces.set(f.ref.name, f.head);
  }
  const decoder = found.filter((f) => !f.ref.extra);
  const roles = NORM_ROLES.filter((r) => decoder.some((f) => f.ref.role === r));
  const shiftedRoles = new Map<NormRole, number>();
  for (const r of NORM_ROLES) {
    const of = found.filter((f) => f.ref.role === r);
    const s = of[0]?.rule.shift ?? 0;
    if (s !== 0 && of.every((f) => f.rule.shift === s)) shiftedRoles.set(r, s);
  }
  const widths = new Map<NormRole, number>();
  for (const r of entry.norms) {
    if (widths.has(r.role)) continue;
    const wdt = ruleWidth(config, r);
    if (wdt !== null) widths.set(r.role, wdt);
  }
  const expectedRoles = NORM_ROLES.filter((r) => entry.norms.some((n) => n.role === r && !n.optional && !n.sparse));
  warnings.push(...missingWarnings(entry, decoder, layers, numLayers, expectedRoles));
  return {
    family: entry.id,
    zeroCentred: shifts.size > 0,
    tensors,
    layers,
    extraLayers,
    labels,
    warnings,
    modelType,
    matchedBy,
    notes: entry.notes,
    roles,
    expectedRoles,
    widths,
    shifts,
    shiftedRoles,
    headPieces,
    unknownMessage: null,
    normLikeTensors: [],
  };
}

const plural = (xs: readonly number[], one: string, many: string) => (xs.length > 1 ? many : one);

/** Warn only about what this architecture should have: absent layers, expected roles missing, gaps. */
function missingWarnings(
  entry: ArchEntry,
  decoder: readonly Found[],
  layers: readonly number[],
  numLayers: number | null,
  expectedRoles: readonly NormRole[],
): string[] {
  const out: string[] = [];
  const expected = plausibleLayerCount(layers, numLayers);
  const present = new Set(layers);
  const absent: number[] = [];
  for (let l = 0; l < expected; l++) if (!present.has(l)) absent.push(l);
  if (absent.length) out.push(`No norm tensors for ${plural(absent, 'layer', 'layers')} ${absent.join(', ')}.`);
  const sparse = new Set(entry.norms.filter((n) => n.sparse).map((n) => n.role));
  for (const role of NORM_ROLES) {
    const have = new Set(decoder.filter((f) => f.ref.role === role).map((f) => f.ref.layer));
    if (have.size === 0) {
      if (expectedRoles.includes(role)) out.push(`${entry.id} layers should have a ${role} norm, but none was found.`);
      continue;
    }
    if (sparse.has(role)) continue;
    const lacking = layers.filter((l) => !have.has(l));
    if (lacking.length)
      out.push(
        `${plural(lacking, 'Layer', 'Layers')} ${lacking.join(', ')} ${plural(lacking, 'lacks', 'lack')} the ${role} norm.`,
      );
  }
  return out;
}
