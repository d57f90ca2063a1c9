import { describe, expect, it } from 'vitest';
import { localRef } from '../core/permalink';
import { addLocalFiles, filesToReopen, waitingLabels, type PickedFile } from './localModels';

const pick = (path: string, size = 10): PickedFile => ({
  path,
  file: new File([new Uint8Array(size)], path.slice(path.lastIndexOf('/') + 1)),
});
const hub = { repo: 'normscope-demo/glm-like-base', revision: 'abc' };

describe('addLocalFiles', () => {
  it('appends one local model per group after the Hub models, with the files to reopen it, and lists skipped files', () => {
    const picked = [
      pick('Mine/config.json'),
      pick('Mine/model.safetensors', 99),
      pick('Mine/README.md'),
      pick('x-Q4_K_M.gguf'),
      pick('notes.txt'),
    ];
    const r = addLocalFiles([hub], {}, picked);
    expect(r.models).toEqual([
      hub,
      localRef('Mine', ['config.json', 'model.safetensors']),
      localRef('x-Q4_K_M', ['x-Q4_K_M.gguf']),
    ]);
    expect(r.local['Mine']!.entries.map((e) => [e.path, e.size])).toEqual([
      ['Mine/config.json', 10],
      ['Mine/model.safetensors', 99],
      ['Mine/README.md', 10],
    ]);
    expect(r.local['Mine']!.files[1]).toBe(picked[1]!.file);
    expect(r.skipped).toEqual([{ path: 'notes.txt', reason: expect.stringMatching(/neither safetensors nor GGUF/) }]);
  });

  it('fills the slot a permalink left waiting, replaces the same files, and renames other files under a taken label', () => {
    const waiting = [hub, localRef('Mine', ['model.safetensors'])];
    expect(waitingLabels(waiting, {})).toEqual(['Mine']);
    const first = addLocalFiles(waiting, {}, [pick('Mine/model.safetensors')]);
    expect(first.models).toEqual([hub, localRef('Mine', ['model.safetensors'])]);
    expect(waitingLabels(first.models, first.local)).toEqual([]);
    const again = addLocalFiles(first.models, first.local, [pick('Mine/model.safetensors')]);
    expect(again.models).toHaveLength(2);
    const other = addLocalFiles(first.models, first.local, [pick('Mine/model.safetensors', 20)]);
    expect(other.models.map((m) => m.repo)).toEqual([hub.repo, 'Mine', 'Mine (2)']);
    expect(other.local['Mine']).toBe(first.local['Mine']);
  });

  it('loose files with the names a waiting slot lists fill it, though their group has another label', () => {
    const models = [hub, localRef('MyFinetune', ['config.json', 'model.safetensors']), localRef('Other', ['x.gguf'])];
    const r = addLocalFiles(models, {}, [pick('model.safetensors'), pick('config.json')]);
    expect(r.models.map((m) => m.repo)).toEqual([hub.repo, 'MyFinetune', 'Other']);
    expect(waitingLabels(r.models, r.local)).toEqual(['Other']);
    // different names: a new model, the slot keeps waiting
    const s = addLocalFiles(models, {}, [pick('other.safetensors')]);
    expect(s.models.map((m) => m.repo)).toEqual([hub.repo, 'MyFinetune', 'Other', 'other']);
  });

  it('a drop on a slot fills that slot whatever the files are called', () => {
    const models = [hub, localRef('Theirs', ['a.gguf'])];
    const r = addLocalFiles(models, {}, [pick('renamed.gguf')], 1);
    expect(r.models).toEqual([hub, localRef('Theirs', ['renamed.gguf'])]);
    expect(r.local['Theirs']!.entries[0]!.path).toBe('renamed.gguf');
  });
});

describe('filesToReopen', () => {
  it('names what the model reads: config, index and shards, or the GGUF parts', () => {
    const entries = [
      'M/README.md',
      'M/model-00002-of-00002.safetensors',
      'M/config.json',
      'M/model.safetensors.index.json',
      'M/model-00001-of-00002.safetensors',
    ].map((path) => ({ path, size: 1 }));
    expect(filesToReopen({ label: 'M', entries })).toEqual([
      'config.json',
      'model.safetensors.index.json',
      'model-00002-of-00002.safetensors',
      'model-00001-of-00002.safetensors',
    ]);
    expect(
      filesToReopen({
        label: 'g',
        entries: [
          { path: 'g-00002-of-00002.gguf', size: 1 },
          { path: 'g-00001-of-00002.gguf', size: 1 },
        ],
      }),
    ).toEqual(['g-00001-of-00002.gguf', 'g-00002-of-00002.gguf']);
  });
});
