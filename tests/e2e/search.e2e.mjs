// End-to-end test of reader search in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). Each site is built with cargo for a /health/ sub-path, served on
// 127.0.0.1, and searched the way a reader would: typing, keyboard, links, shared URLs.
// Run with `node --test tests/e2e/search.e2e.mjs` (scripts/test.sh does it all).

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { browser, site } from "./support.mjs";

let chromium;
before(async () => (chromium = await browser()));
after(async () => chromium && (await chromium.close()));

/** A fresh page that records script errors and dialogs (which no content may ever open). */
async function open(s, path, options = {}) {
  const context = await chromium.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && page.problems.push(`console: ${m.text()}`));
  page.on("dialog", (d) => page.problems.push(`dialog: ${d.message()}`) && d.dismiss());
  if (path != null) await page.goto(s.url + path);
  return page;
}

async function done(page) {
  assert.deepEqual(page.problems, []);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "markup from content ran");
  await page.context().close();
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim()));

/** Types into the header box and waits for the suggestions to show `text`. */
async function suggest(page, query, text) {
  await page.fill("#site-search-q", "");
  await page.click("#site-search-q");
  await page.keyboard.type(query);
  // Suggestions come once the files the query needs are in: wait for those of this query.
  await page.waitForFunction(([t, q]) => {
    const list = document.getElementById("site-search-q-list");
    return list && !list.hidden && list.textContent.includes(t) && list.textContent.includes(`“${q}”`);
  }, [text, query.trim()]);
  return texts(page, "#site-search-q-list [role=option]");
}

/** Types on /search/ and waits until the results mention `text`. */
async function results(page, query, text) {
  await page.fill("#search-q", query);
  await page.waitForFunction(([t, q]) => document.getElementById("search-status").textContent.includes(`“${q}”`) &&
    document.getElementById("search-results").textContent.includes(t), [text, query.trim()]);
}

/** Follows a link and checks that it lands on an element with the link's fragment as id. */
async function lands(page, link, path, fragment) {
  const href = await link.getAttribute("href");
  assert.ok(href.includes(`/health/${path}`), href);
  await Promise.all([page.waitForURL((u) => u.pathname === `/health/${path}`), link.click()]);
  const url = new URL(page.url());
  assert.equal(url.hash, fragment ? `#${fragment}` : "");
  if (fragment) assert.ok(await page.evaluate((id) => !!document.getElementById(id), fragment), `no #${fragment} on ${path}`);
}

