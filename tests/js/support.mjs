// Shared by the Node tests: building a site with cargo into a temporary folder.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Builds the site folder `root` (relative to the repository) with cargo into a temporary
 * public/; a fixture without themes gets the repository's. The caller removes `dir`.
 */
export function buildSite(root, prefix = "causeway-js-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!existsSync(join(repo, root, "themes"))) {
    cpSync(join(repo, root), join(dir, "site"), { recursive: true });
    cpSync(join(repo, "themes"), join(dir, "site", "themes"), { recursive: true });
    root = join(dir, "site");
  }
  execFileSync("cargo", ["run", "-q", "--", "build", "--root", root, "--output", join(dir, "public")], {
    cwd: repo, stdio: ["ignore", "ignore", "inherit"],
  });
  return { dir, public: join(dir, "public") };
}
