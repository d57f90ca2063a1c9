import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HUB,
  defaultQuery,
  formatModelRef,
  formatQuery,
  formatRepoRef,
  localRef,
  normalizeHub,
  parseModelRef,
  parseQuery,
  parseRepoRef,
  type ViewQuery,
} from './permalink';
import { repoIdError } from './repoPaths';

describe('parseRepoRef', () => {
  it('accepts namespace/name, bare legacy names and revisions with slashes', () => {
    expect(parseRepoRef('zai-org/GLM-4.5-Air@main')).toEqual({
      ok: true,
      ref: { repo: 'zai-org/GLM-4.5-Air', revision: 'main' },
    });
    expect(parseRepoRef('gpt2')).toEqual({ ok: true, ref: { repo: 'gpt2', revision: 'main' } });
    expect(parseRepoRef(' org/a@refs/pr/1 ')).toEqual({ ok: true, ref: { repo: 'org/a', revision: 'refs/pr/1' } });
    expect(parseRepoRef('org/a@0123abc')).toMatchObject({ ok: true, ref: { revision: '0123abc' } });
  });

  it('reads a GGUF quantization suffix as llama.cpp writes it, and writes it back', () => {
    expect(parseRepoRef('unsloth/gemma-3-4b-it-GGUF:q4_k_m')).toEqual({
      ok: true,
      ref: { repo: 'unsloth/gemma-3-4b-it-GGUF', revision: 'main', quant: 'Q4_K_M' },
    });
    expect(parseRepoRef('org/m-GGUF@refs/pr/2:UD-Q2_K_XL')).toEqual({
      ok: true,
      ref: { repo: 'org/m-GGUF', revision: 'refs/pr/2', quant: 'UD-Q2_K_XL' },
    });
    expect(parseRepoRef('org/m:<b>')).toMatchObject({ ok: false });
    expect(formatRepoRef({ repo: 'org/m-GGUF', revision: 'abc', quant: 'Q8_0' })).toBe('org/m-GGUF@abc:Q8_0');
    expect(parseQuery('?m=org/m-GGUF@abc:Q8_0').query.models).toEqual([
      { repo: 'org/m-GGUF', revision: 'abc', quant: 'Q8_0' },
    ]);
    expect(parseRepoRef(`org/${'n'.repeat(96)}`).ok).toBe(true);
  });

  it.each([
    ['org/a/b', /more than one/],
    ['org/', /empty/],
    ['/a', /empty/],
    ['org/na me', /may only contain/],
    ['org/-a', /start or end/],
    ['org/a.', /start or end/],
    ['.org/a', /start or end/],
    ['org/a--b', /"--"/],
    ['org/a..b', /"\.\."/],
    ['org/model.git', /\.git/],
    [`org/${'n'.repeat(97)}`, /at most 96/],
    ['org/<script>', /may only contain/],
    ['org/a@', /revision after "@" is empty/],
    ['org/a@feature branch', /git does not allow/],
    ['org/a@../../etc', /not a valid git ref/],
    ['org/a@refs/pr/', /not a valid git ref/],
    [`org/a@${'r'.repeat(256)}`, /longer than 255/],
  ])('rejects %s', (text, message) => {
    const result = parseRepoRef(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('formats the revision URL-encoded', () => {
    expect(formatRepoRef({ repo: 'org/a', revision: 'refs/pr/1' })).toBe('org/a@refs%2Fpr%2F1');
    expect(repoIdError('Org_1/Model-2.5')).toBeNull();
  });
});

describe('normalizeHub', () => {
  it('keeps http(s) URLs without the trailing slash, and the demo alias', () => {
    expect(normalizeHub('http://127.0.0.1:5555')).toEqual({ ok: true, hub: 'http://127.0.0.1:5555' });
    expect(normalizeHub('https://hf-mirror.example/hub/')).toEqual({ ok: true, hub: 'https://hf-mirror.example/hub' });
    expect(normalizeHub('demo')).toEqual({ ok: true, hub: 'demo' });
  });

  it.each(['javascript:alert(1)', 'ftp://host', 'not a url', 'https://user:pw@host', 'https://host/?x=1', ''])(
    'rejects %s',
    (text) => {
      expect(normalizeHub(text).ok).toBe(false);
    },
  );
});

describe('parseQuery', () => {
  it('reads every parameter', () => {
    const { query, errors } = parseQuery(
      '?hub=http://127.0.0.1:5555/&m=org/a@abc123&m=org/b@refs%2Fpr%2F1&m=gpt2&norm=post&metric=cosine&cell=3,4&pair=0,2&view=ridge&layer=7&win=5',
    );
    expect(errors).toEqual([]);
    expect(query).toEqual({
      hub: 'http://127.0.0.1:5555',
      models: [
        { repo: 'org/a', revision: 'abc123' },
        { repo: 'org/b', revision: 'refs/pr/1' },
        { repo: 'gpt2', revision: 'main' },
      ],
      norm: 'post',
      metric: 'cosine',
      cell: [3, 4],
      pair: [0, 2],
      view: 'ridge',
      extra: { layer: '7', win: '5' },
    } satisfies ViewQuery);
  });

  it('gives the defaults for an empty query, with or without "?"', () => {
    expect(parseQuery('')).toEqual({ query: defaultQuery(), errors: [] });
    expect(parseQuery('?')).toEqual({ query: defaultQuery(), errors: [] });
    expect(parseQuery('norm=post').query.norm).toBe('post');
    for (const role of ['attn_out', 'ffn_out', 'q', 'k', 'q_a', 'kv_a'] as const) {
      expect(parseQuery(`norm=${role}`).query.norm).toBe(role);
      expect(formatQuery({ ...defaultQuery(), norm: role })).toBe(`?norm=${role}`);
    }
    expect(parseQuery(`?hub=${DEFAULT_HUB}/`).query.hub).toBeNull();
  });

  it('falls back to defaults with one sentence per bad parameter, never throwing', () => {
    const { query, errors } = parseQuery(
      '?hub=javascript:alert(1)&m=org/<b>x</b>&m=org/ok&norm=middle&metric=dot&cell=-1,2&pair=0,9&view=<img src=x>',
    );
    expect(query).toEqual({ ...defaultQuery(), models: [{ repo: 'org/ok', revision: 'main' }] });
    expect(errors).toHaveLength(7);
    for (const [i, name] of ['hub', 'm', 'norm', 'metric', 'view', 'cell', 'pair'].entries()) {
      expect(errors[i]).toContain(`Parameter "${name}"`);
    }
  });

  it('rejects huge and malformed indices', () => {
    for (const cell of ['99999999999999999999,1', '1e3,2', '1,2,3', '1.5,2', ' 1,2', '1000001,0', '']) {
      const { query, errors } = parseQuery(`?cell=${encodeURIComponent(cell)}`);
      expect(query.cell).toBeNull();
      expect(errors[0]).toMatch(/Parameter "cell" must be two layer indices/);
    }
    expect(parseQuery('?cell=100000,0').query.cell).toEqual([100000, 0]);
  });

  it('uses the first of duplicated parameters and says so', () => {
    const { query, errors } = parseQuery('?norm=post&norm=input&layer=1&layer=2');
    expect(query.norm).toBe('post');
    expect(query.extra).toEqual({ layer: '1' });
    expect(errors).toEqual([
      'Parameter "norm" appears 2 times; the first one is used.',
      'Parameter "layer" appears 2 times; the first one is used.',
    ]);
  });

  it('keeps hostile text as inert data and bounds what it keeps', () => {
    const { query, errors } = parseQuery(
      `?note=${encodeURIComponent('<script>alert(1)</script>')}&big=${'x'.repeat(300)}&__proto__=1&a%20b=2`,
    );
    expect(query.extra).toEqual({ note: '<script>alert(1)</script>' });
    expect(Object.getPrototypeOf(query.extra)).toBe(Object.prototype);
    expect(errors).toHaveLength(3);
    expect(errors.join(' ')).toMatch(/"big" is too long/);
  });

  it('caps the number of models', () => {
    const { query, errors } = parseQuery(Array.from({ length: 40 }, (_, i) => `m=org/m${i}`).join('&'));
    expect(query.models).toHaveLength(16);
    expect(errors[0]).toMatch(/lists 40 models; only the first 16/);
  });

  it('keeps the demo hub alias', () => {
    expect(parseQuery('?hub=demo&m=demo/tiny-a').query).toMatchObject({
      hub: 'demo',
      models: [{ repo: 'demo/tiny-a', revision: 'main' }],
    });
  });
});

describe('formatQuery', () => {
  it('omits defaults', () => {
    expect(formatQuery(defaultQuery())).toBe('');
    expect(formatQuery({ ...defaultQuery(), hub: DEFAULT_HUB, models: [{ repo: 'org/a', revision: 'main' }] })).toBe(
      '?m=org/a@main',
    );
  });

  it('writes a readable canonical query', () => {
    const query: ViewQuery = {
      hub: 'http://127.0.0.1:5555',
      models: [
        { repo: 'org/a', revision: 'abc' },
        { repo: 'org/b', revision: 'refs/pr/1' },
      ],
      norm: 'post',
      metric: 'cosine',
      cell: [1, 2],
      view: 'ridge',
      pair: [0, 1],
      extra: { win: '5', layer: 'a&b=c' },
    };
    expect(formatQuery(query)).toBe(
      '?hub=http://127.0.0.1:5555&m=org/a@abc&m=org/b@refs%2Fpr%2F1&norm=post&metric=cosine&cell=1,2&pair=0,1&view=ridge&layer=a%26b%3Dc&win=5',
    );
  });

  it('round-trips through parseQuery', () => {
    const queries: ViewQuery[] = [
      defaultQuery(),
      {
        ...defaultQuery(),
        hub: 'demo',
        models: [
          { repo: 'demo/a', revision: 'v1.0+build' },
          { repo: 'gpt2', revision: 'main' },
        ],
        pair: [1, 0],
      },
      {
        ...defaultQuery(),
        hub: 'https://mirror.example/hf',
        models: [{ repo: 'o/x', revision: 'refs/pr/12' }],
        cell: [0, 0],
        extra: { q: '100% sure?' },
      },
    ];
    for (const query of queries) {
      const formatted = formatQuery(query);
      expect(parseQuery(formatted)).toEqual({ query, errors: [] });
      expect(formatQuery(parseQuery(formatted).query)).toBe(formatted);
    }
  });
});

describe('local models in m=', () => {
  it('parses local:LABEL with the file names to drop, and never as a Hub repo', () => {
    expect(parseModelRef('local:My Model/config.json/model-00001-of-00002.safetensors')).toEqual({
      ok: true,
      ref: {
        repo: 'My Model',
        revision: 'local',
        local: { files: ['config.json', 'model-00001-of-00002.safetensors'] },
      },
    });
    expect(parseModelRef('local:glm-Q4_K_M')).toEqual({
      ok: true,
      ref: { repo: 'glm-Q4_K_M', revision: 'local', local: { files: [] } },
    });
    // "local:x" is not a valid repo id, so nothing that parses as a Hub ref changes meaning
    expect(parseRepoRef('local:x').ok).toBe(false);
    expect(parseModelRef('org/local@main')).toEqual({ ok: true, ref: { repo: 'org/local', revision: 'main' } });
    expect(parseModelRef('local@main')).toEqual({ ok: true, ref: { repo: 'local', revision: 'main' } });
  });

  it.each([
    ['local:', /needs a label/],
    ['local:/a.gguf', /needs a label/],
    ['local:m//x.gguf', /non-empty file name/],
    ['local:m/..', /non-empty file name/],
    [`local:${'x'.repeat(201)}`, /at most 200/],
    ['local:m\u0001', /control character/],
    [`local:m${'/f'.repeat(65)}`, /more than 64 files/],
  ])('rejects %s', (text, message) => {
    const result = parseModelRef(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('formats readable links, keeps only base names, drops the file list when long', () => {
    expect(formatModelRef(localRef('My Model', ['My Model/config.json', 'My Model/a b&c.safetensors']))).toBe(
      'local:My%20Model/config.json/a%20b%26c.safetensors',
    );
    expect(formatModelRef({ repo: 'org/a', revision: 'main' })).toBe('org/a@main');
    const many = Array.from({ length: 40 }, (_, i) => `model-${String(i + 1).padStart(5, '0')}-of-00040.safetensors`);
    expect(formatModelRef(localRef('big', many))).toBe('local:big');
  });

  it('round-trips local and Hub models side by side, and a bad local ref is one skipped model', () => {
    const query: ViewQuery = {
      ...defaultQuery(),
      hub: 'demo',
      models: [
        { repo: 'normscope-demo/glm-like-base', revision: 'abc' },
        localRef('Mine (v2)', ['config.json', 'model.safetensors']),
        localRef('x-Q8_0'),
      ],
      pair: [0, 1],
    };
    const text = formatQuery(query);
    expect(text).toBe(
      '?hub=demo&m=normscope-demo/glm-like-base@abc&m=local:Mine%20(v2)/config.json/model.safetensors&m=local:x-Q8_0&pair=0,1',
    );
    expect(parseQuery(text)).toEqual({ query, errors: [] });
    const { query: q, errors } = parseQuery('?m=local:&m=org/a');
    expect(q.models).toEqual([{ repo: 'org/a', revision: 'main' }]);
    expect(errors[0]).toMatch(/Parameter "m":.*needs a label.*skipped/);
  });
});
