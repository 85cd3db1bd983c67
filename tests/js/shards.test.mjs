// Unit tests of the sharded search index (search/ beside cause-index.json): the words, stems
// and shard keys shared with the Rust writer, and that searching over the files a query
// needs (as the live page does) gives exactly what searching with every file loaded gives.
// Run with `node --test tests/js/*.test.mjs`.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildSite, repo } from "./support.mjs";
import {
  addShard, addVocab, createIndex, search, shardFile, shardIndex, shardKey, shardsFor, stem, stemmer, vocabFile, words,
} from "../../themes/default/static/js/search-core.js";

const table = JSON.parse(readFileSync(join(repo, "tests/fixtures/search-words.json"), "utf8"));

describe("words, stems and shard keys, as the Rust writer makes them", () => {
  test("words of texts", () => {
    for (const [text, want] of table.words) assert.deepEqual(words(text), want, text);
  });
  test("stems", () => {
    for (const [w, want] of table.stems) assert.equal(stem(w), want, w);
  });
  test("stems in each language, with the rules the manifest gives", () => {
    const rules = JSON.parse(readFileSync(join(repo, "tests/fixtures/stemmer-rules.json"), "utf8"));
    for (const [lang, cases] of Object.entries(table.stemmers)) {
      const s = stemmer(lang in rules ? rules[lang] : null);
      for (const [written, want] of cases) assert.equal(s(words(written)[0]), want, `${lang}: ${written}`);
    }
    // An index that names no stemmer was made for English.
    assert.equal(stemmer(undefined)("cramping"), "cramp");
    assert.equal(stemmer(null)("cramping"), "cramping");
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
  const shard = (k) => addShard(ix, k, read(shardFile(k))) || files.push(shardFile(k));
  const run = (q, limits) => {
    const s = shardsFor(ix, q);
    s.keys.forEach(shard);
    for (;;) {
      ix.need.clear();
      const r = search(ix, s.query, limits);
      if (!ix.need.size && !ix.needKeys.size && !ix.needVocab.size) return { r, query: s.query };
      for (const f of ix.need) ix.files.set(f, read(f)), files.push(f);
      [...ix.needKeys].forEach(shard);
      for (const k of ix.needVocab) addVocab(ix, k, read(vocabFile(k))), files.push(vocabFile(k));
    }
  };
  return { ix, run, files, read };
}

/** A page that has loaded every file of the index. */
function everything(dir) {
  const page = sharded(dir), { ix, read } = page;
  for (const k in ix.man.shards) addShard(ix, k, read(shardFile(k)));
  for (const k in ix.man.vocabulary) addVocab(ix, k, read(vocabFile(k)));
  return page;
}

const QUERIES = [
  "cramp", "cramps ", "spasm", "charley horse", "charley hor", "dehydration", "dehyd", "dehidration", "numbness",
  "pins and needles", "tingling", "tb", "tuberculosis", "circulation", "foot cramps", "leg cramps at night",
  "meniere", "tired", "muscle", "night sweats", "when to see a doctor", "dehydration headache",
  "pale blue", "chest pain", "markup", "onerror", "script", "de", "d", "nerve", "spasms ", "numb", "circ",
  // Typos in the first letters, questions, words found nowhere.
  "nuerve", "edhydration", "ehydration", "tuberclosis ", "why do my feet cramp at night", "can stress cause a headache",
  "zebra cramps", "what is it", "dehidration zebra",
];
const LIMITS = [undefined, { causes: 3, articles: 5, mentions: 2 }, { causes: 20, articles: 30, mentions: 6 }];

for (const site of [".", "tests/fixtures/site", "tests/fixtures/search-site"]) {
  describe(`shards of ${site === "." ? "the sample site" : site}`, () => {
    let b, full;
    before(() => {
      b = built(site);
      full = everything(b.public);
    });
    after(() => b && rmSync(b.dir, { recursive: true, force: true }));

    test("each query, over only the shards it needs, finds what the whole index finds", () => {
      for (const q of QUERIES) {
        for (const limits of LIMITS) {
          const one = sharded(b.public); // a fresh page for each query
          const { r, query } = one.run(q, limits);
          assert.deepEqual(r, full.run(query, limits).r, `${q} ${JSON.stringify(limits)}`);
        }
      }
    });

    test("a page that searched many queries before still finds the same", () => {
      const page = sharded(b.public);
      for (const q of [...QUERIES, ...QUERIES.slice().reverse()]) {
        const { r, query } = page.run(q);
        assert.deepEqual(r, full.run(query).r, q);
      }
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
    assert.equal(man.version, 2);
    const files = readdirSync(join(dir, "t")).sort();
    assert.deepEqual(Object.keys(man.shards).map((k) => `${shardFile(k).slice(2)}.json`).sort(), files);
    for (const k in man.shards) assert.equal(readFileSync(join(dir, `${shardFile(k)}.json`)).length, man.shards[k], k);
    // The typo vocabulary: a file per word length and last letter, as many words as the
    // manifest says.
    assert.deepEqual(Object.keys(man.vocabulary).map((k) => `${vocabFile(k).slice(2)}.json`).sort(), readdirSync(join(dir, "v")).sort());
    for (const k in man.vocabulary) {
      const list = JSON.parse(readFileSync(join(dir, `${vocabFile(k)}.json`), "utf8"));
      assert.equal(list.length, man.vocabulary[k], k);
      assert.ok(list.every((w) => `${Math.min([...w].length, 24)}${[...w].pop()}` === k && !/\d/.test(w)), k);
    }
    assert.ok(man.stop_words.includes("why") && !man.stop_words.includes("not"));
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

  test("a version other than 2 is refused", () => {
    assert.throws(() => shardIndex({ version: 1 }), /version/);
    assert.throws(() => shardIndex({ version: 3 }), /version/);
  });

  test("a typo in the first letters finds the word, loading the shard of the word meant", () => {
    const page = sharded(b.public);
    const { r } = page.run("ehydration ");
    assert.ok(r.causes.items.some((c) => c.slug === "dehydration"), JSON.stringify(r.causes.items.map((c) => c.slug)));
    assert.ok(page.files.some((f) => /^t\/de/.test(f)), page.files.join(" "));
  });

  test("question words are set aside", () => {
    const page = sharded(b.public);
    const terms = page.run("why do my feet cramp at night").r.terms.map((t) => t.text);
    assert.deepEqual(terms, ["feet", "cramp", "night"]);
    assert.deepEqual(page.run("why").r.terms.map((t) => t.text), ["why"]);
  });
});
