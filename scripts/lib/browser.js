// Debian's chromium driven by playwright-core (never a browser download), headless, offline.
const { chromium } = require('playwright-core');
const { ensureChromium } = require('./tools');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches a persistent context in `profileDir`; returns { context, page }. */
async function launchBrowser(profileDir, viewport = { width: 1400, height: 900 }) {
  const executablePath = ensureChromium();
  const context = await chromium.launchPersistentContext(profileDir, { executablePath, args: ARGS, viewport, headless: true });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

module.exports = { launchBrowser };
