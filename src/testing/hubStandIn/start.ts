// Runs the local Hub stand-in until killed.
//
//   npx tsx src/testing/hubStandIn/start.ts --port 5555 --cdn-port 5556 --root public/demo-hub --root e2e/.fixtures/hub
//     [--host 127.0.0.1] [--cdn-host localhost] [--token hf_abc=org/repo,org/other] [--token hf_all=*]
//     [--latency 50] [--no-redirect] [--tree-page-size 2] [--http1] [--drop-every 5]
//
// Both origins speak HTTP/2 over TLS (self-signed certificate made at start) unless --http1.
// Prints the two URLs. Faults can be changed at run time: POST {hub}/__standin/faults with JSON.

import { existsSync } from 'node:fs';
import { startHubStandIn, type HubStandInOptions } from './server.ts';

function usage(): never {
  console.log(
    'usage: tsx src/testing/hubStandIn/start.ts [--port N] [--cdn-port N] --root DIR [--root DIR…] [--host H] [--cdn-host H]\n' +
      '                            [--token TOKEN=repo,repo|*] [--latency MS] [--no-redirect] [--tree-page-size N] [--http1] [--drop-every N]',
  );
  process.exit(0);
}

function parse(argv: string[]): HubStandInOptions {
  const opts: HubStandInOptions = { roots: [], hubPort: 5555, cdnPort: 5556, tokens: {}, protocol: 'h2' };
  const next = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  const int = (v: string, flag: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--port':
        opts.hubPort = int(next(++i, a), a);
        break;
      case '--cdn-port':
        opts.cdnPort = int(next(++i, a), a);
        break;
      case '--root':
        opts.roots.push(next(++i, a));
        break;
      case '--host':
        opts.host = next(++i, a);
        break;
      case '--cdn-host':
        opts.cdnHost = next(++i, a);
        break;
      case '--token': {
        const [token, repos] = next(++i, a).split('=');
        if (!token || !repos) throw new Error('--token needs TOKEN=repo[,repo…] or TOKEN=*');
        (opts.tokens as Record<string, string[]>)[token] = repos.split(',');
        break;
      }
      case '--latency':
        opts.faults = { ...opts.faults, latencyMs: int(next(++i, a), a) };
        break;
      case '--http1':
        opts.protocol = 'http1';
        break;
      case '--drop-every':
        opts.faults = { ...opts.faults, dropEvery: int(next(++i, a), a) };
        break;
      case '--no-redirect':
        opts.smallFilesRedirect = false;
        break;
      case '--tree-page-size':
        opts.treePageSize = int(next(++i, a), a);
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  if (opts.roots.length === 0) opts.roots.push('public/demo-hub');
  return opts;
}

const opts = parse(process.argv.slice(2));
for (const root of opts.roots) {
  if (!existsSync(root))
    console.warn(`hub stand-in: root ${root} does not exist (yet); repos there appear once written`);
}
const hub = await startHubStandIn(opts);
console.log(`hub stand-in: hub ${hub.hubUrl}`);
console.log(`hub stand-in: cdn ${hub.cdnUrl}`);
console.log(`hub stand-in: ${hub.protocol === 'h2' ? 'HTTP/2 + TLS (self-signed; HTTP/1.1 by ALPN)' : 'HTTP/1.1'}`);
console.log(`hub stand-in: roots ${opts.roots.join(', ')}`);
console.log(`hub stand-in: control ${hub.hubUrl}/__standin/stats | POST /__standin/reset | POST /__standin/faults`);

const stop = () => {
  void hub.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
