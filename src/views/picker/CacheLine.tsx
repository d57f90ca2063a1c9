// The cache's size and cap, and the control to change the cap, beside "Clear cached tensors".
import { useEffect, useState } from 'react';
import { cacheInfo, setCacheCapMb, type CacheInfo } from '../../state/cacheActions';
import { formatBytes } from '../../core/format';

export function CacheLine({ refresh }: { refresh: number }) {
  const [info, setInfo] = useState<CacheInfo | null>(null);
  useEffect(() => {
    void cacheInfo()
      .then(setInfo)
      .catch(() => setInfo(null));
  }, [refresh]);
  if (!info) return null;
  return (
    <span className="hint" data-testid="cache-line">
      cache holds {formatBytes(info.bytes)} in {info.entries} entries; least recently used evicted beyond{' '}
      <label className="inline">
        <input
          type="number"
          min={0}
          step={64}
          aria-label="cache cap in MB"
          data-testid="cache-cap"
          style={{ width: '6em' }}
          defaultValue={Math.round(info.capBytes / 1024 / 1024)}
          onChange={(e) => {
            const mb = Number(e.target.value);
            if (Number.isFinite(mb) && mb >= 0) void setCacheCapMb(mb).then(setInfo);
          }}
        />{' '}
        MB
      </label>
    </span>
  );
}
