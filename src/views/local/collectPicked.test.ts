import { describe, expect, it } from 'vitest';
import { collectDropped, type EntryLike } from './collectPicked';

const fileEntry = (name: string): EntryLike & { file: (ok: (f: File) => void) => void } => ({
  name,
  isFile: true,
  isDirectory: false,
  file: (ok) => ok(new File([name], name)),
});
/** a directory whose reader hands out its children two at a time, as Chromium does in batches */
const dirEntry = (name: string, children: EntryLike[]) => ({
  name,
  isFile: false,
  isDirectory: true,
  createReader() {
    let at = 0;
    return {
      readEntries(ok: (e: EntryLike[]) => void) {
        ok(children.slice(at, (at += 2)));
      },
    };
  },
});
const item = (entry: EntryLike | null, file: File | null = null) => ({
  kind: 'file',
  webkitGetAsEntry: () => entry,
  getAsFile: () => file,
});

describe('collectDropped', () => {
  it('walks dropped folders recursively with relative paths, across readEntries batches', async () => {
    const folder = dirEntry('MyModel', [
      fileEntry('config.json'),
      fileEntry('model-00001-of-00002.safetensors'),
      fileEntry('model-00002-of-00002.safetensors'),
      dirEntry('sub', [fileEntry('x.gguf')]),
    ]);
    const got = await collectDropped([
      item(folder),
      item(fileEntry('loose.gguf')),
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ]);
    expect(got.map((p) => p.path)).toEqual([
      'MyModel/config.json',
      'MyModel/model-00001-of-00002.safetensors',
      'MyModel/model-00002-of-00002.safetensors',
      'MyModel/sub/x.gguf',
      'loose.gguf',
    ]);
    expect(got[1]!.file.name).toBe('model-00001-of-00002.safetensors');
  });

  it('falls back to the File when an item has no entry (a DataTransfer built by a script)', async () => {
    const f = new File(['a'], 'a.safetensors');
    expect(await collectDropped([item(null, f)])).toEqual([{ file: f, path: 'a.safetensors' }]);
  });
});
