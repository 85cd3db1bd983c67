// Unit tests of the sharded search index (search/ beside cause-index.json): the words, stems
// and shard keys shared with the Rust writer, and that searching over the shards a query
// needs gives exactly what searching over the whole cause-index.json gives. Run with
// `node --test tests/js/*.test.mjs`.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildSite, repo } from "./support.mjs";
import {
  addShard, createIndex, search, shardFile, shardIndex, shardKey, shardsFor, stem, words,
} from "../../themes/default/static/js/search-core.js";

const table = JSON.parse(readFileSync(join(repo, "tests/fixtures/search-words.json"), "utf8"));

describe("words, stems and shard keys, as the Rust writer makes them", () => {
  test("words of texts", () => {
    for (const [text, want] of table.words) assert.deepEqual(words(text), want, text);
  });
  test("stems", () => {
    for (const [w, want] of table.stems) assert.equal(stem(w), want, w);
  });
  test("shard keys and their files", () => {
    const split = new Set(table.keys.split);
    for (const [w, key, file] of table.keys.words) {
      assert.equal(shardKey(split, w), key, w);
      assert.equal(shardFile(key), `t/${file}`, key);
    }
  });
});

/** A site folder built by cargo into a temporary public/. */
const built = (root) => buildSite(root, "causeway-shards-");

/** Searches over the shards of a built site, loading files as search.js does (synchronously). */
function sharded(dir) {
  const read = (f) => JSON.parse(readFileSync(join(dir, "search", `${f}.json`), "utf8"));
  const ix = shardIndex(read("manifest"));
  const files = [];
  const run = (q, limits) => {
    const s = shardsFor(ix, q);
    for (const k of s.keys) addShard(ix, k, read(shardFile(k))), files.push(shardFile(k));
    for (;;) {
      ix.need.clear();
      const r = search(ix, s.query, limits);
      if (!ix.need.size) return { r, query: s.query };
      for (const f of ix.need) ix.files.set(f, read(f)), files.push(f);
    }
  };
  return { ix, run, files };
}

const QUERIES = [
  "cramp", "cramps ", "spasm", "charley horse", "charley hor", "dehydration", "dehyd", "dehidration", "numbness",
  "pins and needles", "tingling", "tb", "tuberculosis", "circulation", "foot cramps", "leg cramps at night",
  "meniere", "tired", "muscle", "night sweats", "when to see a doctor", "dehydration headache",
  "pale blue", "chest pain", "markup", "onerror", "script", "de", "d", "nerve", "spasms ", "numb", "circ",
];
const LIMITS = [undefined, { causes: 3, articles: 5, mentions: 2 }, { causes: 20, articles: 30, mentions: 6 }];

for (const site of [".", "tests/fixtures/site", "tests/fixtures/search-site"]) {
  describe(`shards of ${site === "." ? "the sample site" : site}`, () => {
    let b, full;
    before(() => {
      b = built(site);
      full = createIndex(JSON.parse(readFileSync(join(b.public, "cause-index.json"), "utf8")));
    });
    after(() => b && rmSync(b.dir, { recursive: true, force: true }));

    test("each query, over only the shards it needs, finds what the whole index finds", () => {
      for (const q of QUERIES) {
        for (const limits of LIMITS) {
          const one = sharded(b.public); // a fresh page for each query
          const { r, query } = one.run(q, limits);
          assert.deepEqual(r, search(full, query, limits), `${q} ${JSON.stringify(limits)}`);
        }
      }
    });

    test("a page that searched many queries before still finds the same", () => {
      const page = sharded(b.public);
      for (const q of [...QUERIES, ...QUERIES.slice().reverse()]) {
        const { r, query } = page.run(q);
        assert.deepEqual(r, search(full, query), q);
      }
      // And with every shard loaded.
      for (const k in page.ix.man.shards) addShard(page.ix, k, JSON.parse(readFileSync(join(b.public, "search", `${shardFile(k)}.json`), "utf8")));
      for (const q of QUERIES) assert.deepEqual(page.run(q).r, search(full, page.run(q).query), q);
    });

    test("a query loads only the shards of its words and their synonyms", () => {
      const page = sharded(b.public);
      page.run("dehydration");
      assert.ok(page.files.every((f) => !f.startsWith("t/") || /^t\/de/.test(f)), page.files.join(" "));
      assert.ok(page.files.some((f) => f.startsWith("c/")), "the cause's record");
      const shards = Object.keys(page.ix.man.shards).length;
      assert.ok(page.ix.loaded.size < shards / 4, `${page.ix.loaded.size} of ${shards}`);
    });
  });
}

describe("the sharded form on its own", () => {
  let b;
  before(() => (b = built("tests/fixtures/search-site")));
  after(() => b && rmSync(b.dir, { recursive: true, force: true }));

  test("the manifest is small and lists every shard file with its size", () => {
    const dir = join(b.public, "search");
    const man = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    assert.equal(man.version, 1);
    const files = readdirSync(join(dir, "t")).sort();
    assert.deepEqual(Object.keys(man.shards).map((k) => `${shardFile(k).slice(2)}.json`).sort(), files);
    for (const k in man.shards) assert.equal(readFileSync(join(dir, `${shardFile(k)}.json`)).length, man.shards[k], k);
  });

  test("markup in the data comes back as the same plain strings", () => {
    const { r } = sharded(b.public).run("markup");
    const titles = r.articles.items.map((a) => a.title);
    assert.ok(titles.some((t) => t.includes("<img src=x onerror=window.__xss=1>")), titles.join(" | "));
  });

  test("a short last word is taken whole; a longer one is a prefix", () => {
    const ix = sharded(b.public).ix;
    assert.equal(shardsFor(ix, "m").query, "m ");
    assert.equal(shardsFor(ix, "ma").query, "ma");
    assert.equal(shardsFor(ix, "ma ").query, "ma ");
    assert.equal(shardsFor(ix, "leg c").query, "leg c ");
  });

  test("a version other than 1 is refused", () => {
    assert.throws(() => shardIndex({ version: 2 }), /version/);
  });
});
