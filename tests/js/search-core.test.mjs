// Unit tests of the search core (themes/default/static/js/search-core.js): matching, ranking
// and result shapes, on a small handmade index and on the indexes cargo builds from the
// test fixture and from the sample site. Run with `node --test tests/js/`.

import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { buildSite } from "./support.mjs";
import {
  createIndex, distance, fold, highlight, parse, search, stem, URGENCY, words,
} from "../../themes/default/static/js/search-core.js";


const article = (url, fields = {}) => ({
  url, title: "Untitled", condition: null, also_known_as: [], description: "", tags: [], symptoms: [],
  updated: null, see_a_doctor: [], ...fields,
});

/** A small index written by hand: every field, synonyms, ties and an unsafe-looking title. */
const INDEX = {
  version: 1,
  articles: [
    article("feet/foot-spasms/", {
      title: "What Causes Spasms in Your Feet", condition: "Foot spasms", also_known_as: ["foot cramps"],
      description: "Why foot muscles tighten, and when to see a doctor.", tags: ["feet", "muscles"],
      symptoms: ["toes curling"], updated: "2026-11-02",
      see_a_doctor: [
        { text: "Spasms come back often.", urgency: "routine" },
        { text: "The foot turns cold, pale or blue.", urgency: "emergency" },
        { text: "Numbness comes with the spasms.", urgency: "urgent" },
      ],
    }),
    article("legs/leg-cramps/", {
      title: "Night-Time Leg Cramps", condition: "Night-time leg cramps", also_known_as: ["charley horse"],
      description: "Why calf muscles seize up in bed.", tags: ["legs", "sleep"], symptoms: ["sudden calf pain"],
      updated: "2026-10-05",
    }),
    article("head/tension-headaches/", {
      title: "Tension Headaches", condition: "Tension-type headache", description: "Headaches from tight muscles.",
      tags: ["headache"], symptoms: ["pressure around the forehead"], updated: "2026-11-18",
      see_a_doctor: [{ text: "Sudden severe headache with chest pain.", urgency: "emergency" }],
    }),
    article("skin/eczema/", {
      title: "Eczéma and Ménière’s: Accents in Titles", condition: "Ménière’s disease",
      description: "A title with accents.", tags: ["skin"], updated: "2026-01-01",
    }),
    article("lab/xss/", {
      title: "<img src=x onerror=window.__xss=1> Allergies", condition: "Allergies <b>bold</b>",
      description: "Markup-looking text is only text: <script>alert(1)</script>", tags: ["allergy"],
      updated: "2025-06-01",
    }),
    article("a/twin-b/", { title: "Twin rash", description: "Same words.", updated: "2026-03-01" }),
    article("a/twin-a/", { title: "Twin rash", description: "Same words.", updated: "2026-03-01" }),
    article("a/twin-new/", { title: "Twin rash", description: "Same words.", updated: "2026-04-01" }),
    article("a/spasmodic/", { title: "Spasmodic dysphonia", description: "A voice disorder.", updated: "2020-01-01" }),
    article("a/tubes/", { title: "Tubercular lungs", description: "Old words.", updated: "2020-01-01" }),
  ],
  causes: [
    {
      slug: "dehydration", name: "Dehydration", also_known_as: ["low fluid intake"], url: "causes/dehydration/",
      mentions: [
        { article: 0, group: "Physiological Triggers", summary: "Low fluid upsets the salts muscles need.", anchor: "physiological-triggers" },
        { article: 1, group: "Body Chemistry", summary: "Too little water makes cramps likelier.", anchor: "dehydration" },
        { article: 2, group: "Lifestyle Triggers", summary: "Not drinking enough can bring on a headache.", anchor: null },
      ],
    },
    {
      slug: "electrolyte-imbalance", name: "Electrolyte imbalance", also_known_as: [], url: "causes/electrolyte-imbalance/",
      mentions: [{ article: 0, group: "Physiological Triggers", summary: "Often follows dehydration after exercise.", anchor: "physiological-triggers" }],
    },
    {
      slug: "stress", name: "Stress", also_known_as: ["worry"], url: "causes/stress/",
      mentions: [{ article: 2, group: "Emotional Triggers", summary: "Tight shoulders feed headaches.", anchor: "emotional-triggers" }],
    },
    {
      slug: "xss", name: "<img src=x onerror=window.__xss=2>", also_known_as: [], url: "causes/xss/",
      mentions: [{ article: 4, group: "<i>group</i>", summary: "<img src=y onerror=alert(2)> summary", anchor: "x" }],
    },
  ],
  synonyms: [["cramp", "spasm", "charley horse"], ["tb", "tuberculosis", "consumption"]],
};

