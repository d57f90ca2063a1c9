// A local model's slot: the files it was read from, or (opened from a permalink) what to drop to reopen it.
import type { ReactNode } from 'react';
import type { LocalModelFiles } from '../../state/localModels';
import type { ModelSlot } from '../../state/store';
import { formatBytes } from '../../core/format';

/** paths inside the model's own folder are shown without it */
const shown = (path: string, label: string) => (path.startsWith(`${label}/`) ? path.slice(label.length + 1) : path);

export function LocalFilesLine({ files, index }: { files: LocalModelFiles; index: number }) {
  const total = files.entries.reduce((s, e) => s + e.size, 0);
  const folder = files.entries.every((e) => e.path.startsWith(`${files.label}/`));
  return (
    <span className="local-files" data-testid={`local-files-${index}`}>
      {folder ? `folder ${files.label}/: ` : 'files: '}
      {files.entries
        .map((e) => shown(e.path, files.label))
        .sort((a, b) => a.localeCompare(b))
        .join(', ')}{' '}
      · {formatBytes(total)} on disk
    </span>
  );
}

export function ReopenPrompt({ slot, index, children }: { slot: ModelSlot; index: number; children: ReactNode }) {
  const names = slot.ref.local?.files ?? [];
  return (
    <span className="reopen" data-drop-slot={index} data-testid={`reopen-${index}`}>
      Drop <b>{slot.ref.repo}</b> here{' '}
      {names.length > 0 ? (
        <>
          (the folder or files you compared:{' '}
          {names
            .map((n) => <code key={n}>{n}</code>)
            .reduce<ReactNode[]>((acc, c, k) => (k ? [...acc, ', ', c] : [c]), [])}
          )
        </>
      ) : (
        '(the folder or files you compared)'
      )}{' '}
      to reopen it. The link names local files only; they never left that computer. {children}
    </span>
  );
}
