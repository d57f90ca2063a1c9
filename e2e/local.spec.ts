// Local checkpoints, nothing uploaded: real safetensors and GGUF files built here, fed to the file
// picker, the folder picker and a synthetic drop, compared with a demo Hub model and with each other.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTensor, encodeBf16 } from '../src/core/dtypes';
import { serializeSafetensors, type SerializableTensor } from '../src/core/safetensors';
import { realisticGguf } from '../src/core/gguf/testing/realisticGguf';
import { writeGguf } from '../src/core/gguf/testing/writeGguf';
import { shot, waitForAnalysis, waitForSlots } from './helpers';
import { DEMO, DEMO_ROOT, ROLE_PATTERN, cosine64, demoSha, pearson64, readNormVectors } from './reference';

const HIDDEN = 4096;
const FINE_LAYERS = 12;
const OTHER_LAYERS = 8;
type Role = 'input' | 'post';
const ROLE_TENSOR: Record<Role, string> = { input: 'input_layernorm', post: 'post_attention_layernorm' };

interface Written {
  files: { name: string; bytes: Uint8Array }[];
  /** the γ the app must see: decoded from the BF16 bytes written, float64 */
  gamma: Record<Role, Map<number, Float64Array>>;
}

function llamaConfig(layers: number): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: HIDDEN,
      num_hidden_layers: layers,
      num_attention_heads: 32,
      torch_dtype: 'bfloat16',
    }),
  );
}

/** Llama-style shards of BF16 norms (and small attention matrices that must never be read). */
function llamaShards(
  layers: number,
  value: (role: Role, layer: number, i: number) => number,
  shards: number,
  matrixCols: number,
): Written & { shardNames: string[] } {
  const gamma: Written['gamma'] = { input: new Map(), post: new Map() };
  const perShard = Math.ceil(layers / shards);
  const shardNames = Array.from({ length: shards }, (_, s) =>
    shards === 1
      ? 'model.safetensors'
      : `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`,
  );
  const weightMap: Record<string, string> = {};
  const files = shardNames.map((name, s) => {
    const tensors: SerializableTensor[] = [];
    for (let l = s * perShard; l < Math.min(layers, (s + 1) * perShard); l++) {
      for (const role of ['input', 'post'] as Role[]) {
        const bytes = encodeBf16(Float32Array.from({ length: HIDDEN }, (_, i) => value(role, l, i)));
        gamma[role].set(l, Float64Array.from(decodeTensor(bytes, 'BF16')));
        tensors.push({
          name: `model.layers.${l}.${ROLE_TENSOR[role]}.weight`,
          dtype: 'BF16',
          shape: [HIDDEN],
          data: bytes,
        });
      }
      tensors.push({
        name: `model.layers.${l}.self_attn.q_proj.weight`,
        dtype: 'BF16',
        shape: [matrixCols, HIDDEN],
        data: new Uint8Array(matrixCols * HIDDEN * 2).fill(l + 1),
      });
    }
    if (s === shards - 1)
      tensors.push({
        name: 'model.norm.weight',
        dtype: 'BF16',
        shape: [HIDDEN],
        data: encodeBf16(new Float32Array(HIDDEN).fill(1)),
      });
    for (const t of tensors) weightMap[t.name] = name;
    return { name, bytes: serializeSafetensors(tensors, { format: 'pt' }) };
  });
  const extra =
    shards > 1
      ? [
          {
            name: 'model.safetensors.index.json',
            bytes: new TextEncoder().encode(JSON.stringify({ metadata: {}, weight_map: weightMap })),
          },
        ]
      : [];
  return { files: [{ name: 'config.json', bytes: llamaConfig(layers) }, ...extra, ...files], gamma, shardNames };
}