const ix = createIndex(INDEX);
const urls = (r) => r.articles.items.map((a) => a.url);
const slugs = (r) => r.causes.items.map((c) => c.slug);

describe("folding and words", () => {
  test("case and diacritics fold away", () => {
    assert.equal(fold("ÉCZÉMA"), "eczema");
    assert.equal(fold("Ménière’s"), "menieres");
    assert.equal(fold("Me\u0301nie\u0300re"), "meniere"); // already decomposed
    assert.equal(fold("Straße Æther Øresund"), "strasse aether oresund");
    assert.equal(fold("İstanbul"), "istanbul");
  });

  test("words are folded; highlights keep their places in the original text", () => {
    assert.deepEqual(words("Ménière’s disease, 2 days"), ["menieres", "disease", "2", "days"]);
    assert.deepEqual(words("pins-and-needles"), ["pins", "and", "needles"]);
    const text = "Eczéma and Ménière’s: Accents in Titles";
    assert.deepEqual(highlight(ix, text, parse(ix, "meniere's eczema")).map(([s, e]) => text.slice(s, e)), ["Eczéma", "Ménière’s"]);
  });

  test("accented queries find unaccented text and the other way round", () => {
    assert.deepEqual(urls(search(ix, "meniere")), ["skin/eczema/"]);
    assert.deepEqual(urls(search(ix, "ECZEMA")), ["skin/eczema/"]);
    assert.deepEqual(urls(search(ix, "Ménière’s disease")), ["skin/eczema/"]);
  });
});

describe("plural and suffix folding", () => {
  const cases = {
    cramps: "cramp", cramp: "cramp", cramping: "cramp", cramped: "cramp",
    spasms: "spasm", allergies: "allergy", allergy: "allergy", injuries: "injury",
    rashes: "rash", aches: "ach", ache: "ach", aching: "ach", causes: "caus", caused: "caus",
    swelling: "swell", bleeding: "bleed", bleed: "bleed", tingling: "tingl", tingle: "tingl",
    nerves: "nerv", nerve: "nerv", viruses: "virus", stopping: "stop", sweats: "sweat", sweating: "sweat",
  };
  for (const [word, want] of Object.entries(cases)) {
    test(`${word} → ${want}`, () => assert.equal(stem(word), want));
  }
  test("words that only look like plurals or participles are left alone", () => {
    for (const w of ["sinus", "virus", "tuberculosis", "gas", "bus", "feet", "being", "string", "red", "need", "covid19", "breathless", "ness"]) {
      assert.equal(stem(w), w, w);
    }
  });
  test("a symptom named by its adjective is one word with its noun", () => {
    for (const [noun, adjective] of [["numbness", "numb"], ["dizziness", "dizzy"], ["weakness", "weak"], ["tiredness", "tired"], ["stiffness", "stiff"]]) {
      assert.equal(stem(noun), stem(adjective), noun);
    }
  });
  test("a plural query finds the singular and back", () => {
    assert.deepEqual(urls(search(ix, "allergy")), ["lab/xss/"]);
    assert.deepEqual(urls(search(ix, "allergies ")), ["lab/xss/"]);
    assert.ok(urls(search(ix, "headache ")).includes("head/tension-headaches/"));
  });
});

