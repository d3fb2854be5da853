#!/usr/bin/env node
// Opens the code-server workbench in Debian's headless Chromium (playwright-core) with the extension
// loaded from its development folder and the extension-host test module from out/test/index.js,
// then waits (polling, with a deadline) for the module's verdict. Takes the README screenshot when the
// module asks for it. Exit code: 0 = PASS, 1 = FAIL, 2 = harness error/timeout.
//
// usage: node devtest.js --base http://127.0.0.1:PORT --folder WS --ext EXT_DIR --tests TESTS_JS
//                        --signal-dir DIR --screenshot OUT.png [--timeout-ms 180000] [--chromium PATH]
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

function parseArgs(argv) {
  const args = { "timeout-ms": "180000", chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ["base", "folder", "ext", "tests", "signal-dir", "screenshot"]) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

const log = (msg) => console.log(`[devtest +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const t0 = Date.now();

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const base = new URL(a.base);
  const remote = (p) => `vscode-remote://${base.host}${path.resolve(p)}`;
  const payload = [
    ["extensionDevelopmentPath", remote(a.ext)],
    ["extensionTestsPath", remote(a.tests)],
  ];
  const url = `${base.origin}/?folder=${encodeURIComponent(path.resolve(a.folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const deadline = Date.now() + Number(a["timeout-ms"]);
  const resultFile = path.join(a["signal-dir"], "result.json");
  const consoleTail = [];
  let verdict; // { ok, summary, source }
  let screenshotRequested = false;
  let screenshotDone;

  const browser = await chromium.launch({
    executablePath: a.chromium,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 540 }, deviceScaleFactor: 2 });
    page.on("pageerror", (e) => consoleTail.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      const text = m.text();
      consoleTail.push(text);
      if (consoleTail.length > 40) consoleTail.shift();
      const i = text.indexOf("IAMTEST ");
      if (i < 0) return;
      const line = text.slice(i + "IAMTEST ".length).split("\n")[0];
      if (line.startsWith("RESULT ")) return; // the file carries the details
      log(line);
      if (line === "SCREENSHOT-READY") screenshotRequested = true;
      const m2 = /^(PASS|FAIL) (.*)$/.exec(line);
      if (m2 && !verdict) verdict = { ok: m2[1] === "PASS", summary: m2[2], source: "console" };
    });

    log(`opening ${url}`);
    await page.goto(url, { waitUntil: "domcontentloaded", timeout: 60_000 });

    while (!verdict) {
      if (screenshotRequested && !screenshotDone) {
        screenshotDone = takeScreenshot(page, a.screenshot, a["signal-dir"]);
      }
      if (fs.existsSync(resultFile)) {
        // The file is written just before the console verdict; give the console lines a moment to arrive.
        const r = JSON.parse(fs.readFileSync(resultFile, "utf8"));
        const grace = Date.now() + 3000;
        while (!verdict && Date.now() < grace) await page.waitForTimeout(50);
        verdict = verdict || { ok: r.ok, summary: r.summary, source: "result file" };
        break;
      }
      if (Date.now() > deadline) {
        const failPng = path.join(path.dirname(a.screenshot), "failure.png");
        await page.screenshot({ path: failPng }).catch(() => {});
        log(`TIMEOUT: no verdict from the extension-host test within ${a["timeout-ms"]} ms (page screenshot: ${failPng}). Last console lines:`);
        for (const l of consoleTail) console.log(`    ${l.split("\n")[0].slice(0, 300)}`);
        return 2;
      }
      await page.waitForTimeout(100); // poll interval, not a fixed wait for a condition
    }
    if (screenshotDone) await screenshotDone;
    if (fs.existsSync(resultFile)) {
      const r = JSON.parse(fs.readFileSync(resultFile, "utf8"));
      for (const o of r.outcomes) {
        if (o.status !== "pass") log(`${o.status.toUpperCase()} ${o.name}: ${o.detail}`);
      }
    }
    log(`verdict (${verdict.source}): ${verdict.ok ? "PASS" : "FAIL"} ${verdict.summary}`);
    if (!verdict.ok) {
      const failPng = path.join(path.dirname(a.screenshot), "failure.png");
      await page.screenshot({ path: failPng }).catch(() => {});
      log(`page at failure: ${failPng}`);
    }
    return verdict.ok ? 0 : 1;
  } finally {
    await browser.close();
  }
}

async function takeScreenshot(page, out, signalDir) {
  const done = path.join(signalDir, "screenshot.done");
  let status;
  try {
    // Wait for what the picture must show: a diagnostic squiggle and an open completion list with items.
    await page.waitForSelector(".monaco-editor .view-overlays [class*='squiggly-']", { timeout: 20_000 });
    await page.waitForSelector(".monaco-editor .suggest-widget.visible .monaco-list-row", { timeout: 20_000 });
    const rows = await page.$$eval(".monaco-editor .suggest-widget.visible .monaco-list-row", (els) => els.map((e) => e.getAttribute("aria-label") || e.textContent));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    status = `ok ${out} (suggestions: ${rows.join(", ")})`;
  } catch (e) {
    status = `error: ${e.message.split("\n")[0]}`;
  }
  fs.writeFileSync(done, status + "\n");
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[devtest] harness error: ${e.stack || e}`);
    process.exit(2);
  },
);
