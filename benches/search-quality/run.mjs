// Search quality benchmark: does a reader's query put the right article first?
//
//   node benches/search-quality/run.mjs [--only KIND] [--verbose] [--json FILE]
//
// Builds the sample site with the release binary (CAUSEWAY_BIN names another one), serves it
// on 127.0.0.1, opens /search/?q=QUERY in headless Chromium (/usr/bin/chromium, or CHROMIUM)
// for each query of queries.json and reads the result links top to bottom, as a reader sees
// them. The same queries then go to Pagefind, indexing the same output, through its browser
// API. Prints hit@1, hit@3 and the zero-result rate per kind of query for both. It measures
// and never fails on a low score: the exit status is 1 only when the harness itself breaks.
// What the figures mean, and the last ones measured: README.md beside this file.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, "target");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PAGEFIND = "1.6.0"; // `npm view pagefind version` when these figures were taken
const WAIT_MS = 10000; // longest wait for one results page
const QUIET_MS = 300; // results count as rendered once the page has not changed for this long

// ---- Command line -------------------------------------------------------------------------

const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = opt("--only");
const jsonFile = opt("--json");
const verbose = argv.includes("--verbose");

const queries = JSON.parse(readFileSync(join(here, "queries.json"), "utf8")).filter((e) => !only || e.kind === only);
if (!queries.length) fail(`no queries of kind ${only}`);

function fail(message) {
  console.error(`search-quality: ${message}`);
  process.exit(1);
}

/** Runs a command; returns its output, or throws with its output when it fails. */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed\n${r.error?.message ?? ""}${r.stdout ?? ""}${r.stderr ?? ""}`);
  return r.stdout;
}

// ---- A static server for the built site ---------------------------------------------------

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm",
};

/** Serves `root` with pretty URLs: a path ending in / serves its index.html. */
function serve(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/__blank.html") return res.writeHead(200, { "content-type": TYPES[".html"] }).end("<!doctype html><title>blank</title>");
    let file = join(root, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(root + sep)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) return res.writeHead(301, { location: path + "/" }).end();
    if (!existsSync(file)) (file = join(root, "404.html")), (res.statusCode = 404);
    res.setHeader("content-type", TYPES[extname(file)] || "application/octet-stream");
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

// ---- Build, index, and learn which pages are articles -------------------------------------

function causewayBinary() {
  if (process.env.CAUSEWAY_BIN) return resolve(process.env.CAUSEWAY_BIN);
  const r = spawnSync("cargo", ["build", "--release"], { cwd: repo, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) fail("cargo build --release failed");
  return join(target, "release", "causeway");
}

/** Paths (like `foot-spasms/`) of the built pages whose Open Graph type is article. */
function articlePaths(site) {
  const found = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "index.html" && /<meta property="og:type" content="article">/.test(readFileSync(p, "utf8")))
        found.add(relative(site, dir).split(sep).join("/") + "/");
    }
  };
  walk(site);
  return found;
}

/** Installs Pagefind outside package.json and indexes the site; false (and says why) if it cannot. */
function pagefindIndex(site) {
  const prefix = join(target, "search-quality");
  const bin = join(prefix, "node_modules", ".bin", "pagefind");
  try {
    const installed = join(prefix, "node_modules", "pagefind", "package.json");
    if (!existsSync(installed) || JSON.parse(readFileSync(installed, "utf8")).version !== PAGEFIND)
      run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `pagefind@${PAGEFIND}`]);
    run(bin, ["--site", site]);
    return true;
  } catch (e) {
    console.error(`Pagefind could not be installed or run, so only Causeway is reported:\n${e.message.trim().split("\n").slice(0, 6).join("\n")}\n`);
    return false;
  }
}

// ---- Reading results ----------------------------------------------------------------------

/**
 * A results list as paths, top to bottom. A link to the search page or to the lists of all
 * causes or all topics (offered for browsing when nothing matches) is not a result.
 */
function toPaths(hrefs, origin) {
  const out = [];
  for (const href of hrefs) {
    const u = new URL(href, origin);
    if (u.origin !== origin) continue;
    const path = u.pathname.replace(/index\.html$/, "").replace(/^\//, "");
    if (!["search/", "causes/", "tags/"].includes(path)) out.push(decodeURIComponent(path));
  }
  return out;
}

/** Opens /search/?q= and returns the result links in the order they appear on screen. */
async function causewayLinks(context, origin, q) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/search/?q=${encodeURIComponent(q)}`);
    // Done when a status or a result has appeared, no fetch is under way, and the page has then
    // stayed unchanged for QUIET_MS.
    await page.waitForFunction(
      (quiet) => {
        const results = document.getElementById("search-results");
        const status = [...document.querySelectorAll("main [role=status], #search-status")].some((e) => e.textContent.trim());
        const settled = !window.__fetching && performance.now() - window.__lastChange > quiet;
        return (status || results?.children.length) && settled;
      },
      QUIET_MS,
      { timeout: WAIT_MS, polling: 50 },
    );
    return await page.evaluate(() => {
      const box = document.getElementById("search-results") || document.querySelector("main") || document.body;
      return [...box.querySelectorAll("a[href]")]
        .filter((a) => !a.closest("header, nav, footer, form"))
        .map((a) => ({ href: a.href, r: a.getBoundingClientRect() }))
        .filter(({ r }) => r.width && r.height)
        .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)
        .map(({ href }) => href);
    });
  } finally {
    await page.close();
  }
}

