import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { searchModels } from './searchModels';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { writeStaticRepo } from '../../scripts/demo/staticHub';
import { buildNeoxLikeRepo } from '../../scripts/demo/smallArchRepos';

let hub: HubStandIn;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'ns-search-'));
  for (const name of ['alpha-small', 'alpha-large', 'beta']) {
    writeStaticRepo(root, buildNeoxLikeRepo({ repo: `acme/${name}`, hidden: 16, layers: 2, seed: name }));
  }
  hub = await startHubStandIn({ roots: [root], hubPort: 0, cdnPort: 0 });
});

afterAll(async () => {
  await hub.close();
});

describe('searchModels', () => {
  it('finds repos by substring through the search API', async () => {
    const hits = await searchModels(hub.hubUrl, 'alpha');
    expect(hits.map((h) => h.id).sort()).toEqual(['acme/alpha-large', 'acme/alpha-small']);
  });

  it('asks nothing for queries under two characters', async () => {
    let calls = 0;
    const counting = (async () => {
      calls++;
      return new Response('[]');
    }) as unknown as typeof fetch;
    expect(await searchModels(hub.hubUrl, 'a', counting)).toEqual([]);
    expect(calls).toBe(0);
  });

  it('yields no hits, never an error, where the hub has no search route', async () => {
    const html = (async () =>
      new Response('<!doctype html><p>index</p>', {
        headers: { 'content-type': 'text/html' },
      })) as unknown as typeof fetch;
    expect(await searchModels('http://static.example', 'alpha', html)).toEqual([]);
    const broken = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await searchModels('http://offline.example', 'alpha', broken)).toEqual([]);
  });
});