describe("the test fixture under a sub-path", () => {
  let s;
  before(async () => (s = await site("tests/fixtures/site")));
  after(async () => s && (await s.close()));

  test("the index's manifest loads on first focus of a search box, not with the page", async () => {
    const page = await open(s, "feet/foot-spasms/");
    await page.waitForLoadState("networkidle");
    assert.ok(s.server.requests.some((p) => p.endsWith("/health/js/search.js")), "the script loads with the page");
    assert.ok(!s.server.requests.some((p) => p.startsWith("/health/search/") && p.endsWith(".json")), "the index waits for a search box");
    await page.focus("#site-search-q");
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith("/health/search/manifest.json")));
    assert.ok(s.server.requests.includes("/health/search/manifest.json"));
    await done(page);
  });

  test("a query fetches the manifest, its words' shards and the records it shows, never cause-index.json", async () => {
    const page = await open(s, "");
    const from = s.server.requests.length;
    await suggest(page, "dehydration", "Foot spasms");
    const asked = s.server.requests.slice(from).filter((p) => p.endsWith(".json"));
    assert.ok(asked.includes("/health/search/manifest.json"), asked.join(" "));
    const shards = asked.filter((p) => p.startsWith("/health/search/t/"));
    assert.ok(shards.length > 0 && shards.every((p) => /^\/health\/search\/t\/de[a-z]?\.json$/.test(p)), shards.join(" "));
    assert.ok(asked.some((p) => p.startsWith("/health/search/c/")), "the cause's record");
    assert.ok(asked.some((p) => p.startsWith("/health/search/m/")), "the records of its mentions");
    assert.ok(!asked.includes("/health/cause-index.json"), "the whole index is never fetched");
    // Each file once per page: another query on the same words fetches nothing more.
    const before = s.server.requests.length;
    await suggest(page, "dehydratio", "Foot spasms");
    assert.deepEqual(s.server.requests.slice(before), []);
    await done(page);
  });

  test("a cause, a symptom, a synonym and a typo each find their results", async () => {
    const page = await open(s, "");
    // A cause: its conditions, each linking to its section.
    let options = await suggest(page, "dehydration", "Dehydration");
    assert.match(options[0], /^Dehydration · 2 articles$/);
    assert.ok(options.some((o) => o.includes("Foot spasms") && o.includes("Physiological Triggers")), options.join(" | "));
    // A symptom.
    options = await suggest(page, "tightening", "What Causes Spasms");
    assert.ok(options.some((o) => o.startsWith("What Causes Spasms in Your Feet")), options.join(" | "));
    // A synonym: cramp finds the article about spasms.
    options = await suggest(page, "cramp", "Spasms");
    assert.ok(options.some((o) => o.startsWith("What Causes Spasms in Your Feet")), options.join(" | "));
    assert.equal(await page.textContent("#site-search-q-list mark"), "Spasms");
    // A typo.
    options = await suggest(page, "dehidration", "Dehydration");
    assert.match(options[0], /^Dehydration/);
    // The title's <script> is text, shown as written.
    options = await suggest(page, "spasms", "What Causes");
    assert.ok(options.some((o) => o.includes('<script>alert("t")</script>')), options.join(" | "));
    await done(page);
  });

  test("the combobox works by keyboard: arrows, Escape, Enter on an option", async () => {
    const page = await open(s, "tags/");
    const input = page.locator("#site-search-q");
    assert.equal(await input.getAttribute("role"), "combobox");
    assert.equal(await input.getAttribute("aria-controls"), "site-search-q-list");
    assert.equal(await input.getAttribute("aria-expanded"), "false");
    await suggest(page, "dehydration", "Foot spasms");
    assert.equal(await input.getAttribute("aria-expanded"), "true");
    assert.equal(await page.getAttribute("#site-search-q-list", "role"), "listbox");
    assert.equal(await input.getAttribute("aria-activedescendant"), null);

    await page.keyboard.press("ArrowDown");
    const first = await input.getAttribute("aria-activedescendant");
    assert.equal(await page.getAttribute(`#${first}`, "aria-selected"), "true");
    assert.match(await page.textContent(`#${first}`), /^Dehydration/);
    await page.keyboard.press("ArrowDown");
    const second = await input.getAttribute("aria-activedescendant");
    assert.notEqual(second, first);
    assert.equal(await page.getAttribute(`#${first}`, "aria-selected"), "false");
    await page.keyboard.press("ArrowUp");
    assert.equal(await input.getAttribute("aria-activedescendant"), first);

    await page.keyboard.press("Escape");
    assert.equal(await input.getAttribute("aria-expanded"), "false");
    assert.ok(await page.$eval("#site-search-q-list", (l) => l.hidden));
    assert.equal(await input.getAttribute("aria-activedescendant"), null);
    assert.equal(await input.inputValue(), "dehydration", "Escape closes the list and keeps the text");

    // The live region says how many results there are.
    await page.waitForFunction(() => [...document.querySelectorAll("[role=status]")].some((e) => /\d+ causes? and \d+ articles?/.test(e.textContent)));

    // Down reopens; the second option is the first condition Dehydration leads to.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const label = await page.textContent(`#${await input.getAttribute("aria-activedescendant")}`);
    const path = label.includes("Foot spasms") ? "feet/foot-spasms/" : "lungs/tuberculosis-risk/";
    const fragment = path.startsWith("feet") ? "physiological-triggers" : "who-is-at-risk";
    await Promise.all([page.waitForURL((u) => u.pathname === `/health/${path}`), page.keyboard.press("Enter")]);
    assert.equal(new URL(page.url()).hash, `#${fragment}`);
    assert.ok(await page.evaluate((id) => !!document.getElementById(id), fragment));
    await done(page);
  });

  test("Enter with no option chosen opens the search page for the words typed", async () => {
    const page = await open(s, "");
    await suggest(page, "dehydration", "Dehydration");
    await Promise.all([page.waitForURL((u) => u.pathname === "/health/search/"), page.keyboard.press("Enter")]);
    assert.equal(new URL(page.url()).searchParams.get("q"), "dehydration");
    await page.waitForSelector(".result--cause");
    assert.deepEqual(await texts(page, ".result--cause .result__title"), ["Dehydration"]);
    await done(page);
  });

  test("?q= runs the query, typing updates the address, links land on the right section", async () => {
    const page = await open(s, "search/?q=cramp");
    await page.waitForSelector(".result--article");
    assert.equal(await page.inputValue("#search-q"), "cramp");
    assert.ok((await texts(page, ".result--article .result__title")).some((t) => t.startsWith("What Causes Spasms in Your Feet")));
    assert.match(await page.textContent("#search-status"), /cause.* and \d+ articles? for “cramp”/);

    const before = await page.evaluate(() => history.length);
    await results(page, "dehidration", "Dehydration");
    assert.equal(new URL(page.url()).search, "?q=dehidration");
    assert.equal(await page.evaluate(() => history.length), before, "replaceState, not a new entry per key");
    const cause = page.locator(".result--cause").filter({ hasText: "Dehydration" });
    assert.deepEqual(await texts(page, ".result--cause .result__mentions a"), ["Foot spasms", "Tuberculosis"]);
    await lands(page, cause.locator(".result__mentions a", { hasText: "Tuberculosis" }), "lungs/tuberculosis-risk/", "who-is-at-risk");

    // Back returns to the shared address and its results.
    await page.goBack();
    await page.waitForSelector(".result--cause");
    assert.equal(new URL(page.url()).search, "?q=dehidration");
    assert.equal(await page.inputValue("#search-q"), "dehidration");

    // Clearing the box clears the address.
    await page.fill("#search-q", "");
    await page.waitForFunction(() => !location.search);
    await done(page);
  });

  test("the test server serves the site and nothing outside it", async () => {
    const get = (path) =>
      new Promise((ok, fail) => {
        const req = request({ host: "127.0.0.1", port: s.server.port, path }, (res) => {
          res.resume();
          res.on("end", () => ok([res.statusCode, res.headers["content-type"]]));
        });
        req.on("error", fail);
        req.end();
      });
    assert.deepEqual(await get("/health/"), [200, "text/html; charset=utf-8"]);
    assert.deepEqual(await get("/health/js/search.js"), [200, "text/javascript; charset=utf-8"]);
    assert.deepEqual(await get("/health/cause-index.json"), [200, "application/json"]);
    for (const path of ["/health/../../../../etc/passwd", "/health/..%2f..%2f..%2f..%2fetc%2fpasswd", "/health/%2e%2e/%2e%2e/src/site.yaml", "/health/%00", "/src/site.yaml"]) {
      assert.equal((await get(path))[0], 404, path);
    }
  });

  test("without JavaScript the search page says so and links to the causes A–Z", async () => {
    const page = await open(s, "search/?q=cramp", { javaScriptEnabled: false });
    const notice = await page.textContent("main .notice");
    assert.match(notice, /Search needs JavaScript/);
    assert.equal(await page.getAttribute("main .notice a", "href"), "/health/causes/");
    await page.context().close();
  });
});

