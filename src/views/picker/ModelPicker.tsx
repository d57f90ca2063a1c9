// Repo inputs (org/name@rev), hub and token. Submitting rewrites the query and reloads.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { clearCache, runComparison } from '../../state/wiring';
import { CacheLine } from './CacheLine';
import { parseRepoRef } from '../../core/permalink';
import type { RepoRef } from '../../core/types';
import { DEMO_HUB_ALIAS, originOf, resolveHubUrl } from '../../state/hubUrl';
import { persistToken } from '../../state/token';
import { useRepoSearch } from '../../state/useRepoSearch';
import { suggestionsFor } from './baselines';
import { LocalFilesPanel } from '../local/LocalFilesPanel';

const refText = (r: RepoRef) => (r.revision === 'main' ? r.repo : `${r.repo}@${r.revision}`);

/** Hub URL, access token and the tensor cache. */
function HubSettings({
  hub,
  setHub,
  tokenText,
  setTokenText,
  remember,
  setRemember,
}: {
  hub: string;
  setHub: (v: string) => void;
  tokenText: string;
  setTokenText: (v: string) => void;
  remember: boolean;
  setRemember: (v: boolean) => void;
}) {
  const store = useAppStore();
  const [cacheRefresh, setCacheRefresh] = useState(0);
  return (
    <details className="settings">
      <summary>Hub and access token</summary>
      <label>
        Hub URL
        <input
          data-testid="hub-input"
          placeholder="https://huggingface.co (default) · demo · http://127.0.0.1:5555"
          value={hub}
          spellCheck={false}
          onChange={(e) => setHub(e.target.value)}
        />
      </label>
      <label>
        Access token (gated or private repos)
        <input
          data-testid="token-input"
          type="password"
          autoComplete="off"
          placeholder="hf_…"
          value={tokenText}
          onChange={(e) => setTokenText(e.target.value)}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        remember for this tab (sessionStorage)
      </label>
      <p className="hint">
        The token is kept in memory, sent only to the hub it was entered for, and never written into a link, an export
        or the cache.
      </p>
      <button
        type="button"
        className="small"
        onClick={() => void clearCache(store).then(() => setCacheRefresh((n) => n + 1))}
        data-testid="clear-cache"
      >
        Clear cached tensors
      </button>{' '}
      <CacheLine refresh={cacheRefresh} />
    </details>
  );
}

/** Unrelated same-width models to add as baselines. */
function Baselines({
  suggestions,
  onAdd,
}: {
  suggestions: ReturnType<typeof suggestionsFor>;
  onAdd: (repo: string) => void;
}) {
  return (
    <div className="baselines" data-testid="baselines">
      <span
        className="muted"
        title="Unrelated models of the same width show what 'no relation' scores on these metrics, as the seed's Figure 5 does by hand"
      >
        Add a baseline (same hidden size):
      </span>
      {suggestions.map((s) => (
        <button
          type="button"
          key={s.repo}
          className="small"
          title={s.note}
          data-testid={`baseline-${s.repo}`}
          onClick={() => onAdd(s.repo)}
        >
          + {s.repo}
        </button>
      ))}
      <span className="hint">then Compare: every pair is read against how unrelated pairs score.</span>
    </div>
  );
}

/** The form's validation problems, announced as an alert. */
function FormErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="form-errors" role="alert" data-testid="form-errors">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

export function ModelPicker() {
  const store = useAppStore();
  const query = useApp((s) => s.query);
  const token = useApp((s) => s.token);
  const [inputs, setInputs] = useState<string[]>(() => {
    const texts = query.models.filter((m) => !m.local).map(refText);
    while (texts.length < 2) texts.push('');
    return texts;
  });
  const [hub, setHub] = useState(query.hub ?? '');
  const [tokenText, setTokenText] = useState(token?.token ?? '');
  const [remember, setRemember] = useState(token?.remember ?? false);
  const [errors, setErrors] = useState<string[]>([]);
  const [focused, setFocused] = useState(0);
  const hubUrl = resolveHubUrl(hub.trim() === '' ? null : hub.trim(), document.baseURI);
  const hits = useRepoSearch(hubUrl, inputs[focused] ?? '');
  const slots = useApp((s) => s.slots);
  const loadedSizes = slots.flatMap((slot) => (slot.model ? [slot.model.hiddenSize] : []));
  const suggestions = suggestionsFor(loadedSizes, inputs, hub.trim() === DEMO_HUB_ALIAS);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: string[] = [];
    const models: RepoRef[] = [];
    inputs.forEach((text, i) => {
      if (!text.trim()) return;
      const parsed = parseRepoRef(text.trim());
      if (parsed.ok) models.push(parsed.ref);
      else problems.push(`Model ${i + 1}: ${parsed.error}`);
    });
    const hubValue = hub.trim() === '' ? null : hub.trim().replace(/\/+$/, '');
    if (hubValue && hubValue !== DEMO_HUB_ALIAS && !/^https?:\/\/[^\s]+$/.test(hubValue)) {
      problems.push('Hub: give an http(s) URL such as https://huggingface.co, or "demo" for the built-in demo.');
    }
    // local models stay in the comparison: the form only lists Hub repos
    const local = store.getState().query.models.filter((m) => m.local);
    if (models.length + local.length < 2)
      problems.push('Give at least two models to compare (repo ids, or local files below).');
    setErrors(problems);
    if (problems.length > 0) return;
    const hubUrl = resolveHubUrl(hubValue, document.baseURI);
    const setting = tokenText.trim() ? { token: tokenText.trim(), origin: originOf(hubUrl), remember } : null;
    store.setState({ token: setting });
    persistToken(setting);
    setQuery(store, { hub: hubValue, models: [...models, ...local], cell: null, pair: null });
    void runComparison(store);
  };

  return (
    <form className="picker" onSubmit={submit} data-testid="model-picker" aria-label="Models to compare">
      <div className="repo-inputs">
        {inputs.map((text, i) => (
          <div className="repo-input" key={i}>
            <input
              aria-label={`Model ${i + 1} repo`}
              data-testid={`repo-input-${i}`}
              placeholder="org/name or org/name@revision"
              value={text}
              spellCheck={false}
              list="repo-suggestions"
              onFocus={() => setFocused(i)}
              onChange={(e) => setInputs(inputs.map((t, j) => (j === i ? e.target.value : t)))}
            />
            {inputs.length > 2 && (
              <button
                type="button"
                className="small"
                aria-label={`Remove model ${i + 1}`}
                onClick={() => setInputs(inputs.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <button type="button" className="small" onClick={() => setInputs([...inputs, ''])} data-testid="add-model">
          + model
        </button>
        <datalist id="repo-suggestions">
          {hits.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
      </div>
      <HubSettings
        hub={hub}
        setHub={setHub}
        tokenText={tokenText}
        setTokenText={setTokenText}
        remember={remember}
        setRemember={setRemember}
      />
      <div className="picker-actions">
        <button type="submit" className="primary" data-testid="compare">
          Compare
        </button>
        <button
          type="button"
          className="small"
          onClick={() => {
            setInputs(['normscope-demo/glm-like-base', 'normscope-demo/glm-like-sft', 'normscope-demo/solar-like']);
            setHub(DEMO_HUB_ALIAS);
          }}
        >
          use demo models
        </button>
      </div>
      {suggestions.length > 0 && (
        <Baselines
          suggestions={suggestions}
          onAdd={(repo) => setInputs([...inputs.filter((t) => t.trim() !== ''), repo])}
        />
      )}
      <LocalFilesPanel />
      <FormErrors errors={errors} />
    </form>
  );
}
