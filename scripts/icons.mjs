#!/usr/bin/env node
// Renders the app and tray icons in resources/ from their SVG sources (resources/icon.svg,
// resources/tray.svg) with the system Chromium (playwright-core, as the end-to-end tests use), and
// writes the Windows .ico and macOS .icns containers around the PNGs (both formats embed PNG data
// as it is). The generated files are committed: run `npm run icons` after changing an SVG.
//
//   resources/icon.png               1024 px, electron-builder's default icon
//   resources/icons/NxN.png          the Linux sizes (AppImage, deb: hicolor theme)
//   resources/icon.ico               16-256 px for NSIS and the Windows executable
//   resources/icon.icns              16-1024 px (with @2x) for the dmg and the .app
//   resources/tray/…                 tray icons: trayTemplate (macOS, tinted by the system), tray and
//                                    tray-alert (Linux, Windows: yellow, with a red dot while escalations are open)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { writeIcns, writeIco } from './icon-containers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const res = path.join(root, 'resources');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const appSvg = fs.readFileSync(path.join(res, 'icon.svg'), 'utf8');
const traySvg = fs.readFileSync(path.join(res, 'tray.svg'), 'utf8');
// Linux and Windows trays: the silhouette in the icon's yellow with a dark outline (readable on light and dark panels).
const trayColour = traySvg.replaceAll('fill="#000"', 'fill="#fab005" stroke="#141d33" stroke-width="1.2"');
// …and with a red dot at the top left while escalated conversations are open.
const trayAlert = trayColour.replace('</svg>', '<circle cx="7" cy="7" r="6" fill="#e03131" stroke="#fff" stroke-width="1.5"/></svg>');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage({ deviceScaleFactor: 1 });

/** The SVG drawn at size × size pixels, as PNG bytes with a transparent background. */
async function render(svg, size) {
  await page.setViewportSize({ width: size, height: size });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(`<html><body style="margin:0;background:transparent"><img id="i" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
  await page.waitForFunction("document.getElementById('i')?.complete");
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

const written = [];
function write(rel, bytes) {
  const file = path.join(res, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  written.push(`${rel} (${bytes.length} B)`);
}

try {
  const png = new Map();
  for (const size of LINUX_SIZES) png.set(size, await render(appSvg, size));
  write('icon.png', png.get(1024));
  for (const size of LINUX_SIZES) write(`icons/${size}x${size}.png`, png.get(size));
  write('icon.ico', writeIco(ICO_SIZES.map((size) => ({ size, png: png.get(size) }))));
  write('icon.icns', writeIcns(png));
  for (const [name, svg] of [
    ['trayTemplate', traySvg],
    ['tray', trayColour],
    ['tray-alert', trayAlert],
  ]) {
    write(`tray/${name}.png`, await render(svg, 16));
    write(`tray/${name}@2x.png`, await render(svg, 32));
  }
} finally {
  await browser.close();
}
console.log(written.join('\n'));