/** Pagefind's top ten for q, through its own browser API, on a page of the same site. */
async function pagefindLinks(page, q) {
  return page.evaluate(async (q) => {
    window.__pf ||= await import("/pagefind/pagefind.js");
    await window.__pf.init?.();
    const r = await window.__pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return data.map((d) => d.url);
  }, q);
}

/** What one engine did with one query. */
function judge(paths, accept, articles) {
  const found = [...new Set(paths.filter((p) => articles.has(p)))];
  return {
    first: paths[0] ?? null,
    other_first: paths.length > 0 && !articles.has(paths[0]),
    articles: found.slice(0, 5),
    hit1: accept.includes(found[0]),
    hit3: found.slice(0, 3).some((p) => accept.includes(p)),
    zero: paths.length === 0,
  };
}

// ---- Main ---------------------------------------------------------------------------------

if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);
const { chromium } = await import("playwright-core");
const bin = causewayBinary();
const tmp = mkdtempSync(join(tmpdir(), "causeway-search-quality-"));
const site = join(tmp, "site");
const server = await serve(site);
const origin = `http://127.0.0.1:${server.address().port}`;
let browser;
try {
  run(bin, ["build", "--root", repo, "--output", site, "--base-url", `${origin}/`], { cwd: repo });
  const articles = articlePaths(site);
  const withPagefind = pagefindIndex(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every change to the page's DOM, and the end of every fetch, stamps the time; fetches still
  // under way are counted. The wait in causewayLinks uses both to tell when the page settles.
  await context.addInitScript(() => {
    const stamp = () => (window.__lastChange = performance.now());
    const fetch = window.fetch;
    window.__fetching = 0;
    window.fetch = (...args) => (window.__fetching++, fetch(...args).finally(() => (window.__fetching--, stamp())));
    stamp();
    new MutationObserver(stamp).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const pfPage = withPagefind && (await context.newPage());
  if (pfPage) await pfPage.goto(`${origin}/__blank.html`);

  const rows = [];
  let timeouts = 0;
  for (const e of queries) {
    const row = { ...e };
    try {
      row.causeway = judge(toPaths(await causewayLinks(context, origin, e.q), origin), e.accept, articles);
    } catch (err) {
      if (!/Timeout/i.test(err.message)) throw err;
      timeouts++;
      row.causeway = { ...judge([], e.accept, articles), error: "results did not render" };
    }
    if (pfPage) row.pagefind = judge(toPaths(await pagefindLinks(pfPage, e.q), origin), e.accept, articles);
    rows.push(row);
  }
  if (timeouts === rows.length) throw new Error("no search results page rendered: is the search page working?");
  report(rows, withPagefind, timeouts);
} catch (err) {
  console.error(`search-quality: ${err.stack || err.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
}

function report(rows, withPagefind, timeouts) {
  const engines = withPagefind ? ["causeway", "pagefind"] : ["causeway"];
  const col = (s) => String(s).padStart(6);
  const pct = (list, key) => col(`${Math.round((100 * list.filter((x) => x[key]).length) / list.length)}%`);
  const block = (list) => ["hit1", "hit3", "zero", "other_first"].map((k) => pct(list, k)).join("");
  const line = (kind, list) => `${kind.padEnd(10)}${col(list.length)}  ${engines.map((en) => block(list.map((r) => r[en]))).join("  |")}`;
  console.log(`\nSearch quality over ${rows.length} queries. hit@1: the first article result is an accepted one; hit@3: one`);
  console.log("of the first three articles is; zero: no result at all; other: a cause, topic or list page came first.\n");
  console.log(`${"".padEnd(18)}${engines.map((en) => `  ${en[0].toUpperCase()}${en.slice(1)}`.padEnd(24)).join("  |")}`);
  console.log(`${"kind".padEnd(10)}${col("n")}  ${engines.map(() => ["hit@1", "hit@3", "zero", "other"].map(col).join("")).join("  |")}`);
  for (const kind of [...new Set(rows.map((r) => r.kind))]) console.log(line(kind, rows.filter((r) => r.kind === kind)));
  console.log(line("total", rows));
  if (timeouts) console.log(`\n${timeouts} Causeway results pages did not render within ${WAIT_MS / 1000} s (counted as zero results).`);

  if (verbose)
    for (const en of engines) {
      const misses = rows.filter((r) => !r[en].hit1);
      console.log(`\n${en} misses at 1 (${misses.length}):`);
      for (const r of misses)
        console.log(`  [${r.kind}] "${r.q}" → ${r[en].articles[0] ?? (r[en].zero ? "no results" : "no article")}${r[en].other_first ? ` (first: ${r[en].first})` : ""}; wanted ${r.accept.join(" or ")}`);
    }
  if (jsonFile) {
    writeFileSync(resolve(jsonFile), JSON.stringify({ date: new Date().toISOString(), pagefind: withPagefind ? PAGEFIND : null, queries: rows }, null, 2) + "\n");
    console.log(`\nEvery query's results: ${jsonFile}`);
  }
}