// "MyFinetune": the demo base's first 12 layers with a small pattern added (a pruned fine-tune)
const base = {
  input: readNormVectors(DEMO_ROOT, DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.input),
  post: readNormVectors(DEMO_ROOT, DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.post),
};
const fine = llamaShards(FINE_LAYERS, (role, l, i) => base[role].get(l)![i]! + 0.004 * Math.sin(i * 0.37 + l), 2, 64);
// an unrelated local model of the same width, one file
const other = llamaShards(
  OTHER_LAYERS,
  (role, l, i) => 0.8 + 0.3 * Math.sin(i * 1.618 + l * 7 + (role === 'post' ? 3 : 0)) ** 3,
  1,
  32,
);
const gguf = realisticGguf({ arch: 'llama', layers: 4, hidden: 256, vocab: 512, name: 'Tiny GGUF' });
const ggufBytes = writeGguf(gguf.file).bytes;

/** the folder on disk for the folder picker: MyFinetune/{config.json, index, 2 shards, README.md} */
function writeFolder(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'normscope-local-'));
  const dir = join(root, 'MyFinetune');
  mkdirSync(dir);
  for (const f of fine.files) writeFileSync(join(dir, f.name), f.bytes);
  writeFileSync(join(dir, 'README.md'), '# my fine-tune\n');
  return { root, dir };
}

const folders: string[] = [];
test.afterAll(() => {
  for (const root of folders) rmSync(root, { recursive: true, force: true });
});

const asPayload = (files: { name: string; bytes: Uint8Array }[]) =>
  files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.bytes) }));

/** A drop as a page script makes it: dragenter (the overlay), then drop on `selector`. */
async function drop(
  page: Page,
  files: { name: string; bytes: Uint8Array }[],
  selector = 'body',
  opts: { screenshot?: string } = {},
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const u = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
        dt.items.add(new File([u], f.name));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') })),
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  if (opts.screenshot) await page.screenshot({ path: `e2e/screenshots/${opts.screenshot}.png` });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
}

const slotsOf = (page: Page) =>
  page.evaluate(() => {
    const s = (
      window as unknown as {
        __normscope: {
          store: {
            getState(): {
              slots: {
                jobId: string;
                status: string;
                model: { transfer: { bytes: number; requests: number }; totalModelBytes: number } | null;
              }[];
            };
          };
        };
      }
    ).__normscope.store.getState();
    return s.slots.map((x) => ({
      jobId: x.jobId,
      status: x.status,
      bytes: x.model?.transfer.bytes ?? null,
      requests: x.model?.transfer.requests ?? null,
      total: x.model?.totalModelBytes ?? null,
    }));
  });

function checkPair(
  pair: { cosine: number[][]; pearson: number[][] },
  a: Map<number, Float64Array>,
  b: Map<number, Float64Array>,
): number {
  let checked = 0;
  for (const [i, va] of a) {
    for (const [j, vb] of b) {
      if (i >= pair.cosine.length || j >= pair.cosine[0]!.length) continue;
      expect(Math.abs(pair.cosine[i]![j]! - cosine64(va, vb))).toBeLessThan(1e-5);
      expect(Math.abs(pair.pearson[i]![j]! - pearson64(va, vb))).toBeLessThan(1e-5);
      checked++;
    }
  }
  return checked;
}

