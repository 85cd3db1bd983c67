// Helpers for the end-to-end tests: build a site with causeway, serve it on 127.0.0.1 under a
// sub-path, and start Debian's headless Chromium through playwright-core.

import { execFileSync } from "node:child_process";
import { cpSync, createReadStream, existsSync, mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
};

/**
 * A static server for `root`, reachable at http://127.0.0.1:<port><prefix>. Paths are decoded,
 * normalised and must stay inside `root` (no `..`, no symbolic links out, no NUL); folders
 * serve their index.html; anything else is a 404 with the site's 404.html when it exists.
 * `requests` records every path asked for.
 */
export async function serve(root, prefix = "/") {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push(url.pathname);
    const notFound = () => {
      const page = join(root, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      if (existsSync(page)) createReadStream(page).pipe(res);
      else res.end("not found");
    };
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405);
      return res.end();
    }
    if (!rel.startsWith(prefix) || rel.includes("\0") || rel.split("/").includes("..")) return notFound();
    let file = resolve(root, `.${rel.slice(prefix.length - 1)}`);
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const real = realpathSync(file), top = realpathSync(root);
      if (real !== top && !real.startsWith(top + sep)) return notFound();
      if (!statSync(real).isFile()) return notFound();
      res.writeHead(200, { "content-type": TYPES[extname(real)] || "application/octet-stream", "cache-control": "no-store" });
      if (req.method === "HEAD") return res.end();
      createReadStream(real).pipe(res);
    } catch {
      notFound();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const port = server.address().port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Builds the site at `root` (relative to the repository) into `out` for `baseUrl`. */
export function build(root, out, baseUrl) {
  execFileSync("cargo", ["run", "-q", "--", "build", "--root", root, "--output", out, "--base-url", baseUrl], {
    cwd: repo,
    env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH || "1795000000" },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/**
 * The site in `root` (relative to the repository) built for http://127.0.0.1:<port><prefix>
 * and served there: { server, dir, close }. A fixture without themes gets a copy of the
 * repository's, as the Rust tests do.
 */
export async function site(root, prefix = "/health/") {
  const dir = mkdtempSync(join(tmpdir(), "causeway-e2e-"));
  if (!existsSync(join(repo, root, "themes"))) {
    cpSync(join(repo, root), join(dir, "src"), { recursive: true });
    cpSync(join(repo, "themes"), join(dir, "src", "themes"), { recursive: true });
    root = join(dir, "src");
  }
  const out = join(dir, "www", ...prefix.split("/").filter(Boolean));
  const server = await serve(join(dir, "www"), "/");
  build(root, out, `${server.origin}${prefix}`);
  return {
    server,
    url: `${server.origin}${prefix}`,
    dir: out,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium through playwright-core. */
export async function browser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