describe("markup written in content", () => {
  let s;
  before(async () => (s = await site("tests/fixtures/search-site")));
  after(async () => s && (await s.close()));

  const PAYLOAD = "<img src=x onerror=window.__xss=";

  test("never runs in the suggestions", async () => {
    const page = await open(s, "");
    const options = await suggest(page, "markup", "Markup in a title");
    assert.ok(options.some((o) => o.includes(`${PAYLOAD}1> Markup in a title`)), options.join(" | "));
    assert.ok(options.some((o) => o.includes(`Emergency: ${PAYLOAD}9> Markup in an emergency flag.`)), options.join(" | "));
    await suggest(page, "onerror", "Onerror cause");
    assert.equal(await page.$$eval("#site-search-q-list img, #site-search-q-list script, #site-search-q-list b", (e) => e.length), 0);
    await page.waitForTimeout(200); // an <img onerror> would have fired by now
    await done(page);
  });

  test("never runs on the search page", async () => {
    const page = await open(s, "search/?q=markup");
    await page.waitForSelector(".result--article");
    const shown = await page.textContent("#search-results");
    for (const n of [1, 2, 9]) assert.ok(shown.includes(`${PAYLOAD}${n}>`), `payload ${n} shown as text`);
    assert.ok(shown.includes("<script>window.__xss=3</script>"));
    await results(page, "onerror", "Onerror cause");
    const all = await page.textContent("#search-results");
    for (const n of [5, 6, 7, 8]) assert.ok(all.includes(`${PAYLOAD}${n}>`), `payload ${n} shown as text: ${all}`);
    assert.equal(await page.$$eval("#search-results img, #search-results script, #search-results b, #search-results em", (e) => e.length), 0);
    assert.ok(await page.$$eval("#search-results mark", (m) => m.length > 0), "highlights are <mark> elements");
    await page.waitForTimeout(200);
    await done(page);
  });

  test("synonyms of several words work in the browser", async () => {
    const page = await open(s, "search/?q=spasm");
    await page.waitForSelector(".result--article");
    assert.deepEqual(await texts(page, ".result--article .result__title"), ["Night-Time Leg Cramps"]);
    await results(page, "pins and needles", "tingling toes");
    await done(page);
  });
});

