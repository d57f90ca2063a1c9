// "Open files…" and "Open folder…": hidden file inputs behind buttons. `target` = a slot waiting
// for its files (a permalink's local model); null adds new models.
import { useRef } from 'react';
import { useAppStore } from '../../state/storeContext';
import { addLocalModels } from '../../state/wiring';
import { collectInput } from './collectPicked';

const ACCEPT = '.safetensors,.gguf,.json';

export function LocalFilesButtons({ target = null, testId = 'local' }: { target?: number | null; testId?: string }) {
  const store = useAppStore();
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const onPick = (input: HTMLInputElement | null) => {
    if (!input?.files || input.files.length === 0) return;
    addLocalModels(store, collectInput(input.files), target);
    input.value = ''; // the same files can be picked again
  };
  return (
    <span className="local-buttons">
      <button
        type="button"
        className="small"
        onClick={() => filesRef.current?.click()}
        data-testid={`${testId}-files-button`}
      >
        Open files…
      </button>
      <button
        type="button"
        className="small"
        onClick={() => folderRef.current?.click()}
        data-testid={`${testId}-folder-button`}
      >
        Open folder…
      </button>
      <input
        ref={filesRef}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        onChange={(e) => onPick(e.currentTarget)}
        data-testid={`${testId}-files-input`}
      />
      {/* webkitdirectory is not in React's input attributes; the empty string turns it on */}
      <input
        ref={folderRef}
        type="file"
        hidden
        {...{ webkitdirectory: '' }}
        onChange={(e) => onPick(e.currentTarget)}
        data-testid={`${testId}-folder-input`}
      />
    </span>
  );
}