describe("typos", () => {
  test("bounded optimal string alignment distance", () => {
    assert.equal(distance("dehidration", "dehydration", 2), 1);
    assert.equal(distance("dehyrdation", "dehydration", 2), 1); // a transposition is one edit
    assert.equal(distance("kitten", "sitting", 3), 3);
    assert.equal(distance("abc", "xyz", 1), 2); // anything past the bound is bound + 1
    assert.equal(distance("short", "much longer word", 2), 3);
    assert.equal(distance("dehid", "dehydration", 1, true), 1); // against the closest prefix
    assert.equal(distance("dehyd", "dehydration", 1, true), 0);
  });

  test("one edit from four letters, two from eight, none below four", () => {
    // (Electrolyte imbalance names dehydration in a summary: it comes second.)
    assert.deepEqual(slugs(search(ix, "dehidration")), ["dehydration", "electrolyte-imbalance"]); // 1 edit
    assert.deepEqual(slugs(search(ix, "dehidrasion")), ["dehydration", "electrolyte-imbalance"]); // 2 edits, 11 letters
    assert.deepEqual(slugs(search(ix, "wrryy ")), []); // 5 letters, 2 edits: too many
    assert.deepEqual(slugs(search(ix, "worr ")), ["stress"]); // 4 letters, 1 edit
    assert.deepEqual(slugs(search(ix, "strees ")), ["stress"]); // 6 letters, 1 edit
    assert.deepEqual(urls(search(ix, "crmp ")).sort(), ["feet/foot-spasms/", "legs/leg-cramps/"]); // 4 letters, 1 edit
    assert.deepEqual(urls(search(ix, "rsh ")), []); // 3 letters: no typos
  });

  test("a word still being typed may carry a typo", () => {
    assert.deepEqual(slugs(search(ix, "dehid")), ["dehydration", "electrolyte-imbalance"]);
  });

  test("a word that exists on the site is not treated as a typo of another", () => {
    // "twin" is a word of the index: no results for near words such as "twig" or "tin".
    const r = search(ix, "twin ");
    assert.deepEqual(urls(r), ["a/twin-new/", "a/twin-a/", "a/twin-b/"]);
  });
});

describe("prefixes", () => {
  test("the last word is a prefix while it is being typed", () => {
    assert.deepEqual(slugs(search(ix, "dehyd")), ["dehydration", "electrolyte-imbalance"]);
    assert.deepEqual(slugs(search(ix, "electro")), ["electrolyte-imbalance"]);
  });
  test("a finished word (followed by a space) is not a prefix", () => {
    assert.deepEqual(slugs(search(ix, "electro ")), []);
    // "electro" is found nowhere: the results are those of the other word, and say so.
    const r = search(ix, "electro imbalance");
    assert.deepEqual(slugs(r), ["electrolyte-imbalance"]);
    assert.deepEqual([r.partial, r.missing], [true, ["electro"]]);
  });
  test("earlier words are whole words", () => {
    assert.deepEqual(parse(ix, "dehyd head").map((t) => t.prefix), [false, true]);
  });
});

describe("synonyms", () => {
  test("a query for cramp also finds spasm, and the other way round", () => {
    const cramp = search(ix, "cramp");
    assert.ok(urls(cramp).includes("feet/foot-spasms/"), "spasm article found through cramp");
    assert.ok(urls(search(ix, "spasm ")).includes("legs/leg-cramps/"), "cramp article found through spasm");
  });
  test("a synonym of several words works as a phrase, both ways", () => {
    const r = search(ix, "charley horse");
    assert.deepEqual(r.terms.length, 1);
    assert.deepEqual(urls(r).sort(), ["feet/foot-spasms/", "legs/leg-cramps/"]);
    // "spasm" reaches the article that says "charley horse" (and "cramps").
    assert.ok(urls(search(ix, "spasm ")).includes("legs/leg-cramps/"));
    // One word of the phrase alone is just that word.
    assert.deepEqual(urls(search(ix, "horse ")), ["legs/leg-cramps/"]);
  });
  test("a phrase synonym is recognised while its last word is typed", () => {
    assert.equal(parse(ix, "charley hor")[0].text, "charley hor");
    assert.deepEqual(urls(search(ix, "charley hor")).sort(), ["feet/foot-spasms/", "legs/leg-cramps/"]);
  });
  test("synonyms are highlighted where they matched", () => {
    const r = search(ix, "cramp");
    const feet = r.articles.items.find((a) => a.url === "feet/foot-spasms/");
    assert.deepEqual(feet.titleRanges.map(([s, e]) => feet.title.slice(s, e)), ["Spasms"]);
    const legs = search(ix, "spasm ").articles.items.find((a) => a.url === "legs/leg-cramps/");
    assert.ok(legs.matches.some((m) => m.text === "charley horse" && m.ranges[0][0] === 0 && m.ranges[0][1] === 13));
  });
  test("the words of a synonym group that are not on the site are simply skipped", () => {
    assert.deepEqual(urls(search(ix, "tb ")), []);
    assert.deepEqual(search(ix, "tb").terms[0].alts.map((a) => a.stems.join(" ")), ["tuberculosis", "consumption"]);
  });
});

