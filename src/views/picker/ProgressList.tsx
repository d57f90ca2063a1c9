// Per-model load state: phase, tensors, bytes ("412 KB of 221 GB"), cancel, and errors in words.
import { useApp, useAppStore } from '../../state/storeContext';
import { cancelLoad, chooseQuant, removeModel } from '../../state/wiring';
import { retryModel } from '../../state/retryModel';
import { LocalFilesButtons } from '../local/LocalFilesButtons';
import { LocalFilesLine, ReopenPrompt } from '../local/LocalSlot';
import { formatBytes } from '../../core/format';
import { errorHint } from './errorHints';
import type { ModelSlot } from '../../state/store';
import type { LoadedModel } from '../../core/types';
import { ClaimLine } from '../lineage/ClaimLine';
import { FindRelativesButton } from '../lineage/FindRelativesButton';

/** GGUF repos offer several quantizations; the choice is part of the permalink (`m=org/name:Q8_0`). */
function QuantPicker({ index, model }: { index: number; model: LoadedModel }) {
  const store = useAppStore();
  return (
    <label
      className="inline small"
      title="Every quantization carries the same F32 norms; the smallest is read by default."
    >
      quantization{' '}
      <select
        data-testid={`quant-${index}`}
        value={model.quant}
        onChange={(e) => void chooseQuant(store, index, e.target.value)}
      >
        {model.quantOptions!.map((o) => (
          <option key={o.label} value={o.label}>
            {o.label}
            {o.totalSize !== null ? ` (${formatBytes(o.totalSize)})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function slotLine(slot: ModelSlot): string {
  if (slot.model) {
    const m = slot.model;
    const source = m.fromCache ? 'from cache' : `${formatBytes(m.transfer.bytes)} of ${formatBytes(m.totalModelBytes)}`;
    const requests = `${m.transfer.requests} request${m.transfer.requests === 1 ? '' : 's'}`;
    const format = m.format === 'gguf' ? ` · GGUF ${m.quant ?? ''}`.trimEnd() : '';
    const roles = `roles ${m.roles.join(', ')}`;
    const shifted = m.zeroCentred ? ' · stored γ − 1, compared as 1 + w' : '';
    return `${m.layers.length} layers${m.extraLayers.length ? ` + ${m.extraLayers.map((l) => l.label).join(', ')}` : ''} · hidden ${m.hiddenSize} · ${m.dtype} · ${m.architecture}${format} · ${roles}${shifted} · ${source} in ${requests}`;
  }
  const p = slot.progress;
  if (!p) return 'starting…';
  const tensors = p.tensorsTotal ? ` · ${p.tensorsDone}/${p.tensorsTotal} tensors` : '';
  return `${p.phase}${tensors} · ${formatBytes(p.bytes)}${p.totalModelBytes ? ` of ${formatBytes(p.totalModelBytes)}` : ''} · ${p.requests} requests`;
}

/** Where the model came from: a local badge, the resolved commit, or the requested revision. */
function SlotRevision({ slot, index }: { slot: ModelSlot; index: number }) {
  if (slot.ref.local) {
    return (
      <span
        className="badge-local"
        data-testid={`local-badge-${index}`}
        title="read from files on this computer; nothing uploaded"
      >
        local
      </span>
    );
  }
  if (slot.model) return <code title={slot.model.sha}>@{slot.model.sha.slice(0, 10)}</code>;
  return slot.ref.revision !== 'main' ? <code>@{slot.ref.revision}</code> : null;
}

/** A slot's state: files to reopen, its error, cancelled, or its loading line. */
function SlotState({ slot, index }: { slot: ModelSlot; index: number }) {
  const store = useAppStore();
  if (slot.status === 'needs-files') {
    return (
      <ReopenPrompt slot={slot} index={index}>
        <LocalFilesButtons target={index} testId={`reopen-${index}`} />
      </ReopenPrompt>
    );
  }
  if (slot.status === 'error' && slot.error) {
    return (
      <>
        <span className="error" role="alert" data-testid={`slot-error-${index}`} data-kind={slot.error.kind}>
          {slot.error.message} {errorHint(slot.error)}
        </span>
        {!slot.ref.local && (
          <button
            className="small"
            onClick={() => void retryModel(store, index)}
            title="read this model again: what its last try received whole is not read again"
            data-testid={`retry-${index}`}
          >
            Retry
          </button>
        )}
      </>
    );
  }
  if (slot.status === 'cancelled') return <span className="muted">cancelled</span>;
  return (
    <span className="detail" data-testid={`slot-detail-${index}`}>
      {slotLine(slot)}
    </span>
  );
}

/** Always one line tall (a no-break space when idle), so the views below do not jump. */
function computingLine(computing: boolean, havePairs: boolean): string {
  if (!computing) return '\u00a0';
  return havePairs
    ? 'running the permutation tests, layer alignments and figure statistics in a worker…'
    : 'computing similarity matrices in a worker…';
}

export function ProgressList() {
  const store = useAppStore();
  const slots = useApp((s) => s.slots);
  const notComparable = useApp((s) => s.notComparable);
  const computing = useApp((s) => s.computing);
  const havePairs = useApp((s) => s.pairs.length > 0);
  if (slots.length === 0) return null;
  return (
    <section className="progress" data-testid="progress">
      <ul>
        {slots.map((slot, i) => (
          <li key={slot.jobId} className={`slot ${slot.status}`} data-testid={`slot-${i}`} data-status={slot.status}>
            <span className="dot" aria-hidden />
            <span className="repo">
              {slot.ref.repo}
              <SlotRevision slot={slot} index={i} />
            </span>
            <button
              className="small remove"
              onClick={() => removeModel(store, i)}
              aria-label={`Remove ${slot.ref.repo}`}
              title="take this model out of the comparison"
              data-testid={`remove-${i}`}
            >
              ×
            </button>
            <SlotState slot={slot} index={i} />
            {slot.model && !slot.ref.local && <ClaimLine index={i} />}
            {slot.model && <FindRelativesButton index={i} />}
            {slot.model?.quantOptions && slot.model.quantOptions.length > 1 && (
              <QuantPicker index={i} model={slot.model} />
            )}
            {slot.status === 'loading' && (
              <button className="small" onClick={() => cancelLoad(store, i)} data-testid={`cancel-${i}`}>
                cancel
              </button>
            )}
            {slot.localFiles && <LocalFilesLine files={slot.localFiles} index={i} />}
            {slot.model?.warnings.map((w) => (
              <span key={w} className="warning">
                {w}
              </span>
            ))}
          </li>
        ))}
      </ul>
      {/* always one line tall, so the views below do not jump when the worker finishes */}
      <p className="muted status-line" data-testid="computing" data-active={computing}>
        {computingLine(computing, havePairs)}
      </p>
      {notComparable.map((n) => (
        <p key={`${n.a}-${n.b}-${n.norm ?? ''}`} className="not-comparable" data-testid="not-comparable">
          Not comparable: {n.reason}.
        </p>
      ))}
    </section>
  );
}
