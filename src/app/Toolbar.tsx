// Copy link, JSON export and the transfer total.
import { lineageExport, lineageRows } from '../views/lineage/lineageModel';
import { relativesExportRows, relativesLineageRows } from '../views/lineage/relativesModel';
import { useState } from 'react';
import { useApp, useAppStore } from '../state/storeContext';
import { currentPermalink } from '../state/urlSync';
import { exportJson as buildExportBlob } from '../state/wiring';
import { formatBytes } from '../core/format';
import type { LoadedModel } from '../core/types';
import { saveBlob } from '../views/download';
import { combinedVerdicts } from '../state/ancestry';

export function Toolbar() {
  const store = useAppStore();
  const complete = useApp((s) => s.analysisComplete);
  const slots = useApp((s) => s.slots);
  const computeMs = useApp((s) => s.computeMs);
  // a family scan alone (family=, nothing in the comparison) exports its judged claims
  const scanOnly = useApp((s) => s.slots.length === 0 && (s.scan?.status === 'done' || s.relatives?.status === 'done'));
  // a relatives search in progress holds the export until it ends
  const searching = useApp((s) => !!s.relatives && !['done', 'cancelled', 'error'].includes(s.relatives.status));
  const [copied, setCopied] = useState(false);
  const models = slots.map((s) => s.model).filter((m): m is LoadedModel => m !== null);
  const bytes = models.reduce((n, m) => n + m.transfer.bytes, 0);
  const requests = models.reduce((n, m) => n + m.transfer.requests, 0);
  const resolves = models.reduce((n, m) => n + (m.transfer.resolves ?? 0), 0);
  const total = models.reduce((n, m) => n + (m.totalModelBytes ?? 0), 0);

  const exportJson = () => {
    // indices in the export are positions in the query
    const s = store.getState();
    const lineage = lineageExport(
      [
        ...lineageRows(
          s.slots.map((x) => ({
            repo: x.ref.repo,
            local: !!x.ref.local,
            declared: x.model?.declared,
            loaded: !!x.model,
          })),
          s.evidence,
          s.notComparable,
          combinedVerdicts(s),
        ),
        ...relativesLineageRows(s.relatives),
      ],
      s.scan,
    );
    const relatives = relativesExportRows(s.relatives);
    void buildExportBlob(store, { lineage, relatives }).then((blob) => blob && saveBlob(blob, 'normscope-export.json'));
  };
  // a failed model holds nothing back: the loaded ones export, the failed ones are listed in `failed`
  const anyLoaded = models.length > 0;

  return (
    <div className="toolbar">
      <span className="transfer" data-testid="transfer">
        {models.length > 0 &&
          `read ${formatBytes(bytes)} of ${formatBytes(total)} in ${requests} requests (${resolves} through /resolve/)`}
        {computeMs !== null && ` · matrices ${computeMs.toFixed(0)} ms in a worker`}
      </span>
      <button
        onClick={() => {
          void navigator.clipboard?.writeText(currentPermalink(store)).then(() => setCopied(true));
          setTimeout(() => setCopied(false), 1500);
        }}
        data-testid="copy-link"
      >
        {copied ? 'copied' : 'Copy link'}
      </button>
      <button
        onClick={exportJson}
        disabled={searching || (!scanOnly && (!complete || !anyLoaded))}
        data-testid="export-json"
      >
        Export JSON
      </button>
    </div>
  );
}
