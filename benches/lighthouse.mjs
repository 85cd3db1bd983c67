// Lighthouse on the sample site, at its mobile settings (a mid-range phone, slow 4G, CPU
// slowed 4×): the home page, an article and the search page with results.
//
//   node benches/lighthouse.mjs            # every page, 3 runs each; the median is reported
//   RUNS=1 node benches/lighthouse.mjs
//
// Lighthouse 12 (the last release that runs on Node 20) is installed on first use into
// target/lighthouse/, outside package.json: it is large, and only this script needs it. The
// site is built for and served from 127.0.0.1 under /health/, so canonical links and every
// URL are checked as a host would serve them (no compression, no caching headers: the
// performance figure is a floor). Exits with status 1 when a page scores under 100 for
// accessibility or SEO, or under 95 for performance.

import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CHROMIUM, repo, site } from "../tests/e2e/support.mjs";

const LIGHTHOUSE = "12.8.2";
const PAGES = [
  ["home", ""],
  ["article", "foot-spasms/"],
  ["search", "search/?q=why+do+my+feet+cramp+at+night"],
];
const BUDGET = { accessibility: 100, seo: 100, performance: 95, "best-practices": 0 };
const RUNS = Number(process.env.RUNS || 3);

const dir = join(repo, "target", "lighthouse");
const entry = join(dir, "node_modules", "lighthouse", "core", "index.js");
if (!existsSync(entry)) {
  mkdirSync(dir, { recursive: true });
  console.error(`installing lighthouse ${LIGHTHOUSE} into ${dir}`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir, `lighthouse@${LIGHTHOUSE}`], { stdio: "inherit" });
}
const { default: lighthouse } = await import(pathToFileURL(entry));
const chromeLauncher = await import(pathToFileURL(join(dir, "node_modules", "chrome-launcher", "dist", "index.js")));

const s = await site(".");
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let failed = false;
const rows = [];
try {
  for (const [name, path] of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await lighthouse(s.url + path, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: Object.keys(BUDGET),
      });
      runs.push(result.lhr);
    }
    const score = (c) => median(runs.map((r) => Math.round(r.categories[c].score * 100)));
    const metric = (id) => median(runs.map((r) => r.audits[id].numericValue));
    const row = {
      page: name,
      performance: score("performance"),
      accessibility: score("accessibility"),
      "best-practices": score("best-practices"),
      seo: score("seo"),
      "LCP ms": Math.round(metric("largest-contentful-paint")),
      CLS: Number(metric("cumulative-layout-shift").toFixed(3)),
      "TBT ms": Math.round(metric("total-blocking-time")),
    };
    rows.push(row);
    // What kept a score under 100: each failing audit of the last run, once.
    const last = runs.at(-1);
    for (const [cat, min] of Object.entries(BUDGET)) {
      if (row[cat] < min) failed = true;
      if (row[cat] === 100) continue;
      for (const ref of last.categories[cat].auditRefs) {
        const a = last.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          console.error(`${name} ${cat}: ${a.id} (${a.displayValue || a.score}): ${a.title}`);
        }
      }
    }
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(last));
  }
} finally {
  await chrome.kill();
  await s.close();
}
console.table(rows);
console.log(`median of ${RUNS} run(s) per page; reports of the last run in ${dir}/<page>.json`);
if (failed) {
  console.error(`under budget: accessibility and SEO must be 100, performance at least 95`);
  process.exit(1);
}