test('folder and file pickers add local models beside a Hub model; the export matches float64 from the bytes written', async ({
  page,
}) => {
  const { root, dir } = writeFolder();
  folders.push(root);
  await page.goto(`/?hub=demo&m=${DEMO.base}`);
  expect(await waitForSlots(page, 1)).toEqual(['ready']);
  const hubJob = (await slotsOf(page))[0]!.jobId;

  await page.getByTestId('local-folder-input').setInputFiles(dir);
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await page.getByTestId('local-files-input').setInputFiles(asPayload(other.files));
  expect(await waitForSlots(page, 3)).toEqual(['ready', 'ready', 'ready']);
  // the Hub model was kept, not read again
  expect((await slotsOf(page))[0]!.jobId).toBe(hubJob);

  await expect(page.getByTestId('local-badge-1')).toHaveText('local');
  await expect(page.getByTestId('local-badge-2')).toHaveText('local');
  await expect(page.getByTestId('local-badge-0')).toHaveCount(0);
  await expect(page.getByTestId('local-files-1')).toContainText('folder MyFinetune/: ');
  await expect(page.getByTestId('local-files-1')).toContainText('model-00002-of-00002.safetensors');
  await expect(page.getByTestId('local-files-2')).toContainText('files: config.json, model.safetensors');
  await expect(page.getByTestId('slot-1')).toContainText('12 layers · hidden 4096 · BF16');
  await waitForAnalysis(page);
  await page.getByTestId('progress').screenshot({ path: 'e2e/screenshots/local-model-list.png' });
  await shot(page, 'local-compare');

  // only headers and norm bytes were read: far less than the files hold
  const slots = await slotsOf(page);
  const folderBytes = fine.files.reduce((s, f) => s + f.bytes.byteLength, 0) + '# my fine-tune\n'.length;
  const weightBytes = fine.files
    .filter((f) => f.name.endsWith('.safetensors'))
    .reduce((s, f) => s + f.bytes.byteLength, 0);
  console.log(
    `MyFinetune: read ${slots[1]!.bytes} B in ${slots[1]!.requests} reads of ${weightBytes} B of weights (${folderBytes} B in the folder)`,
  );
  console.log(
    `other: read ${slots[2]!.bytes} B in ${slots[2]!.requests} reads of ${other.files[1]!.bytes.byteLength} B`,
  );
  expect(slots[1]!.total).toBe(weightBytes);
  expect(slots[1]!.bytes!).toBeLessThan(weightBytes / 5);
  const norms = FINE_LAYERS * 2 * HIDDEN * 2;
  expect(slots[1]!.bytes!).toBeGreaterThanOrEqual(norms);

  const url = new URL(page.url());
  expect(url.searchParams.getAll('m')).toEqual([
    expect.stringMatching(new RegExp(`^${DEMO.base}@[0-9a-f]{40}$`)),
    'local:MyFinetune/config.json/model.safetensors.index.json/model-00001-of-00002.safetensors/model-00002-of-00002.safetensors',
    'local:model/config.json/model.safetensors',
  ]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  const data = JSON.parse(text);
  expect(
    data.models.map((m: { repo: string; source: string; revision: string }) => [m.repo, m.source, m.revision]),
  ).toEqual([
    [DEMO.base, 'hub', expect.any(String)],
    ['MyFinetune', 'local', 'local'],
    ['model', 'local', 'local'],
  ]);
  expect(data.models[1].files).toEqual([
    'MyFinetune/model-00001-of-00002.safetensors',
    'MyFinetune/model-00002-of-00002.safetensors',
  ]);
  expect(data.models[2].files).toEqual(['model.safetensors']);
  expect(data.models[1].format).toBe('safetensors');
  // nothing of the disk beyond file names: no folder above the one picked, no sizes or dates
  expect(text).not.toContain(root);
  expect(text).not.toContain(tmpdir());
  expect(text).not.toMatch(/lastModified|webkitRelativePath/);

  let checked = 0;
  for (const role of ['input', 'post'] as Role[]) {
    const pair = (a: number, b: number) =>
      data.pairs.find((p: { a: number; b: number; norm: string }) => p.a === a && p.b === b && p.norm === role);
    checked += checkPair(pair(0, 1), base[role], fine.gamma[role]);
    checked += checkPair(pair(0, 2), base[role], other.gamma[role]);
    checked += checkPair(pair(1, 2), fine.gamma[role], other.gamma[role]);
  }
  expect(checked).toBe(2 * (46 * 12 + 46 * 8 + 12 * 8));
  // the pruned fine-tune of the base shares ancestry with it; the unrelated one does not
  expect(
    data.pairs.find((p: { a: number; b: number; norm: string }) => p.a === 0 && p.b === 1 && p.norm === 'input')
      .evidence.verdict,
  ).toBe('shared-ancestry');
  expect(
    data.pairs.find((p: { a: number; b: number; norm: string }) => p.a === 1 && p.b === 2 && p.norm === 'input')
      .evidence.verdict,
  ).not.toBe('shared-ancestry');
});

test('drop anywhere: an overlay says what happens; bad files each get a message naming the file, the other models keep working', async ({
  page,
}) => {
  await page.goto(`/?hub=demo&m=${DEMO.base}`);
  expect(await waitForSlots(page, 1)).toEqual(['ready']);
  // one drop: a GGUF, a single-file model of the base's width, a projector (skipped) and a stray file
  const single = {
    name: 'fine.safetensors',
    bytes: fine.files.find((f) => f.name === 'model-00001-of-00002.safetensors')!.bytes,
  };
  const files = [
    { name: 'tiny-Q4_K_M.gguf', bytes: ggufBytes },
    single,
    { name: 'mmproj-F16.gguf', bytes: ggufBytes },
    { name: 'notes.txt', bytes: new TextEncoder().encode('hello') },
  ];
  await drop(page, files, 'body', { screenshot: 'local-drop-overlay' });
  expect(await waitForSlots(page, 3)).toEqual(['ready', 'ready', 'ready']);
  await expect(page.getByTestId('local-skipped')).toContainText(
    'mmproj-F16.gguf: a vision projector (mmproj), not a language model',
  );
  // a stray file beside safetensors weights goes with them and is listed as not read
  await expect(page.getByTestId('slot-2')).toContainText('Not read (not part of the weights): notes.txt');
  await expect(page.getByTestId('slot-1')).toContainText('tiny-Q4_K_M');
  await expect(page.getByTestId('slot-1')).toContainText('4 layers · hidden 256');
  await expect(page.getByTestId('slot-2')).toContainText('6 layers · hidden 4096');

  // bad files, one drop each
  const truncated = fine.files.find((f) => f.name === 'model-00002-of-00002.safetensors')!.bytes;
  const huge = new Uint8Array(64);
  new DataView(huge.buffer).setBigUint64(0, 200_000_000n, true);
  await drop(page, [{ name: 'cut.safetensors', bytes: truncated.slice(0, truncated.length - 5000) }]);
  await drop(page, [
    { name: 'notes-renamed.gguf', bytes: new TextEncoder().encode('just some text, renamed to .gguf\n'.repeat(20)) },
  ]);
  await drop(page, [{ name: 'huge-header.safetensors', bytes: huge }]);
  expect(await waitForSlots(page, 6)).toEqual(['ready', 'ready', 'ready', 'error', 'error', 'error']);
  await expect(page.getByTestId('slot-error-3')).toContainText('cut.safetensors');
  await expect(page.getByTestId('slot-error-3')).toContainText(/truncated|ends|has only/);
  await expect(page.getByTestId('slot-error-4')).toContainText('notes-renamed.gguf is not a readable GGUF file');
  await expect(page.getByTestId('slot-error-5')).toContainText('huge-header.safetensors');
  await expect(page.getByTestId('slot-error-5')).toContainText('limit');
  await shot(page, 'local-bad-files');

  // the good models were not read again and are still compared: base vs fine.safetensors
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (
            window as unknown as {
              __normscope: {
                store: { getState(): { pairs: { a: number; b: number; norm: string }[]; computing: boolean } };
              };
            }
          ).__normscope.store
            .getState()
            .pairs.filter((p) => p.a === 0 && p.b === 2).length,
      ),
    )
    .toBe(2);
  await expect(page.getByTestId('heatmap-pearson').locator('canvas')).toBeVisible();
  const firstPair = await page.evaluate(() => {
    const s = (
      window as unknown as {
        __normscope: {
          store: {
            getState(): { pairs: { a: number; b: number; norm: string; cols: number; pearson: Float64Array }[] };
          };
        };
      }
    ).__normscope.store.getState();
    const p = s.pairs.find((x) => x.a === 0 && x.b === 2 && x.norm === 'input')!;
    return { cols: p.cols, r33: p.pearson[3 * p.cols + 3]! };
  });
  expect(firstPair.cols).toBe(6);
  expect(firstPair.r33).toBeCloseTo(pearson64(base.input.get(3)!, fine.gamma.input.get(3)!), 5);

  // a bad model can be taken out; the rest stays loaded
  await page.getByTestId('remove-4').click();
  expect(await waitForSlots(page, 5)).toEqual(['ready', 'ready', 'ready', 'error', 'error']);
});

