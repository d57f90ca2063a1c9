// Debounced Hub search for the repo inputs' autocomplete list.
import { useEffect, useRef, useState } from 'react';
import { searchModels } from '../hub/searchModels';

export function useRepoSearch(hubUrl: string, text: string, delayMs = 300): string[] {
  const [ids, setIds] = useState<string[]>([]);
  // the text a permalink opened with is not a query: a reopen makes no request until someone types
  const opened = useRef(text);
  useEffect(() => {
    const query = text.split('@')[0]!.trim();
    if (query.length < 2 || text === opened.current) return;
    opened.current = null as unknown as string;
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
