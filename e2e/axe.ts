import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const TOAST = '.mantine-Notification-root';

/**
 * Serious and critical axe-core findings on the page as it is now (or in `include`, a selector), as readable lines.
 * Toasts are waited out first: one that auto-closes while axe runs is measured mid-fade, half
 * transparent, and fails contrast by chance. toastA11yViolations checks a toast on its own.
 */
export async function seriousA11yViolations(page: Page, opts: { include?: string } = {}): Promise<string[]> {
  await expect(page.locator(TOAST)).toHaveCount(0, { timeout: 15_000 });
  await transitionsEnded(page);
  const axe = new AxeBuilder({ page }).withTags(TAGS);
  return serious(await (opts.include ? axe.include(opts.include) : axe).analyze());
}

/**
 * The same findings for the newest toast alone, held open by hovering it (toasts pause their
 * auto-close under the pointer) and measured once it has faded in.
 */
export async function toastA11yViolations(page: Page): Promise<string[]> {
  const toast = page.locator(TOAST).last();
  await toast.hover();
  await transitionsEnded(page);
  await expect(toast).toHaveCSS('opacity', '1');
  const r = await new AxeBuilder({ page }).withTags(TAGS).include(TOAST).analyze();
  await page.mouse.move(0, 0);
  return serious(r);
}

/** Finite transitions and animations have ended (spinners, which never end, are not waited for). */
async function transitionsEnded(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity), undefined, { timeout: 5000 });
}

function serious(r: Awaited<ReturnType<AxeBuilder['analyze']>>): string[] {
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}${detail(n.any)}`)
          .join(' | ')}`,
    );
}

/** What axe measured, e.g. the colours and ratio behind a contrast finding. */
function detail(checks: { data?: unknown }[]): string {
  const d = checks.find((c) => c.data)?.data as Record<string, unknown> | undefined;
  return d ? ` ${JSON.stringify(d)}` : '';
}
