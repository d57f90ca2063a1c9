// `npx tsx scripts/bench/floorRatios.ts <label>` (issue #17): the app against the floor client in the
// same run, on the stand-in over HTTP/2 + TLS at NET_LATENCY_MS per response: GLM-sized vs Solar-sized
// and three small models, cold. Adds (or replaces) the rows of `<label>` ("before", "after") in the
// `floor` section of BENCHMARKS.md and writes .reports/floor-<label>.json (late requests listed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { coldRun, row, times, withAppAndBrowser, withHub, NET_LATENCY_MS } from './network.ts';
import { GLM_SIZED, SOLAR_SIZED } from './netRepos.ts';
import { readMarkedSection, writeMarkedSection } from './sections.ts';

const SMALL = ['normscope-demo/glm-like-base', 'normscope-demo/glm-like-sft', 'normscope-demo/solar-like'];
const SECTION = 'floor';

const INTRO = `## At the floor (issue #17): the app against a floor client, same stand-in, same run

HTTP/2 + TLS, ${NET_LATENCY_MS} ms added to every response, cold browser profile each time. The floor client
(scripts/bench/floor.ts) already knows each shard's header size and where each norm lies; in Chromium it fetches
the revision API of every model, then every shard's header [0, 8 + N) through /resolve/ (following the redirect),
then every norm from the CDN URL that redirect gave (touching tensors in one range), each stage all in flight,
computing nothing. The app's times run from navigation: first heatmap (a Pearson heatmap visible) and every
verdict in (the export enabled); both as multiples of the floor measured just before. Bytes: the app's
safetensors + index bytes until the first heatmap over the floor's headers + norms. Longest main-thread task:
from a Chromium trace, navigation to the last verdict: wall time (and that task's thread time), then the longest
by thread time; on this shared 2-core machine wall time also counts waiting for a core.
Targets: first heatmap ≤ 1.5×, every verdict ≤ 2.5×, bytes ≤ 1.1×, no task over 50 ms.

Rows of the third session: \`before\` = 925bb62 (index read, headers sized from it), \`after\`, \`17b-*\` and
\`final-quiet*\` = its branches (headers read directly, no index). On that shared machine (load average 11–17)
ratios moved by ±0.2× from run to run. **Their longest-task columns are not the page's:** the trace holds
Chromium's own renderers too (its WebUI pages evaluate large modules at start-up), and every CrRendererMain
thread was counted; the "v8.evaluateModule" tasks of 40–136 ms were those. From the fourth session's rows on
(\`s4-*\`) only the renderer that marked \`normscope:load-start\` counts (scripts/bench/mainThread.ts).

Fourth session: \`s4-before\` = 83e2aad (main when it began, measured with the corrected trace filter),
\`s4-after\` = main with the cache LRU no longer rescanning its values on every write (4.7 s of loader CPU
in one cold GLM-vs-Solar load, measured by a JS profile of the worker), cache writes batched and started
after the heatmaps, the loads started before React is evaluated, and each verdict's parts spread over both
compute workers. Rows with the same suffix ran back to back; the load average is in the label when the
machine was not quiet. From the fourth session on, "first heatmap painted, page clock" is the page's own clock at the animation frame after the first heatmap was drawn (mark \`normscope:heatmap-painted\`): on screen, without the test driver's polling, which lags by up to 400 ms once the verdicts take both cores. A timeline of one run: \`npx tsx scripts/bench/timeline.ts [glm|small]\`.`;

async function main() {
  const label = process.argv[2] ?? 'after';
  const rows: Record<string, unknown>[] = [];
  const late: Record<string, string[]> = {};
  await withAppAndBrowser((browser) =>
    withHub({}, async (hub) => {
      for (const [name, models] of [
        ['GLM-sized vs Solar-sized', [GLM_SIZED, SOLAR_SIZED]],
        ['three small demo models', SMALL],
      ] as const) {
        const r = await coldRun(browser, hub, [...models]);
        await r.context.close();
        late[name] = [
          `floor stages (ms): ${r.floor?.stages.map(Math.round).join(' / ')}`,
          `longest task by CPU, inside: ${r.longestTask.inside}`,
          ...r.lateRequests,
        ];
        rows.push({
          when: label,
          ...row(`cold: ${name}`, r, {
            'first heatmap painted, page clock (× floor)':
              r.paintedMs === null ? '–' : times(Math.round(r.paintedMs), r.floor),
          }),
        });
      }
    }),
  );
  mkdirSync('.reports', { recursive: true });
  writeFileSync(`.reports/floor-${label}.json`, JSON.stringify({ rows, late }, null, 2));
  const keys = Object.keys(rows[0]!);
  const line = (r: Record<string, unknown>) =>
    `| ${keys.map((k) => (r[k] === undefined ? '' : String(r[k]))).join(' | ')} |`;
  // keep the other labels' rows
  const kept = readMarkedSection(SECTION)
    .split('\n')
    .filter(
      (l) => l.startsWith('| ') && !l.startsWith(`| ${label} |`) && !l.startsWith('| when |') && !l.startsWith('| ---'),
    );
  writeMarkedSection(
    SECTION,
    [INTRO, '', `| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`, ...kept, ...rows.map(line)].join(
      '\n',
    ),
  );
  console.log(JSON.stringify({ rows, late }, null, 2));
}

await main();
