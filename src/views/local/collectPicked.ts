// What the browser hands over on a drop or a pick → File objects with their relative paths.
// Dropped folders are walked with webkitGetAsEntry(); their paths ("MyModel/model.safetensors")
// travel beside the Files because webkitRelativePath is read-only (and empty) on dropped files.
import type { PickedFile } from '../../state/localModels';
import { localPathOf } from '../../core/localFiles';

/** The parts of FileSystemEntry that are used, so the walk can be tested with plain objects. */
export interface EntryLike {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}
export interface FileEntryLike extends EntryLike {
  file(ok: (f: File) => void, fail?: (e: unknown) => void): void;
}
export interface DirectoryEntryLike extends EntryLike {
  createReader(): { readEntries(ok: (entries: EntryLike[]) => void, fail?: (e: unknown) => void): void };
}

/** guards against a symlink loop or an enormous tree dropped by mistake */
const MAX_FILES = 10_000;

async function walk(entry: EntryLike, prefix: string, out: PickedFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  const path = prefix + entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileEntryLike).file(ok, fail));
    out.push({ file, path });
  } else if (entry.isDirectory) {
    const reader = (entry as DirectoryEntryLike).createReader();
    // readEntries hands out a directory in batches (100 in Chromium) until it returns none
    for (;;) {
      const batch = await new Promise<EntryLike[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${path}/`, out);
    }
  }
}

/** Dropped items: folders walked recursively, loose files by name. Call within the drop event. */
export function collectDropped(
  items: ArrayLike<{ kind: string; webkitGetAsEntry(): EntryLike | null; getAsFile(): File | null }>,
): Promise<PickedFile[]> {
  // entries must be taken synchronously: the items are emptied once the event handler returns
  const taken = Array.from(items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  return (async () => {
    const out: PickedFile[] = [];
    for (const { entry, file } of taken) {
      if (entry) await walk(entry, '', out);
      else if (file) out.push({ file, path: file.name }); // files a page script put in a DataTransfer have no entry
    }
    return out;
  })();
}

/** Files from an <input type=file> (a folder pick keeps the folder in webkitRelativePath). */
export function collectInput(files: FileList | readonly File[]): PickedFile[] {
  return Array.from(files, (file) => ({ file, path: localPathOf(file) }));
}
