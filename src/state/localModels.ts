// Local models on the main thread: the File objects the user dropped or picked, kept in memory by
// label (never in the URL, the cache or an export), and how a new drop joins the comparison.
import { groupLocalFiles, planLocalModel, type LocalEntry } from '../core/localFiles';
import { localRef } from '../core/permalink';
import type { RepoRef } from '../core/types';

/** One local model's files: `files[i]` is the File at `entries[i].path`. */
export interface LocalModelFiles {
  label: string;
  entries: LocalEntry[];
  files: File[];
}

/** A File with the relative path it was picked or dropped at (folder picks and drops keep the folder). */
export interface PickedFile {
  file: File;
  path: string;
}

export interface LocalAddition {
  /** the comparison's models after the drop */
  models: RepoRef[];
  /** the local registry after the drop, by label */
  local: Record<string, LocalModelFiles>;
  skipped: { path: string; reason: string }[];
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The files a permalink tells the user to drop again: what the model reads, else everything given. */
export function filesToReopen(group: { label: string; entries: LocalEntry[] }): string[] {
  const planned = planLocalModel(group);
  if (!planned.ok) return group.entries.map((e) => baseName(e.path));
  const p = planned.plan;
  const paths =
    p.kind === 'gguf' ? p.parts : [...(p.config ? [p.config] : []), ...(p.index ? [p.index] : []), ...p.weights];
  return paths.map(baseName);
}

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('/') === [...b].sort().join('/');

function sameFiles(a: LocalModelFiles, b: LocalModelFiles): boolean {
  const key = (m: LocalModelFiles) =>
    m.entries
      .map((e) => `${e.path}\u0000${e.size}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
}

/**
 * What was dropped → models added to the comparison. A model with the label or the file names of a
 * waiting slot (opened from a permalink) fills that slot; `target` (a slot's own drop zone) takes the first model whatever
 * its label. Dropping the same files again replaces them; other files under a taken label get "(2)".
 * Hub models and other local models keep their place.
 */
export function addLocalFiles(
  models: readonly RepoRef[],
  local: Readonly<Record<string, LocalModelFiles>>,
  picked: readonly PickedFile[],
  target: number | null = null,
): LocalAddition {
  const byPath = new Map(picked.map((p) => [p.path, p.file]));
  const { groups, skipped } = groupLocalFiles(picked.map((p) => ({ path: p.path, size: p.file.size })));
  const nextModels = [...models];
  const nextLocal: Record<string, LocalModelFiles> = { ...local };
  const targetRef = target !== null ? models[target] : undefined;
  groups.forEach((group, g) => {
    const files = group.entries.map((e) => byPath.get(e.path)!);
    const names = filesToReopen(group);
    // the slot this group reopens: the one it was dropped on, else a waiting one of the same label or files
    const reopens =
      g === 0 && targetRef?.local
        ? targetRef
        : (nextModels.find((m) => m.local && !nextLocal[m.repo] && m.repo === group.label) ??
          nextModels.find(
            (m) => m.local && !nextLocal[m.repo] && m.local.files.length > 0 && sameNames(m.local.files, names),
          ));
    let label = reopens ? reopens.repo : group.label;
    const candidate: LocalModelFiles = { label, entries: group.entries, files };
    const taken = (l: string) => nextLocal[l] !== undefined && !sameFiles(nextLocal[l]!, { ...candidate, label: l });
    if (!reopens) for (let n = 2; taken(label); n++) label = `${group.label} (${n})`;
    nextLocal[label] = { ...candidate, label };
    const ref = localRef(label, names);
    const at = nextModels.findIndex((m) => m.local && m.repo === label);
    if (at >= 0) nextModels[at] = ref;
    else nextModels.push(ref);
  });
  return { models: nextModels, local: nextLocal, skipped };
}

/** Local labels the query names but no files are in memory for (a permalink opened in a new tab). */
export function waitingLabels(models: readonly RepoRef[], local: Readonly<Record<string, LocalModelFiles>>): string[] {
  return models.filter((m) => m.local && !local[m.repo]).map((m) => m.repo);
}
