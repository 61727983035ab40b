/**
 * The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core. The page must load
 * with no console error, no failed or blocked request (it is self-contained), and every figure drawn with a
 * non-empty box; the test takes a screenshot (the README's picture is made by it: `EWSKIT_SCREENSHOT=docs/report.png`).
 * Where no Chromium is installed the test is skipped with a message naming what to install — `.ci/run` installs it.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apolloStyle } from '../../../scores/catalogue/catalogue.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { renderHtml } from '../../../validation/report/html.js';
import { renderFigures } from '../../../validation/report/render-figures.js';
import { validate } from '../../../validation/study/validate.js';

/** The Chromium to drive: EWSKIT_CHROMIUM, else Debian's. */
const executable = [process.env.EWSKIT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && p !== '' && existsSync(p));

describe('the HTML report in headless Chromium', () => {
  it('opens with no console error and no request, every figure drawn; screenshot taken', async (ctx) => {
    if (executable === undefined) {
      ctx.skip('no Chromium found (set EWSKIT_CHROMIUM, or `apt-get install -y chromium`; .ci/run installs it)');
      return;
    }
    const cohort = generateCohort({ profile: 'uk-leicester', encounters: 2000, seed: 1 });
    const report = validate({ cohort, scores: [news2, apolloStyle], groupBy: ['ethnicity'], bootstrap: { B: 200, seed: 1 } });
    const figures = await renderFigures(report);
    const html = await renderHtml(report, { figures });
    const dir = mkdtempSync(join(tmpdir(), 'ewskit-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);

    const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);

      // Every figure the report can draw is on the page, drawn, with an accessible name.
      const drawn = figures.filter((f) => f.svg !== null).map((f) => f.id);
      expect(drawn.length).toBeGreaterThanOrEqual(8);
      const boxes = await page.$$eval('figure[data-figure]:not([data-withheld]) svg', (svgs) =>
        svgs.map((s) => {
          const r = s.getBoundingClientRect();
          return {
            id: s.closest('figure')?.getAttribute('data-figure') ?? '',
            width: r.width,
            height: r.height,
            label: s.getAttribute('aria-labelledby') ?? '',
          };
        }),
      );
      expect(boxes.map((b) => b.id)).toEqual(drawn);
      for (const b of boxes) {
        expect(b.width, b.id).toBeGreaterThan(100);
        expect(b.height, b.id).toBeGreaterThan(100);
        expect(b.label, b.id).toContain(`fig-${b.id}-title`);
      }
      // Each figure draws marks (paths or symbols), not just axes.
      const marks = await page.$$eval('figure[data-figure]:not([data-withheld]) svg', (svgs) =>
        svgs.map((s) => s.querySelectorAll('.mark-symbol path, .mark-line path, .mark-area path, .mark-rule line').length),
      );
      for (const m of marks) expect(m).toBeGreaterThan(2);

      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      const shot = process.env.EWSKIT_SCREENSHOT;
      if (shot !== undefined && shot !== '') {
        // The README's picture: NEWS2's ROC and precision–recall curves, the first row of the discrimination figures.
        const roc = await page.locator('#fig-roc-news2').boundingBox();
        const pr = await page.locator('#fig-pr-news2').boundingBox();
        if (roc === null || pr === null) throw new Error('the discrimination figures have no box');
        const bottom = Math.max(roc.y + roc.height, pr.y + pr.height);
        await page.screenshot({
          path: shot,
          fullPage: true,
          clip: { x: roc.x - 8, y: roc.y - 8, width: pr.x + pr.width - roc.x + 16, height: bottom - roc.y + 16 },
        });
      }
    } finally {
      await browser.close();
    }
  }, 300_000);
});