describe("a site whose output has no shards (an older build)", () => {
  let s;
  before(async () => {
    s = await site("tests/fixtures/search-site");
    rmSync(join(s.dir, "search", "manifest.json"));
  });
  after(async () => s && (await s.close()));

  test("search falls back to the whole cause-index.json", async () => {
    const page = await open(s, "");
    const options = await suggest(page, "markup", "Markup in a title");
    assert.ok(options.length > 1, options.join(" | "));
    assert.ok(s.server.requests.includes("/health/cause-index.json"));
    await page.goto(`${s.url}search/?q=spasm`);
    await page.waitForSelector(".result--article");
    assert.deepEqual(await texts(page, ".result--article .result__title"), ["Night-Time Leg Cramps"]);
    // The browser reports the missing manifest; nothing else may go wrong.
    page.problems = page.problems.filter((p) => !/status of 404/.test(p));
    await done(page);
  });
});

describe("the sample site under a sub-path", () => {
  let s;
  before(async () => (s = await site(".")));
  after(async () => s && (await s.close()));

  test("cramp finds the cramp articles and the causes of cramps", async () => {
    const page = await open(s, "search/?q=cramp");
    await page.waitForSelector(".result--cause");
    // The articles about cramps first; those that mention cramps in their text after them.
    const articles = await texts(page, ".result--article .result__title");
    assert.deepEqual(articles.slice(0, 2).sort(), [
      "Night-Time Leg Cramps: Why They Happen and What Helps",
      "What Causes Spasms in Your Feet and When to See a Doctor",
    ]);
    const causes = await texts(page, ".result--cause .result__title");
    for (const c of ["Dehydration", "Electrolyte imbalance", "Pregnancy"]) assert.ok(causes.includes(c), `${c} in ${causes}`);
    const dehydration = page.locator(".result--cause").filter({ has: page.locator(".result__title", { hasText: /^Dehydration$/ }) });
    await lands(page, dehydration.locator(".result__mentions a", { hasText: "Night-time leg cramps" }), "nerves-and-muscles/leg-cramps-at-night/", "dehydration");
    await done(page);
  });

  test("dehidration (a typo) finds dehydration, with a link to each section", async () => {
    const page = await open(s, "");
    const options = await suggest(page, "dehidration", "Dehydration");
    assert.match(options[0], /^Dehydration · 4 articles$/);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const label = await page.textContent(`#${await page.getAttribute("#site-search-q", "aria-activedescendant")}`);
    assert.match(label, /^can cause /);
    await Promise.all([page.waitForURL((u) => u.hash === "#dehydration"), page.keyboard.press("Enter")]);
    assert.ok(await page.evaluate(() => !!document.getElementById("dehydration")));
    await done(page);
  });

  test("numbness finds the tingling article, its red flags and the causes of numbness", async () => {
    const page = await open(s, "search/?q=numbness");
    await page.waitForSelector(".result--article");
    const articles = await texts(page, ".result--article .result__title");
    assert.equal(articles[0], "Tingling in Hands and Feet: Common Causes and Warning Signs");
    assert.ok(articles.includes("Night-Time Leg Cramps: Why They Happen and What Helps"));
    const flags = await texts(page, ".result__flag");
    assert.ok(flags.some((f) => /^Emergency: .*numbness/i.test(f)), flags.join(" | "));
    const causes = await texts(page, ".result--cause .result__title");
    for (const c of ["Peripheral neuropathy", "Multiple sclerosis", "Vitamin B12 deficiency"]) assert.ok(causes.includes(c), `${c} in ${causes}`);
    const ms = page.locator(".result--cause").filter({ has: page.locator(".result__title", { hasText: "Multiple sclerosis" }) });
    await lands(page, ms.locator(".result__mentions a").first(), "nerves-and-muscles/tingling-hands-and-feet/", "multiple-sclerosis");
    await done(page);
  });

  test("a tag finds its articles", async () => {
    const page = await open(s, "search/?q=circulation");
    await page.waitForSelector(".result--article");
    const articles = await texts(page, ".result--article .result__title");
    for (const a of ["Dizziness When Standing Up", "What Causes Spasms in Your Feet", "Why Some Wounds Heal Slowly"]) {
      assert.ok(articles.some((t) => t.startsWith(a)), `${a} in ${articles}`);
    }
    assert.ok((await texts(page, ".result__matches")).some((m) => m.includes("Topic: circulation")));
    await lands(page, page.locator(".result--article .result__title a", { hasText: "Why Some Wounds Heal Slowly" }), "slow-healing-wounds/", null);
    await done(page);
  });

  test("a word found only in an article's text shows the section it is in, marked, and lands there", async () => {
    const page = await open(s, "search/?q=quinine");
    const section = page.locator(".result--article .result__section").first();
    await section.waitFor();
    assert.deepEqual(await texts(page, ".result--article .result__title"), ["Night-Time Leg Cramps: Why They Happen and What Helps"]);
    assert.match(await section.textContent(), /^Under “Easing and Preventing Cramps”: .*Quinine, which used to be prescribed/);
    assert.deepEqual(await texts(page, ".result__section mark"), ["Quinine"]);
    // Only text and <mark> elements come from the data.
    assert.deepEqual(await section.evaluate((p) => [...p.querySelectorAll("*")].map((e) => e.tagName)), ["A", "MARK"]);
    await lands(page, section.locator("a"), "nerves-and-muscles/leg-cramps-at-night/", "easing-and-preventing-cramps");
    await done(page);
  });

  test("a whole question finds its article first, the question words set aside", async () => {
    const page = await open(s, "search/?q=why%20do%20my%20feet%20cramp%20at%20night");
    await page.waitForSelector(".result--article");
    const first = await page.locator(".results__group").first().getAttribute("aria-labelledby");
    assert.equal(first, "results-articles", "articles before causes for a question");
    assert.equal((await texts(page, ".result--article .result__title"))[0], "Night-Time Leg Cramps: Why They Happen and What Helps");
    assert.ok(!(await texts(page, "mark")).some((m) => /^(why|do|my|at)$/i.test(m)), "question words are not marked");
    await done(page);
  });

  test("words no page holds together still find the closest pages, and the page says which word is missing", async () => {
    const page = await open(s, "search/?q=cough%20zxqv");
    await page.waitForSelector(".result--article");
    assert.equal(await page.textContent(".results__partial"), "No page uses “zxqv”: showing results for the other words.");
    assert.equal((await texts(page, ".result--article .result__title"))[0], "Chronic Cough: What Keeps It Going and When to Worry");
    await done(page);
  });

  test("a typo in the first letter is found on the live page, loading only the shards it needs", async () => {
    const page = await open(s, "");
    const fetched = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    const options = await suggest(page, "nueropathy", "Peripheral neuropathy");
    assert.ok(options.some((o) => o.startsWith("Peripheral neuropathy")), options.join(" | "));
    assert.ok(fetched.some((p) => /\/search\/v\/\d+[a-z]\.json$/.test(p)), "a vocabulary file");
    assert.ok(fetched.some((p) => p.endsWith("/search/t/ne.json")), "the shard of the word meant");
    assert.ok(!fetched.some((p) => p.endsWith("cause-index.json")));
    await done(page);
  });

  test("a real word the site uses is not taken for a typo of another", async () => {
    const page = await open(s, "search/?q=whooping%20cough");
    await page.waitForSelector(".result--article");
    const titles = await texts(page, ".result--article .result__title");
    assert.equal(titles[0], "Chronic Cough: What Keeps It Going and When to Worry");
    assert.ok(!(await texts(page, "mark")).some((m) => /^who$/i.test(m)), "“who” is not marked");
    assert.match(await page.textContent(".result--article .result__section"), /Whooping cough/);
    await done(page);
  });
});
