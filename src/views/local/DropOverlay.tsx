// Drag files anywhere on the page: a full-page overlay says what will happen, and the drop adds
// local models (or, over a slot waiting for its files, reopens that slot). The overlay never takes
// the pointer, so the element under it still tells which slot a drop is meant for.
import { useEffect, useState } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { addLocalModels } from '../../state/wiring';
import { waitingLabels } from '../../state/localModels';
import { collectDropped } from './collectPicked';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** the slot index of a waiting slot's drop zone under the pointer, or null */
function slotTarget(e: Event): number | null {
  const zone = e.target instanceof Element ? e.target.closest('[data-drop-slot]') : null;
  return zone ? Number(zone.getAttribute('data-drop-slot')) : null;
}

export function DropOverlay() {
  const store = useAppStore();
  const waiting = useApp((s) => waitingLabels(s.query.models, s.local).join('\u0000'));
  const [over, setOver] = useState<{ slot: number | null } | null>(null);

  useEffect(() => {
    let depth = 0; // dragenter/dragleave fire for every element crossed
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver({ slot: slotTarget(e) });
    };
    const move = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      const slot = slotTarget(e);
      setOver((o) => (o && o.slot === slot ? o : { slot }));
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0 || e.relatedTarget === null) {
        depth = 0;
        setOver(null);
      }
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setOver(null);
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault(); // never let the browser open the file instead
      const target = slotTarget(e);
      void collectDropped(e.dataTransfer.items).then((picked) => {
        if (picked.length > 0) addLocalModels(store, picked, target);
      });
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', move);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', move);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [store]);

  if (!over) return null;
  const labels = waiting ? waiting.split('\u0000') : [];
  const slotLabel = over.slot !== null ? store.getState().query.models[over.slot]?.repo : undefined;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-live="polite">
      <div className="drop-card">
        <h2>{slotLabel ? `Drop to reopen ${slotLabel}` : 'Drop to compare local checkpoints'}</h2>
        <p>
          A model folder is one model; loose .safetensors files with their config.json and index are one model; each
          .gguf (or GGUF split set) is one model. They join the models already loaded.
        </p>
        {!slotLabel && labels.length > 0 && (
          <p>
            The folder or files of the link's local model{labels.length > 1 ? 's' : ''} <b>{labels.join(', ')}</b>{' '}
            reopen {labels.length > 1 ? 'them' : 'it'}.
          </p>
        )}
        <p className="drop-privacy">
          Read on this computer by slices of the files (headers and norm weights only). Nothing is uploaded.
        </p>
      </div>
    </div>
  );
}