describe("several words", () => {
  test("pages with every word come alone, each word in any field", () => {
    const r = search(ix, "dehydration headache");
    assert.deepEqual(urls(r), ["head/tension-headaches/"]); // cause name + title
    assert.deepEqual(slugs(r), ["dehydration"]);
    assert.deepEqual(r.causes.items[0].mentions.map((m) => m.url), ["head/tension-headaches/"]);
    assert.equal(r.partial, false);
    assert.deepEqual(urls(search(ix, "calf sleep")), ["legs/leg-cramps/"]); // symptom + tag
  });
  test("when no page has every word, the pages with the most of them are shown", () => {
    const r = search(ix, "feet sleep");
    assert.equal(r.partial, true);
    assert.deepEqual(r.missing, []); // each word is somewhere, never together
    assert.ok(urls(r).includes("feet/foot-spasms/") && urls(r).includes("legs/leg-cramps/"), urls(r).join(" "));
    const none = search(ix, "zebra quagga");
    assert.deepEqual([urls(none), slugs(none), none.missing], [[], [], ["zebra", "quagga"]]);
  });
  test("a cause matches through the conditions it leads to", () => {
    const r = search(ix, "headache");
    assert.deepEqual(slugs(r), ["dehydration", "stress"]); // equal scores and updates: by slug
    const dehydration = r.causes.items.find((c) => c.slug === "dehydration");
    assert.deepEqual(dehydration.mentions.map((m) => m.href), ["head/tension-headaches/"]); // anchor null: the article
    assert.equal(dehydration.matchedMentions, 1);
    assert.equal(dehydration.mentionCount, 3);
  });
  test("a cause found by its own name lists every mention, each linking to its section", () => {
    const c = search(ix, "dehydration").causes.items[0];
    assert.equal(c.slug, "dehydration");
    assert.deepEqual(c.mentions.map((m) => m.href), [
      "head/tension-headaches/", // newest article first
      "feet/foot-spasms/#physiological-triggers",
      "legs/leg-cramps/#dehydration",
    ]);
    assert.deepEqual(c.mentions.map((m) => m.group), ["Lifestyle Triggers", "Physiological Triggers", "Body Chemistry"]);
  });
  test("also_known_as of causes and articles are searched", () => {
    assert.deepEqual(slugs(search(ix, "low fluid intake")), ["dehydration"]);
    assert.deepEqual(slugs(search(ix, "worry")), ["stress"]);
    assert.ok(urls(search(ix, "foot cramps")).includes("feet/foot-spasms/"));
  });
  test("tags, symptoms and descriptions are searched", () => {
    assert.deepEqual(urls(search(ix, "muscles ")).sort(), ["feet/foot-spasms/", "head/tension-headaches/", "legs/leg-cramps/"]);
    assert.deepEqual(urls(search(ix, "toes curling")), ["feet/foot-spasms/"]);
    assert.deepEqual(urls(search(ix, "voice")), ["a/spasmodic/"]);
  });
  test("an empty or blank query gives nothing", () => {
    for (const q of ["", "   ", "?!", null, undefined]) {
      const r = search(ix, q);
      assert.equal(r.causes.total + r.articles.total, 0);
    }
  });
});

