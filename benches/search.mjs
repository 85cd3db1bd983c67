// Search benchmark: per-keystroke query time over the cause index of a large generated site.
//
//   node benches/search.mjs                     # generates and builds a 10,000-article site once
//   node benches/search.mjs path/to/cause-index.json
//   node benches/search.mjs path/to/public-folder
//
// Without a path, the corpus is written with `cargo bench --bench build -- --generate 10000`
// and built with the release binary into target/search-bench/ (reused on later runs).
// Each query is typed one character at a time, as a reader would; every keystroke runs a full
// search (matching, ranking, highlights of the shown results). The whole session is typed
// ROUNDS times and the percentiles are over every keystroke of every round. Times are wall
// clock: run it on an otherwise idle machine. Exits with status 1 when the 95th percentile is
// 5 ms or more.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { createIndex, search } from "../themes/default/static/js/search-core.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_P95_MS = 5;
const ROUNDS = 3;
const QUERIES = [
  "dehydration",
  "dehidration",
  "cramp",
  "charley horse",
  "numbness",
  "pins and needles",
  "muscle spasm",
  "kidney infection",
  "tingling at night",
  "blood pressure",
  "swelling",
  "thyroid deficiency",
  "tired",
  "condition 1234",
  "topic042",
  "nerve compresion",
];

function indexPath(arg) {
  if (arg) {
    const p = resolve(arg);
    return statSync(p).isDirectory() ? join(p, "cause-index.json") : p;
  }
  const dir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, "target");
  const site = join(dir, "search-bench", "site-10000");
  const out = join(dir, "search-bench", "public-10000");
  const file = join(out, "cause-index.json");
  if (!existsSync(file)) {
    const run = (args) => execFileSync("cargo", args, { cwd: repo, stdio: ["ignore", "inherit", "inherit"] });
    if (!existsSync(join(site, "site.yaml"))) {
      console.error(`generating a 10,000-article site in ${site}`);
      run(["bench", "--bench", "build", "--", "--generate", "10000", site]);
    }
    console.error(`building it into ${out}`);
    run(["run", "--release", "-q", "--", "build", "--root", site, "--output", out]);
  }
  return file;
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const file = indexPath(process.argv[2]);
const bytes = readFileSync(file);
let t0 = process.hrtime.bigint();
const json = JSON.parse(bytes.toString("utf8"));
const parseMs = ms(t0);
t0 = process.hrtime.bigint();
const ix = createIndex(json);
const buildMs = ms(t0);

// Warm up the JIT on a query that is not measured.
for (const q of ["wa", "water", "walking pain"]) search(ix, q);

// Each query is a reader typing from an empty box: no cached words (the page keeps the
// memory of forgotten words for reuse, as it would after the first search).
const forget = () => {
  for (const r of ix.cache.values()) ix.pool.push(r);
  ix.cache.clear();
};

const times = [];
const slow = [];
const load = loadavg()[0];
for (let round = 0; round < ROUNDS; round++) for (const query of QUERIES) {
  forget();
  for (let i = 1; i <= query.length; i++) {
    const q = query.slice(0, i);
    const t = process.hrtime.bigint();
    const r = search(ix, q);
    const took = ms(t);
    times.push(took);
    slow.push({ q, took, causes: r.causes.total, articles: r.articles.total });
  }
}
const sorted = [...times].sort((a, b) => a - b);
const p50 = pct(sorted, 50), p95 = pct(sorted, 95), max = sorted[sorted.length - 1];

const js = ["search-core.js", "search.js"].map((f) => readFileSync(join(repo, "themes/default/static/js", f)));
const scriptGz = gzipSync(Buffer.concat(js), { level: 9 }).length;

console.log(`index        ${file}`);
console.log(`             ${json.articles.length} articles, ${json.causes.length} causes, ${ix.M} mentions, ${ix.words.length} distinct words`);
console.log(`             ${kb(bytes.length)} raw, ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped`);
console.log(`JSON.parse   ${parseMs.toFixed(1)} ms`);
console.log(`index build  ${buildMs.toFixed(1)} ms`);
console.log(`keystrokes   ${times.length}: ${QUERIES.length} queries typed ${ROUNDS} times`);
console.log(`per keystroke p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${max.toFixed(2)} ms (target p95 < ${TARGET_P95_MS} ms)`);
console.log("slowest      " + slow.sort((a, b) => b.took - a.took).slice(0, 5)
  .map((s) => `"${s.q}" ${s.took.toFixed(2)} ms (${s.causes} causes, ${s.articles} articles)`).join("; "));
if (load > 0.5) console.log(`note         load average ${load.toFixed(2)} when the run started: another process may have slowed it`);
console.log(`script       search-core.js + search.js: ${js[0].length + js[1].length} bytes, ${scriptGz} bytes gzipped (limit 10240)`);
if (p95 >= TARGET_P95_MS || scriptGz > 10240) {
  console.log("FAIL");
  process.exit(1);
}
