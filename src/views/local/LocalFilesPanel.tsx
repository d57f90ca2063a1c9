// The local-files row of the picker: the two buttons, what happens to the files, and what was skipped.
import { useApp } from '../../state/storeContext';
import { LocalFilesButtons } from './LocalFilesButtons';

export function LocalFilesPanel() {
  const skipped = useApp((s) => s.localSkipped);
  return (
    <div className="local-panel" data-testid="local-panel">
      <span className="muted">Local checkpoints:</span>
      <LocalFilesButtons />
      <span className="hint">
        or drop a model folder, .safetensors files with their config.json, or .gguf files anywhere on the page. They are
        read on this computer (headers and norm weights only); nothing is uploaded.
      </span>
      {skipped.length > 0 && (
        <ul className="local-skipped" data-testid="local-skipped">
          {skipped.map((s) => (
            <li key={s.path}>
              Not used: <code>{s.path}</code>: {s.reason}.
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