describe("ranking", () => {
  test("exact beats prefix", () => {
    const r = search(ix, "spasm");
    const order = urls(r);
    assert.ok(order.indexOf("feet/foot-spasms/") < order.indexOf("a/spasmodic/"), order.join());
  });
  test("prefix beats typo, exact beats typo (quality order)", () => {
    const twoWords = search(ix, "sudden calf");
    assert.deepEqual(urls(twoWords), ["legs/leg-cramps/"]);
    const e = search(ix, "headache ").articles.items[0];
    const p = search(ix, "headac").articles.items[0];
    const t = search(ix, "headahce ").articles.items[0];
    assert.equal(e.url, "head/tension-headaches/");
    assert.ok(e.score > p.score && p.score > t.score, `${e.score} ${p.score} ${t.score}`);
  });
  test("names beat summaries and descriptions", () => {
    // Dehydration is a name; the electrolyte cause only mentions it in a summary.
    assert.deepEqual(slugs(search(ix, "dehydration ")), ["dehydration", "electrolyte-imbalance"]);
    // Title match beats description match.
    const r = search(ix, "headaches ");
    assert.equal(urls(r)[0], "head/tension-headaches/");
  });
  test("ties go to the newest update, then to the URL", () => {
    assert.deepEqual(urls(search(ix, "twin rash")), ["a/twin-new/", "a/twin-a/", "a/twin-b/"]);
  });
  test("the order is stable: the same query gives the same results, whatever was typed before", () => {
    const first = search(ix, "muscles ");
    for (const q of ["m", "mu", "mus", "dehydration", "cramp", "twin"]) search(ix, q);
    assert.deepEqual(search(ix, "muscles "), first);
    assert.deepEqual(search(createIndex(structuredClone(INDEX)), "muscles "), first);
  });
  test("limits cut the lists, totals count everything", () => {
    const r = search(ix, "twin", { articles: 2, causes: 1, mentions: 1 });
    assert.equal(r.articles.total, 3);
    assert.equal(r.articles.items.length, 2);
    const d = search(ix, "dehydration", { mentions: 1 }).causes.items[0];
    assert.equal(d.mentions.length, 1);
    assert.equal(d.matchedMentions, 3);
  });
});

describe("red flags", () => {
  test("a red-flag match shows the flag with its urgency in words", () => {
    const a = search(ix, "pale blue").articles.items[0];
    assert.equal(a.url, "feet/foot-spasms/");
    assert.deepEqual(a.flags.map((f) => [f.urgency, f.label, f.text]), [["emergency", "Emergency", "The foot turns cold, pale or blue."]]);
    assert.equal(URGENCY.urgent, "Urgent");
  });
  test("several matched flags come most urgent first", () => {
    const a = search(ix, "spasms ").articles.items.find((x) => x.url === "feet/foot-spasms/");
    assert.deepEqual(a.flags.map((f) => f.urgency), ["urgent", "routine"]);
  });
  test("chest pain finds the emergency flag", () => {
    const a = search(ix, "chest pain").articles.items[0];
    assert.equal(a.flags[0].label, "Emergency");
    assert.deepEqual(a.flags[0].ranges.map(([s, e]) => a.flags[0].text.slice(s, e)), ["chest pain"]);
  });
});

describe("markup in the data", () => {
  test("strings come back exactly as they are in the index, never changed or escaped", () => {
    const r = search(ix, "img");
    const a = r.articles.items.find((x) => x.url === "lab/xss/");
    assert.equal(a.title, "<img src=x onerror=window.__xss=1> Allergies");
    assert.equal(a.condition, "Allergies <b>bold</b>");
    assert.equal(a.description, "Markup-looking text is only text: <script>alert(1)</script>");
    assert.deepEqual(a.titleRanges.map(([s, e]) => a.title.slice(s, e)), ["img"]);
    const c = r.causes.items.find((x) => x.slug === "xss");
    assert.equal(c.name, "<img src=x onerror=window.__xss=2>");
    assert.equal(c.mentions[0].group, "<i>group</i>");
    assert.equal(c.mentions[0].summary, "<img src=y onerror=alert(2)> summary");
  });
  test("highlight ranges are offsets into the original string", () => {
    const text = "Night-Time Leg Cramps";
    const ranges = highlight(ix, text, parse(ix, "cramp"));
    assert.deepEqual(ranges.map(([s, e]) => text.slice(s, e)), ["Cramps"]);
    const phrase = "Also called a charley   horse";
    assert.deepEqual(highlight(ix, phrase, parse(ix, "cramp")).map(([s, e]) => phrase.slice(s, e)), ["charley   horse"]);
  });
  test("a version other than 1 is refused", () => {
    assert.throws(() => createIndex({ version: 2, articles: [], causes: [] }), /version/);
    assert.throws(() => createIndex(null), /version/);
  });
});