test('a permalink with a local model asks for its files, and dropping them reopens the comparison', async ({
  page,
}) => {
  const names = fine.files.map((f) => f.name);
  await page.goto(`/?hub=demo&m=${DEMO.base}&m=local:MyFinetune/${names.join('/')}&pair=0,1`);
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'needs-files']);
  const prompt = page.getByTestId('reopen-1');
  await expect(prompt).toContainText('Drop MyFinetune here');
  for (const n of names) await expect(prompt).toContainText(n);
  await expect(page.getByTestId('local-badge-1')).toBeVisible();
  await page.getByTestId('progress').screenshot({ path: 'e2e/screenshots/local-reopen-prompt.png' });

  // the files dropped on the slot, without their folder: the slot takes them whatever their group is called
  await drop(page, fine.files, '[data-testid="reopen-1"]');
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  await expect(page.getByTestId('slot-1')).toContainText('MyFinetune');
  await expect(page.getByTestId('slot-1')).toContainText('12 layers · hidden 4096');
  expect(new URL(page.url()).searchParams.getAll('m')[1]).toBe(`local:MyFinetune/${names.join('/')}`);
  expect(new URL(page.url()).searchParams.get('pair')).toBe('0,1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  const pair = data.pairs.find(
    (p: { a: number; b: number; norm: string }) => p.a === 0 && p.b === 1 && p.norm === 'post',
  );
  expect(checkPair(pair, base.post, fine.gamma.post)).toBe(46 * 12);
  // hovering a cell of base × MyFinetune shows the float64 numbers of the bytes written
  const heat = page.getByTestId('heatmap-pearson').locator('rect.hit');
  await heat.scrollIntoViewIfNeeded();
  const box = (await heat.boundingBox())!;
  await heat.hover({ position: { x: ((7 + 0.5) / 12) * box.width, y: ((9 + 0.5) / 46) * box.height } });
  await expect(page.getByTestId('cell-inspector').locator('h3')).toContainText('L9');
  await expect(page.getByTestId('cell-inspector').locator('h3')).toContainText('MyFinetune L7');
  expect(Number(await page.getByTestId('cell-pearson').textContent())).toBeCloseTo(
    pearson64(base.input.get(9)!, fine.gamma.input.get(7)!),
    4,
  );
  expect(Number(await page.getByTestId('cell-cosine').textContent())).toBeCloseTo(
    cosine64(base.input.get(9)!, fine.gamma.input.get(7)!),
    4,
  );
  await expect(page.getByTestId('deep-cost').or(page.getByTestId('deep-error'))).toBeVisible();
  await shot(page, 'local-reopened');
});

test('files dropped anywhere reopen the waiting local model the link names, by its file names', async ({ page }) => {
  await page.goto(`/?hub=demo&m=local:MyFinetune/${fine.files.map((f) => f.name).join('/')}&m=${DEMO.base}`);
  expect(await waitForSlots(page, 2)).toEqual(['needs-files', 'ready']);
  await drop(page, fine.files, 'header', { screenshot: 'local-drop-overlay-reopen' });
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await expect(page.getByTestId('slot-0')).toContainText('MyFinetune');
  await expect(page.getByTestId('local-files-0')).toContainText('files: config.json, model-00001-of-00002.safetensors');
  await waitForAnalysis(page);
});
