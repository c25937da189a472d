#!/usr/bin/env node
// The example blog in a real browser: starts `sx serve app.sx --port 0` with a fresh data
// directory, drives Debian's headless Chromium through npm playwright-core (never a
// downloaded browser), and checks what a reader sees:
//   home lists the posts; a post shows its related posts; the relate-picker loads more
//   candidates on scroll; the filter narrows them; clicking a candidate relates it, and the
//   post page then shows it (in both directions, since "related" is symmetric).
//
// usage: node blog.e2e.js --sx PATH/TO/sx --app PATH/TO/app.sx [--mode inline|unwind]
//                         [--tier cek|vm|…] [--chromium /usr/bin/chromium] [--timeout SECONDS]
//        node blog.e2e.js --url http://127.0.0.1:PORT/   (a server already running, freshly seeded)
// Prints one line per check; exits 0 when all pass, 1 on the first failure (with the reason
// and the server's output), 2 on a usage or setup error.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const SERVER_START_MS = 20000;      // until `sx serve` prints its URL
const WAIT_MS = 10000;              // for any one thing to appear in the page
const SEEDED_POSTS = 32;            // app.sx's seed-posts
const PAGE_SIZE = 10;               // app.sx's picker-page-size

function parseArgs(argv) {
  const opts = { mode: 'unwind', chromium: '/usr/bin/chromium', timeout: 120 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['sx', 'app', 'mode', 'tier', 'chromium', 'timeout', 'url'].includes(key) || argv[i + 1] === undefined)
      usage(`unknown or incomplete option: ${argv[i]}`);
    opts[key] = argv[i + 1];
  }
  if (!opts.url && !(opts.sx && opts.app)) usage('give --sx and --app, or --url');
  return opts;
}

function usage(message) {
  console.error(`blog.e2e.js: ${message}\nusage: node blog.e2e.js --sx SX --app APP.sx [--mode inline|unwind] [--tier T] [--chromium PATH] [--timeout S]`);
  process.exit(2);
}

function setupError(message) {
  console.error(`blog.e2e.js: FAIL: ${message}`);
  process.exit(2);
}

// playwright-core from this folder's node_modules, with a clear message when it is missing.
function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch (err) {
    setupError(`npm package playwright-core is not installed in ${__dirname} (${err.code}).\n` +
               `  Install it with: npm ci --prefix ${__dirname}   (./dev test does this)`);
  }
}

function checkChromium(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    setupError(`no Chromium at ${file}. Install Debian's chromium package (./dev test installs it); ` +
               'this test never downloads a browser.');
  }
}