// ------------------------------------------------------------------ indexes built by cargo

/** The index cargo builds from a site folder. */
function built(root) {
  const { dir, public: out } = buildSite(root);
  const json = JSON.parse(readFileSync(join(out, "cause-index.json"), "utf8"));
  rmSync(dir, { recursive: true, force: true });
  return json;
}

describe("the sample site", () => {
  let sample;
  before(() => (sample = createIndex(built("."))));

  test("cramp finds the cramp and spasm articles and the causes of cramps, linking to their sections", () => {
    const r = search(sample, "cramp");
    assert.deepEqual(urls(r).sort(), ["foot-spasms/", "nerves-and-muscles/leg-cramps-at-night/"]);
    const dehydration = r.causes.items.find((c) => c.slug === "dehydration") || search(sample, "cramp", { causes: 100 }).causes.items.find((c) => c.slug === "dehydration");
    assert.ok(dehydration, "Dehydration is a cause of cramps");
    assert.deepEqual(dehydration.mentions.map((m) => m.href).sort(), ["foot-spasms/#dehydration", "nerves-and-muscles/leg-cramps-at-night/#dehydration"]);
  });

  test("dehidration (a typo) finds dehydration and every article it is explained in", () => {
    const r = search(sample, "dehidration");
    assert.equal(r.causes.items[0].slug, "dehydration");
    assert.ok(r.causes.items[0].mentions.every((m) => m.href.endsWith("#dehydration")));
    assert.ok(urls(r).includes("foot-spasms/"));
  });

  test("numbness finds the tingling article, red flags that name it, and causes of numbness", () => {
    const r = search(sample, "numbness", { causes: 50 });
    assert.equal(urls(r)[0], "nerves-and-muscles/tingling-hands-and-feet/");
    assert.ok(r.articles.items.some((a) => a.flags.length && a.flags[0].text.toLowerCase().includes("numbness")));
    assert.ok(slugs(r).includes("peripheral-neuropathy"));
    assert.ok(slugs(r).includes("multiple-sclerosis"));
  });

  test("a tag finds its articles", () => {
    const r = search(sample, "circulation", { articles: 50 });
    for (const url of ["dizziness-on-standing/", "foot-spasms/", "slow-healing-wounds/"]) assert.ok(urls(r).includes(url), url);
    assert.ok(r.articles.items.find((a) => a.url === "slow-healing-wounds/").matches.some((m) => m.field === "tag"));
  });

  test("synonyms from site.yaml work in both directions", () => {
    assert.ok(urls(search(sample, "charley horse")).includes("foot-spasms/"));
    assert.ok(urls(search(sample, "tb")).includes("tuberculosis-risk/"));
    assert.ok(urls(search(sample, "pins and needles")).includes("nerves-and-muscles/tingling-hands-and-feet/"));
  });
});

describe("the test fixture", () => {
  let fixture;
  before(() => (fixture = createIndex(built("tests/fixtures/site"))));

  test("a cause shared by two articles is one result, with both mentions", () => {
    const c = search(fixture, "dehydration").causes.items[0];
    assert.equal(c.slug, "dehydration");
    assert.equal(c.mentionCount, 2);
    assert.deepEqual(c.mentions.map((m) => m.href).sort(), ["feet/foot-spasms/#physiological-triggers", "lungs/tuberculosis-risk/#who-is-at-risk"]);
  });

  test("a title with a script tag is a plain string in the results", () => {
    const a = search(fixture, "spasms").articles.items[0];
    assert.equal(a.title, 'What Causes Spasms in Your Feet <script>alert("t")</script>');
  });
});

