// Files from the user's disk → models: a folder is one model, a set of safetensors files with
// their config and index is one model, a single .safetensors or .gguf (or a GGUF split set) is one.
// Pure: works on paths and sizes, so it is tested in Node and runs before any byte is read.

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
  | { kind: 'safetensors'; label: string; weights: string[]; index: string | null; config: string | null; ignored: string[] }
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

const SPLIT_GGUF = /^(?<base>.*)-(?<no>\d{5})-of-(?<count>\d{5})\.gguf$/i;
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const topFolder = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : null);
const isGguf = (p: string) => /\.gguf$/i.test(p);
const isProjector = (p: string) => /(^|[-_.])mmproj([-_.]|$)/i.test(baseName(p));
const isSafetensors = (p: string) => /\.safetensors$/i.test(p);
const isIndex = (p: string) => /\.safetensors\.index\.json$/i.test(p);
const isConfig = (p: string) => baseName(p) === 'config.json';

/** The split set a GGUF part belongs to ("name" for name-00001-of-00003.gguf), or null. */
export function ggufSplitBase(path: string): { base: string; no: number; count: number } | null {
  const g = SPLIT_GGUF.exec(path)?.groups;
  return g ? { base: g.base!, no: Number(g.no), count: Number(g.count) } : null;
}

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
  const ggufSets = new Map<string, LocalEntry[]>();
  const rest: LocalEntry[] = [];
  for (const e of loose) {
    if (isGguf(e.path) && isProjector(e.path)) skipped.push({ path: e.path, reason: 'a vision projector (mmproj), not a language model' });
    else if (isGguf(e.path)) {
      const key = ggufSplitBase(e.path)?.base ?? e.path;
      ggufSets.set(key, [...(ggufSets.get(key) ?? []), e]);
    } else rest.push(e);
  }
  for (const [key, list] of ggufSets) groups.push({ label: baseName(key).replace(/\.gguf$/i, ''), entries: list });
  const weights = rest.filter((e) => isSafetensors(e.path));
  if (weights.length > 0) {
    const single = weights.length === 1 ? baseName(weights[0]!.path).replace(/\.safetensors$/i, '') : null;
    groups.push({ label: single ?? 'local safetensors', entries: rest });
  } else {
    for (const e of rest) skipped.push({ path: e.path, reason: 'neither safetensors nor GGUF, and no weights file came with it' });
  }
  return { groups, skipped };
}

/** Which files of one group to read, or a sentence saying why the group is not a model. */
export function planLocalModel(group: LocalGroup): { ok: true; plan: LocalModelPlan } | { ok: false; error: string } {
  const paths = group.entries.map((e) => e.path);
  const ggufs = paths.filter((p) => isGguf(p) && !isProjector(p));
  const safetensors = paths.filter(isSafetensors);
  if (safetensors.length > 0) {
    const index = paths.find(isIndex) ?? null;
    const config = paths.find(isConfig) ?? null;
    const ignored = paths.filter((p) => !safetensors.includes(p) && p !== index && p !== config);
    return { ok: true, plan: { kind: 'safetensors', label: group.label, weights: safetensors, index, config, ignored } };
  }
  if (ggufs.length > 0) {
    const sets = new Map<string, string[]>();
    for (const p of ggufs) {
      const key = ggufSplitBase(p)?.base ?? p;
      sets.set(key, [...(sets.get(key) ?? []), p]);
    }
    // several quantizations of one model: the smallest, as for Hub repos; the others are listed as ignored
    const sizeOf = new Map(group.entries.map((e) => [e.path, e.size]));
    const total = (list: string[]) => list.reduce((s, p) => s + (sizeOf.get(p) ?? 0), 0);
    const parts = [...sets.values()].sort((x, y) => total(x) - total(y))[0]!;
    const split = ggufSplitBase(parts[0]!);
    if (split) {
      const have = new Set(parts.map((p) => ggufSplitBase(p)?.no));
      const missing = Array.from({ length: split.count }, (_, i) => i + 1).filter((n) => !have.has(n));
      if (missing.length) return { ok: false, error: `${baseName(split.base)} is split into ${split.count} parts, but part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing.` };
      parts.sort((x, y) => (ggufSplitBase(x)?.no ?? 0) - (ggufSplitBase(y)?.no ?? 0));
    }
    return { ok: true, plan: { kind: 'gguf', label: group.label, parts, ignored: paths.filter((p) => !parts.includes(p)) } };
  }
  const names = paths.slice(0, 4).map(baseName).join(', ');
  return { ok: false, error: `${group.label}: ${names}${paths.length > 4 ? ', …' : ''} ${paths.length > 1 ? 'are' : 'is'} neither safetensors nor GGUF; NormScope reads .safetensors and .gguf weights.` };
}