// Starts `sx serve` on port 0 and resolves with { url, proc, output } once it prints its URL.
function startServer(opts, dataDir) {
  const args = ['serve', path.resolve(opts.app), '--port', '0', '--mode', opts.mode, '--data', dataDir];
  if (opts.tier) args.push('--tier', opts.tier);
  const proc = spawn(opts.sx, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sx serve printed no URL within ${SERVER_START_MS} ms`)), SERVER_START_MS);
    const onData = (chunk) => {
      output.push(chunk.toString());
      const m = output.join('').match(/https?:\/\/[^\s/]+\/?/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0].endsWith('/') ? m[0] : `${m[0]}/`, proc, output });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start ${opts.sx}: ${err.message}`)); });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sx serve exited (${signal || `code ${code}`}) before printing a URL:\n${output.join('')}`));
    });
  });
}

function stopServer(server) {
  if (!server || server.proc.exitCode !== null || server.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
    server.proc.once('exit', () => { clearTimeout(killer); resolve(); });
    server.proc.kill('SIGTERM');
  });
}

// ---- the checks ------------------------------------------------------------------------------

async function texts(locator) {
  return (await locator.allTextContents()).map((t) => t.trim());
}

const CANDIDATES = '#candidates li.candidate';

// Waits until exactly n elements match selector.
async function expectCount(page, selector, n, what) {
  try {
    await page.waitForFunction(([sel, want]) => document.querySelectorAll(sel).length === want,
                               [selector, n], { timeout: WAIT_MS });
  } catch {
    throw new Error(`${what}: expected ${n}, found ${await page.locator(selector).count()} after ${WAIT_MS} ms`);
  }
}

async function scrollCandidatesToEnd(page) {
  await page.locator('#candidates').evaluate((el) => { el.scrollTop = el.scrollHeight; });
}

const checks = [
  ['home lists the posts with their tags', async (page, base) => {
    const response = await page.goto(base);
    assert.equal(response.status(), 200);
    assert.equal(await page.title(), 'Posts · SX Blog');
    assert.equal(await page.locator('article.card').count(), SEEDED_POSTS);
    const card = page.locator('article.card', { has: page.locator('a[href="/the-cek-machine/"]') });
    assert.deepEqual(await texts(card.locator('.tags a.tag')), ['runtime', 'cek']);
  }],

  ['a post shows its related posts', async (page, base) => {
    await page.goto(base);
    await page.click('a[href="/the-cek-machine/"]');
    await page.waitForURL(`${base}the-cek-machine/`);
    assert.equal(await page.locator('h1').textContent(), 'The CEK machine in one page');
    assert.deepEqual(await texts(page.locator('#related li a')),
                     ['Fibers live on the heap', 'shift and reset, multi-shot']);
  }],

  ['the picker loads more candidates on scroll', async (page, base) => {
    await page.goto(`${base}typed-edges/relate`);
    assert.equal(await page.locator(CANDIDATES).count(), PAGE_SIZE);
    await scrollCandidatesToEnd(page);
    await expectCount(page, CANDIDATES, 2 * PAGE_SIZE, 'candidates after scrolling once');
    // Every other post is a candidate except typed-edges itself and its two related posts.
    const total = SEEDED_POSTS - 3;
    for (let pages = 2; pages * PAGE_SIZE < total; ++pages) {
      await scrollCandidatesToEnd(page);
      await expectCount(page, CANDIDATES, Math.min(total, (pages + 1) * PAGE_SIZE), 'candidates after scrolling again');
    }
    assert.equal(await page.locator('#candidates li.more').count(), 0, 'no sentinel after the last page');
    const slugs = await page.locator(CANDIDATES).evaluateAll((items) => items.map((li) => li.dataset.slug));
    assert.equal(new Set(slugs).size, total, 'no candidate twice');
    assert.ok(!slugs.includes('typed-edges') && !slugs.includes('sqlite-wal'), 'self and related posts are not candidates');
  }],

  ['the filter narrows the candidates', async (page, base) => {
    await page.goto(`${base}typed-edges/relate`);
    await page.locator('#filter').pressSequentially('gc', { delay: 30 });
    await expectCount(page, CANDIDATES, 3, 'candidates matching "gc"');
    assert.deepEqual(await texts(page.locator(`${CANDIDATES} .title`)),
                     ['A precise mark-and-sweep collector', 'Collect only at safepoints', 'GC stress testing']);
    await page.locator('#filter').fill('');
    await expectCount(page, CANDIDATES, PAGE_SIZE, 'candidates after clearing the filter');
  }],

  ['clicking a candidate relates it, and the post page shows it', async (page, base) => {
    await page.goto(`${base}typed-edges/relate`);
    await page.locator('#filter').fill('safepoints');
    await expectCount(page, CANDIDATES, 1, 'candidates matching "safepoints"');
    await page.locator(`${CANDIDATES} button`).click();
    await page.locator('#related li a', { hasText: 'Collect only at safepoints' }).waitFor();
    await expectCount(page, CANDIDATES, 0, 'candidates once the match is related');

    await page.goto(`${base}typed-edges/`);
    assert.ok((await texts(page.locator('#related li a'))).includes('Collect only at safepoints'));
    await page.goto(`${base}safepoints/`);
    assert.ok((await texts(page.locator('#related li a'))).includes('Typed edges in a key-value store'),
              'related is symmetric');
  }],
];

async function runChecks(chromium, opts, base) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-blog-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium, headless: true, args: CHROMIUM_FLAGS, timeout: SERVER_START_MS,
  });
  const pageErrors = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });
    for (const [name, check] of checks) {
      try {
        await check(page, base);
        assert.deepEqual(pageErrors, [], 'errors in the page');
      } catch (err) {
        err.message = `${name}: ${err.message}`;
        throw err;
      }
      console.log(`ok - ${name}`);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkChromium(opts.chromium);
  const { chromium } = loadPlaywright();
  const deadline = setTimeout(() => {
    console.error(`blog.e2e.js: FAIL: the whole test took longer than ${opts.timeout} s`);
    process.exit(1);
  }, Number(opts.timeout) * 1000);

  let server = null;
  let dataDir = null;
  try {
    let base = opts.url;
    if (!base) {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-blog-data-'));
      server = await startServer(opts, dataDir);
      base = server.url;
      console.log(`# sx serve (${opts.tier || 'default tier'}, ${opts.mode}) at ${base}`);
    }
    await runChecks(chromium, opts, base.endsWith('/') ? base : `${base}/`);
    console.log(`# all ${checks.length} checks passed`);
  } catch (err) {
    console.error(`not ok - ${err.message}`);
    if (server) console.error(`# server output:\n${server.output.join('')}`);
    process.exitCode = 1;
  } finally {
    await stopServer(server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(deadline);
  }
}

main();
