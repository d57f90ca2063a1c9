// Architecture families end to end: roles offered by the selector, the shifted-γ caption, the
// shared-ancestry verdict of a fine-tune, hover values against float64 from the fixture bytes,
// GGUF against its safetensors source, an unknown architecture and roles of different widths.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cosine64, pearson64, readNormVectors } from './reference';
import { permalink, shot, waitForAnalysis, waitForSlots } from './helpers';

const ROOT = 'e2e/.fixtures/hub';
const F = 'normscope-families';

const sha = (repo: string) =>
  JSON.parse(readFileSync(`${ROOT}/api/models/${repo}/revision/main`, 'utf8')).sha as string;

/** Applied γ per layer from the fixture bytes: stored value + shift in float64, rounded once to float32. */
function applied(repo: string, tail: string, shift = 0): Map<number, Float64Array> {
  const escaped = tail.replace(/\./g, '\\.');
  const raw = readNormVectors(
    ROOT,
    repo,
    sha(repo),
    new RegExp(`^(?:model\\.language_model\\.|model\\.)layers\\.(\\d+)\\.${escaped}$`),
  );
  return new Map([...raw].map(([l, v]) => [l, v.map((x) => Math.fround(shift + x))]));
}

async function roleButtons(page: Page): Promise<string[]> {
  return page
    .getByTestId('compare-view')
    .locator('[aria-label="Norm role"] button')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
}

async function hoverCell(page: Page, row: number, col: number, n: number): Promise<{ cos: number; r: number }> {
  const heat = page.getByTestId('heatmap-pearson').locator('rect.hit');
  await heat.scrollIntoViewIfNeeded();
  const box = (await heat.boundingBox())!;
  await heat.hover({ position: { x: ((col + 0.5) / n) * box.width, y: ((row + 0.5) / n) * box.height } });
  await expect(page.getByTestId('cell-inspector').locator('h3')).toContainText(`L${row}`);
  return {
    cos: Number(await page.getByTestId('cell-cosine').textContent()),
    r: Number(await page.getByTestId('cell-pearson').textContent()),
  };
}

const canvasImage = (page: Page) =>
  page
    .getByTestId('heatmap-pearson')
    .locator('canvas')
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());

test('gemma3 and its fine-tune: the sandwich roles, the shifted γ, shared ancestry, the export', async ({ page }) => {
  await page.goto(permalink([`${F}/gemma3`, `${F}/gemma3-finetune`]));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect(await roleButtons(page)).toEqual([
    'norm-input',
    'norm-post',
    'norm-attn_out',
    'norm-ffn_out',
    'norm-q',
    'norm-k',
  ]);
  await expect(page.getByTestId('compare-view').locator('p.caption').first()).toContainText('applied γ = 1 + w');
  await expect(page.getByTestId('verdict-card')).toHaveAttribute('data-verdict', 'shared-ancestry');
  await expect(page.getByTestId('verdict-headline')).toHaveText('Shared ancestry');

  const before = await canvasImage(page);
  await page.getByTestId('norm-q').click();
  await expect(page.getByTestId('norm-q')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('compare-view').locator('p.caption').first()).toContainText('uses all 64 dimensions');
  await expect.poll(() => canvasImage(page)).not.toBe(before);

  // hover on the q norm: the browser's numbers against float64 on 1 + w from the files
  const a = applied(`${F}/gemma3`, 'self_attn.q_norm.weight', 1);
  const b = applied(`${F}/gemma3-finetune`, 'self_attn.q_norm.weight', 1);
  const shown = await hoverCell(page, 1, 2, 4);
  expect(shown.cos).toBeCloseTo(cosine64(a.get(1)!, b.get(2)!), 4);
  expect(shown.r).toBeCloseTo(pearson64(a.get(1)!, b.get(2)!), 4);
  await expect(page.getByTestId('verdict-card')).toHaveAttribute('data-verdict', 'shared-ancestry');
  await shot(page, 'families-gemma3-roles');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  for (const m of data.models) {
    expect(m.roles).toEqual(['input', 'post', 'attn_out', 'ffn_out', 'q', 'k']);
    expect(m).toMatchObject({ format: 'safetensors', source: 'hub', zeroCentred: true });
  }
});

test('olmo2 has only the post-norms and hidden-wide q/k; deepseek-v3 compares q_a and kv_a', async ({ page }) => {
  await page.goto(permalink([`${F}/olmo2`, `${F}/exaone4`], { norm: 'attn_out' }));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect(await roleButtons(page)).toEqual(['norm-attn_out', 'norm-ffn_out']);
  // q and k exist in both, at different widths: listed as not comparable, with the widths
  const lines = page.getByTestId('not-comparable');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText('q norm');
  await expect(lines.nth(0)).toContainText('has width 256');
  await expect(lines.nth(0)).toContainText('has 64');
  const oa = applied(`${F}/olmo2`, 'post_attention_layernorm.weight');
  const ob = applied(`${F}/exaone4`, 'post_attention_layernorm.weight');
  const shown = await hoverCell(page, 3, 0, 4);
  expect(shown.cos).toBeCloseTo(cosine64(oa.get(3)!, ob.get(0)!), 4);
  expect(shown.r).toBeCloseTo(pearson64(oa.get(3)!, ob.get(0)!), 4);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.models[0].roles).toEqual(['attn_out', 'ffn_out', 'q', 'k']);
  expect(data.models[0].zeroCentred).toBe(false);

  await page.goto(permalink([`${F}/deepseek-v3`, `${F}/kimi-k2`], { norm: 'kv_a' }));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect(await roleButtons(page)).toEqual(['norm-input', 'norm-post', 'norm-q_a', 'norm-kv_a']);
  await expect(page.getByTestId('compare-view').locator('p.caption').first()).toContainText('uses all 64 dimensions');
  const da = applied(`${F}/deepseek-v3`, 'self_attn.kv_a_layernorm.weight');
  const db = applied(`${F}/kimi-k2`, 'self_attn.kv_a_layernorm.weight');
  const kv = await hoverCell(page, 2, 1, 4);
  expect(kv.cos).toBeCloseTo(cosine64(da.get(2)!, db.get(1)!), 4);
  expect(kv.r).toBeCloseTo(pearson64(da.get(2)!, db.get(1)!), 4);
  await page.getByTestId('norm-q_a').click();
  await expect(page.getByTestId('compare-view').locator('p.caption').first()).toContainText('uses all 96 dimensions');
});

