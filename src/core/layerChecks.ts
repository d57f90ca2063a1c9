// Awkward but legal norm vectors, made honest before any statistic sees them (issue 16):
// - a layer without norm tensors keeps its index (an empty row and column; the others stay put);
// - a vector holding NaN or ±Inf is left empty for that layer and role, and the count is reported;
// - a constant vector has no Pearson correlation with anything: that is no information, not evidence;
// - a config whose layer count the tensors contradict is overruled by the tensors, with a note.
import { NORM_ROLES, type LayerNorms } from './types';

/** A config may name more layers than hold norms (trailing layers without them) up to this factor. */
const TRAILING_LAYERS_FACTOR = 2;

export interface LayerCheck {
  /** decoder layers 0…n−1, every index present (missing ones empty) */
  layers: LayerNorms[];
  /** what is odd, in plain words (empty when nothing is) */
  notes: string[];
}

function ranges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < indices.length;) {
    let end = k;
    while (end + 1 < indices.length && indices[end + 1] === indices[end]! + 1) end++;
    parts.push(end === k ? String(indices[k]) : `${indices[k]}–${indices[end]}`);
    k = end + 1;
  }
  return parts.join(', ');
}

function nonFiniteCount(v: Float32Array): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) n++;
  return n;
}

function constantValue(v: Float32Array): number | null {
  if (v.length < 2) return null;
  const first = v[0]!;
  for (let i = 1; i < v.length; i++) if (v[i] !== first) return null;
  return first;
}

/**
 * How many decoder layers there are: the tensors say (highest index + 1), unless the config
 * plausibly names trailing layers without norms (at most twice as many). Never the config alone:
 * a config claiming 10⁹ layers must not make anyone loop or allocate 10⁹ of anything.
 */
export function plausibleLayerCount(present: readonly number[], configLayers: number | null): number {
  const fromTensors = present.length ? Math.max(...present) + 1 : 0;
  if (configLayers === null || configLayers <= fromTensors) return fromTensors;
  return configLayers <= fromTensors * TRAILING_LAYERS_FACTOR ? configLayers : fromTensors;
}

function layerCount(present: readonly number[], configLayers: number | null, notes: string[]): number {
  const count = plausibleLayerCount(present, configLayers);
  if (configLayers !== null && configLayers > count)
    notes.push(
      `config.json says ${configLayers} layers, but the tensors hold norms for ${count} (layers 0–${count - 1}): the tensors are used.`,
    );
  return count;
}

function checkRoles(layers: LayerNorms[], notes: string[]): void {
  const constant = new Map<string, { layers: number[]; value: number }>();
  for (const layer of layers) {
    for (const role of NORM_ROLES) {
      const v = layer[role];
      if (!v) continue;
      const bad = nonFiniteCount(v);
      if (bad > 0) {
        delete layer[role];
        notes.push(
          `layer ${layer.index} ${role}: ${bad} non-finite value${bad === 1 ? '' : 's'} (NaN or ±Inf) of ${v.length}; that layer's ${role} norm is left empty.`,
        );
        continue;
      }
      const c = constantValue(v);
      if (c !== null) {
        const key = `${role} ${c}`;
        const entry = constant.get(key) ?? { layers: [], value: c };
        entry.layers.push(layer.index);
        constant.set(key, entry);
      }
    }
  }
  for (const [key, { layers: at, value }] of constant) {
    const role = key.split(' ')[0]!;
    notes.push(
      `${role} norm constant (every value ${value}) in layer${at.length === 1 ? '' : 's'} ${ranges(at)}: Pearson is undefined there, so those layers carry no information (not evidence either way).`,
    );
  }
}

/**
 * Decoder layers (sorted, possibly with gaps) → every index 0…n−1 with sound vectors, plus notes.
 * Vectors are not copied; layer objects are (the caller's stay as they were).
 */
export function checkLayers(decoder: readonly LayerNorms[], configLayers: number | null): LayerCheck {
  const notes: string[] = [];
  const byIndex = new Map(decoder.map((l) => [l.index, { ...l }]));
  const present = [...byIndex.keys()].sort((a, b) => a - b);
  const count = layerCount(present, configLayers, notes);
  const layers: LayerNorms[] = [];
  const missing: number[] = [];
  for (let index = 0; index < count; index++) {
    const layer = byIndex.get(index);
    if (layer) layers.push(layer);
    else {
      missing.push(index);
      layers.push({ index, extra: false, label: String(index) });
    }
  }
  // discovery names the layers without norm tensors; say what that means for the matrices
  if (missing.length)
    notes.push(
      `Layer${missing.length === 1 ? '' : 's'} ${ranges(missing)} keep${missing.length === 1 ? 's' : ''} ${missing.length === 1 ? 'its' : 'their'} index with an empty row and column; the other layers stay in place.`,
    );
  checkRoles(layers, notes);
  return { layers, notes };
}
