// Runs INSIDE the browser sandbox (Node 22+, playwright-core from NODE_PATH, Debian's Chromium):
// waits for the app's ready path to answer 2xx while its process lives, loads the page in headless
// Chromium, records console errors and page errors, the body's text length and a screenshot.
// Input: one JSON argument; output: one JSON line on stdout. The host-side activity judges it.
/* global require, process, console, setTimeout, fetch, document, AbortSignal */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: NODE_PATH serves require() */
'use strict';

const fs = require('node:fs');

const opts = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive() {
  try {
    const pid = Number(fs.readFileSync(opts.pidFile, 'utf8').trim());
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls readyUrl until a 2xx answer, the app's process dying, or the deadline. */
async function waitReady() {
  const started = Date.now();
  let last = null;
  while (Date.now() - started < opts.startTimeoutMs) {
    if (!alive()) return { status: last, alive: false, ms: Date.now() - started, detail: 'the app process exited' };
    try {
      const res = await fetch(opts.readyUrl, { redirect: 'follow', signal: AbortSignal.timeout(5000) });
      last = res.status;
      if (res.status >= 200 && res.status < 300) return { status: last, alive: true, ms: Date.now() - started };
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return { status: last, alive: alive(), ms: Date.now() - started, detail: `no 2xx within ${opts.startTimeoutMs} ms` };
}

/** `at main (http://127.0.0.1:4173/app.js:3:9)` → `http://127.0.0.1:4173/app.js:3:9`. */
function firstFrame(stack) {
  const m = /\(?((?:https?|file):\/\/[^\s)]+:\d+:\d+)\)?/.exec(stack || '');
  return m ? m[1] : undefined;
}

async function load(result) {
  const { chromium } = require('playwright-core');
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.DKMV_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: (process.env.DKMV_CHROMIUM_ARGS || '--no-sandbox').split(/\s+/).filter((a) => a && a !== '--headless'),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location();
      // The browser asks for /favicon.ico on its own; its 404 is not something the app's code did.
      if (loc && /\/favicon\.ico$/.test(loc.url || '') && /status of 404/.test(msg.text())) return;
      result.console_errors.push({
        type: 'error',
        text: msg.text(),
        ...(loc && loc.url ? { location: `${loc.url}:${loc.lineNumber + 1}:${loc.columnNumber + 1}` } : {}),
      });
    });
    page.on('pageerror', (err) => {
      const location = firstFrame(err.stack);
      result.console_errors.push({
        type: 'pageerror',
        text: `${err.name || 'Error'}: ${err.message}`,
        ...(location ? { location } : {}),
      });
    });
    try {
      await page.goto(opts.url, { waitUntil: 'load', timeout: opts.loadTimeoutMs });
    } catch (err) {
      result.load = { status: 'fail', ms: Date.now() - started, detail: String(err.message || err).split('\n')[0] };
      return;
    }
    // Errors thrown by scripts that run right after load (timers, fetches) still count.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
    await sleep(opts.settleMs);
    result.body_text_length = await page.evaluate(() => (document.body ? document.body.innerText.trim().length : 0));
    // Dev servers show build errors in an overlay instead of the app.
    const overlay = await page.evaluate(() =>
      Boolean(document.querySelector('vite-error-overlay, #webpack-dev-server-client-overlay, nextjs-portal')),
    );
    if (overlay) result.console_errors.push({ type: 'error', text: 'an error overlay covers the page' });
    await page.screenshot({ path: opts.screenshot, fullPage: false });
    result.load = { status: 'pass', ms: Date.now() - started };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** A service (app.kind service): no browser; the plan's declared request, its status and body. */
async function request(result) {
  const t = Date.now();
  const res = await fetch(opts.request.url, {
    method: opts.request.method,
    signal: AbortSignal.timeout(opts.loadTimeoutMs),
  });
  const body = await res.text();
  const ok = res.status >= 200 && res.status < 300;
  result.load = {
    status: ok ? 'pass' : 'fail',
    ms: Date.now() - t,
    detail: `${opts.request.method} ${opts.request.path} → ${res.status}: ${body.slice(0, 300)}`,
  };
  result.body_text_length = body.length;
}

async function main() {
  const result = { ready: null, load: null, console_errors: [], body_text_length: 0, alive_after: false };
  result.ready = await waitReady();
  if (result.ready.status !== null && result.ready.status >= 200 && result.ready.status < 300) {
    try {
      if (opts.request) await request(result);
      else await load(result);
    } catch (err) {
      result.load = { status: 'fail', ms: 0, detail: `browser: ${String(err.message || err).split('\n')[0]}` };
    }
  }
  result.alive_after = alive();
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.log(JSON.stringify({ fatal: String((err && err.stack) || err) }));
  process.exitCode = 1;
});