test('command-r-plus: per-head q norms flattened, and its GGUF comes out identical', async ({ page }) => {
  await page.goto(permalink([`${F}/command-r-plus`, `${F}/command-r-plus-GGUF:Q8_0`], { norm: 'q' }));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect(await roleButtons(page)).toEqual(['norm-input', 'norm-q', 'norm-k']);
  await expect(page.getByTestId('compare-view').locator('p.caption').first()).toContainText('uses all 256 dimensions');
  const a = applied(`${F}/command-r-plus`, 'self_attn.q_norm.weight');
  const b = applied(`${F}/command-r-plus`, 'self_attn.q_norm.weight');
  const off = await hoverCell(page, 0, 3, 4);
  expect(off.cos).toBeCloseTo(cosine64(a.get(0)!, b.get(3)!), 4);
  expect(off.r).toBeCloseTo(pearson64(a.get(0)!, b.get(3)!), 4);
  for (let l = 0; l < 4; l++) {
    const same = await hoverCell(page, l, l, 4);
    expect(same).toEqual({ cos: 1, r: 1 });
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.models.map((m: { format: string }) => m.format)).toEqual(['safetensors', 'gguf']);
  expect(data.models[1].roles).toEqual(data.models[0].roles);

  // Gemma: the GGUF holds 1 + w written by the converter, the safetensors w; both give the same γ
  await page.goto(permalink([`${F}/gemma3`, `${F}/gemma3-GGUF`], { norm: 'ffn_out' }));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  for (let l = 0; l < 4; l++) expect(await hoverCell(page, l, l, 4)).toEqual({ cos: 1, r: 1 });
});

test('an unknown architecture names its model_type and norm-like tensors', async ({ page }) => {
  await page.goto(permalink([`${F}/mystery-arch`, `${F}/llama`]));
  expect(await waitForSlots(page, 2)).toEqual(['error', 'ready']);
  const err = page.getByTestId('slot-error-0');
  await expect(err).toHaveAttribute('data-kind', 'no-norms');
  await expect(err).toContainText('mystery-arch');
  await expect(err).toContainText('trunk.cells.0.pre_mix_rmsnorm.scale');
  await shot(page, 'families-unknown-architecture');
});

test('two models whose q norms differ in width list q and k as not comparable, with the reason', async ({ page }) => {
  await page.goto(permalink([`${F}/command-r-plus`, `${F}/qwen3`], { norm: 'q' }));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  const lines = page.getByTestId('not-comparable');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText(`q norm: ${F}/command-r-plus has width 256, ${F}/qwen3 has 64`);
  await expect(lines.nth(1)).toContainText(`k norm: ${F}/command-r-plus has width 128, ${F}/qwen3 has 64`);
  await expect(page.getByTestId('role-missing')).toContainText('the widths differ (256 vs 64)');
  await shot(page, 'families-not-comparable');
});

test('a GGUF repo: the smallest quantization by default, another picked from the list goes into the permalink, exact values', async ({
  page,
}) => {
  await page.goto(permalink([`${F}/llama`, `${F}/llama-GGUF`]));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  const picker = page.getByTestId('quant-1');
  await expect(picker).toHaveValue('Q4_K_M');
  expect(await picker.locator('option').allTextContents()).toEqual([
    expect.stringMatching(/^Q4_K_M \(/),
    expect.stringMatching(/^Q8_0 \(/),
    expect.stringMatching(/^BF16 \(/),
  ]);
  await expect(page.getByTestId('slot-detail-1')).toContainText('GGUF Q4_K_M');
  await picker.scrollIntoViewIfNeeded();
  await shot(page, 'families-gguf-quant');
  await picker.selectOption('BF16');
  await expect(page.getByTestId('slot-detail-1')).toContainText('GGUF BF16');
  await expect
    .poll(() => new URL(page.url()).searchParams.getAll('m')[1])
    .toMatch(/^normscope-families\/llama-GGUF@[0-9a-f]{40}:BF16$/);
  await waitForAnalysis(page);
  for (let l = 0; l < 4; l++) expect(await hoverCell(page, l, l, 4)).toEqual({ cos: 1, r: 1 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.models[1].files).toEqual(['Llama-BF16-00001-of-00002.gguf', 'Llama-BF16-00002-of-00002.gguf']);
});
