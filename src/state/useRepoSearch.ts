// Debounced Hub search for the repo inputs' autocomplete list.
import { useEffect, useState } from 'react';
import { searchModels } from '../hub/searchModels';

export function useRepoSearch(hubUrl: string, text: string, delayMs = 300): string[] {
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    const query = text.split('@')[0]!.trim();
    if (query.length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void searchModels(hubUrl, query, fetch, controller.signal).then((hits) => {
        if (!controller.signal.aborted) setIds(hits.map((h) => h.id));
      });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [hubUrl, text, delayMs]);
  return ids;
}
