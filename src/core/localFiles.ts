// Files from the user's disk → models: a folder is one model, a set of safetensors files with
// their config and index is one model, a single .safetensors or .gguf (or a GGUF split set) is one.
// Pure: works on paths and sizes, so it is tested in Node and runs before any byte is read.
// GGUF files are grouped and chosen as for a Hub repo (core/gguf/ggufFiles).
import { isAuxiliaryGguf, isGgufFile, listGgufOptions, type GgufOption } from './gguf/ggufFiles.ts';

/** The relative path a folder pick or drop gives (webkitRelativePath), else the bare name. */
export function localPathOf(file: { name: string; webkitRelativePath?: string }): string {
  const rel = file.webkitRelativePath;
  return rel && rel.length > 0 ? rel : file.name;
}

export interface LocalEntry {
  /** relative path (folder picks and drops keep the folder), else the bare name */
  path: string;
  size: number;
}

export type LocalModelPlan =
  | {
      kind: 'safetensors';
      label: string;
      weights: string[];
      index: string | null;
      config: string | null;
      ignored: string[];
    }
  | { kind: 'gguf'; label: string; parts: string[]; ignored: string[] };

export interface LocalGroup {
  label: string;
  entries: LocalEntry[];
}

export interface LocalGrouping {
  groups: LocalGroup[];
  /** files that belong to no model, with why */
  skipped: { path: string; reason: string }[];
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const topFolder = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : null);
const isSafetensors = (p: string) => /\.safetensors$/i.test(p);
const isIndex = (p: string) => /\.safetensors\.index\.json$/i.test(p);
const isConfig = (p: string) => baseName(p) === 'config.json';

/** A GGUF model's name as a label: the first file's name without the split suffix and extension. */
const ggufStem = (option: GgufOption) => baseName(option.files[0]!.path).replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '');

/**
 * What was dropped or picked → one group per model. Entries under one top folder form one group;
 * loose files form one safetensors group, plus one group per GGUF model (split sets together).
 */
export function groupLocalFiles(entries: readonly LocalEntry[]): LocalGrouping {
  const byFolder = new Map<string, LocalEntry[]>();
  const loose: LocalEntry[] = [];
  for (const e of entries) {
    const folder = topFolder(e.path);
    if (folder === null) loose.push(e);
    else byFolder.set(folder, [...(byFolder.get(folder) ?? []), e]);
  }
  const groups: LocalGroup[] = [...byFolder].map(([label, list]) => ({ label, entries: list }));
  const skipped: { path: string; reason: string }[] = [];
  for (const e of loose) {
    if (!isGgufFile(e.path) || !isAuxiliaryGguf(e.path)) continue;
    const reason = /mmproj/i.test(baseName(e.path))
      ? 'a vision projector (mmproj), not a language model'
      : 'imatrix data or a projector, not a language model';
    skipped.push({ path: e.path, reason });
  }
  // each GGUF model (a split set together) is its own group
  const sizeOf = new Map(loose.map((e) => [e.path, e.size]));
  for (const option of listGgufOptions(loose)) {
    groups.push({
      label: ggufStem(option),
      entries: option.files.map((f) => ({ path: f.path, size: sizeOf.get(f.path) ?? 0 })),
    });
  }
  const rest = loose.filter((e) => !isGgufFile(e.path));
  const weights = rest.filter((e) => isSafetensors(e.path));
  if (weights.length > 0) {
    const single = weights.length === 1 ? baseName(weights[0]!.path).replace(/\.safetensors$/i, '') : null;
    groups.push({ label: single ?? 'local safetensors', entries: rest });
  } else {
    for (const e of rest)
      skipped.push({ path: e.path, reason: 'neither safetensors nor GGUF, and no weights file came with it' });
  }
  return { groups, skipped };
}

/** Which files of one group to read, or a sentence saying why the group is not a model. */
export function planLocalModel(group: LocalGroup): { ok: true; plan: LocalModelPlan } | { ok: false; error: string } {
  const paths = group.entries.map((e) => e.path);
  const safetensors = paths.filter(isSafetensors);
  if (safetensors.length > 0) {
    const index = paths.find(isIndex) ?? null;
    const config = paths.find(isConfig) ?? null;
    const ignored = paths.filter((p) => !safetensors.includes(p) && p !== index && p !== config);
    return {
      ok: true,
      plan: { kind: 'safetensors', label: group.label, weights: safetensors, index, config, ignored },
    };
  }
  // several quantizations of one model: the smallest complete one, as for Hub repos; the others are ignored
  const chosen = listGgufOptions(group.entries)[0];
  if (chosen) {
    const missing = chosen.missingParts;
    if (missing.length) {
      const count = missing.length + chosen.files.length;
      return {
        ok: false,
        error: `${ggufStem(chosen)} is split into ${count} parts, but part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing.`,
      };
    }
    const parts = chosen.files.map((f) => f.path);
    return {
      ok: true,
      plan: { kind: 'gguf', label: group.label, parts, ignored: paths.filter((p) => !parts.includes(p)) },
    };
  }
  const names = paths.slice(0, 4).map(baseName).join(', ');
  return {
    ok: false,
    error: `${group.label}: ${names}${paths.length > 4 ? ', …' : ''} ${paths.length > 1 ? 'are' : 'is'} neither safetensors nor GGUF; NormScope reads .safetensors and .gguf weights.`,
  };
}
