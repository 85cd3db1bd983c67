// What a reader sees of an article, in headless Chromium: on a phone (390 px wide), the help
// for an emergency is in the first screen. Screenshots of each page at 390 and 1280 px go to
// target/e2e-screenshots/ (or E2E_SCREENSHOTS) for a person to look at. axe-core finds no
// accessibility violation on any kind of page, at either width.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { browser, repo, site } from "./support.mjs";

const shots = process.env.E2E_SCREENSHOTS || join(repo, "target", "e2e-screenshots");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let chromium, s;
before(async () => {
  chromium = await browser();
  s = await site(".");
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await s?.close();
  await chromium?.close();
});

async function open(path, viewport) {
  const context = await chromium.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(e.message));
  await page.goto(s.url + path);
  return page;
}

describe("an article on a phone", () => {
  for (const path of ["foot-spasms/", "nerves-and-muscles/tingling-hands-and-feet/", "tuberculosis-risk/"]) {
    test(`${path}: the emergency line is in the first screen, and links to all the advice`, async () => {
      const page = await open(path, PHONE);
      const line = page.locator(".help-now__group--emergency li").first();
      const box = await line.boundingBox();
      assert.ok(box, "an emergency line is shown near the top");
      assert.ok(box.y + box.height <= PHONE.height, `the first emergency line ends at ${Math.round(box.y + box.height)} px, below the first screen (${PHONE.height} px)`);
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, "it fits the screen's width");
      // The full care cards are where the link goes.
      const link = page.locator(".help-now__more a");
      const target = (await link.getAttribute("href")).slice(1);
      await link.click();
      await page.waitForFunction((id) => location.hash === `#${id}`, target);
      // (Scrolling may be smooth: wait until the heading the cards are under is on screen.)
      await page.waitForFunction(([id, h]) => {
        const top = document.getElementById(id).getBoundingClientRect().top;
        return top >= 0 && top < h;
      }, [target, PHONE.height], { timeout: 5000 });
      // The cards are in that section: the next heading of its level comes after them.
      const inSection = await page.evaluate((id) => {
        const heading = document.getElementById(id), cards = document.querySelector("#page-see-a-doctor .flag");
        return !!cards && (heading === cards || !!(heading.compareDocumentPosition(cards) & Node.DOCUMENT_POSITION_FOLLOWING));
      }, target);
      assert.ok(inSection, "the care cards follow the heading the link goes to");
      const name = path.replace(/\/$/, "").replaceAll("/", "-");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, `${name}-390.png`) });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test("the overview of causes is condensed to their names on a phone, and whole on a desktop", async () => {
    for (const path of ["foot-spasms/", "tuberculosis-risk/", "nerves-and-muscles/leg-cramps-at-night/", "chronic-cough/"]) {
      const phone = await open(path, PHONE);
      const glance = await phone.evaluate(() => {
        const g = document.querySelector(".glance");
        const names = [...g.querySelectorAll(".glance__name a, .glance__name strong")].map((n) => n.getBoundingClientRect());
        return {
          height: g.getBoundingClientRect().height,
          items: g.querySelectorAll(".glance__item").length,
          summariesShown: [...g.querySelectorAll(".glance__summary")].filter((p) => p.offsetParent !== null).length,
          smallest: Math.min(...names.map((r) => Math.min(r.width, r.height))),
          widest: Math.max(...names.map((r) => r.right)),
        };
      });
      assert.ok(glance.items >= 8, `${path}: ${glance.items} causes`);
      assert.ok(glance.height <= PHONE.height, `${path}: the overview of ${glance.items} causes is ${Math.round(glance.height)} px high on a phone, over one screen`);
      assert.equal(glance.summariesShown, 0, `${path}: summaries are left to the article's sections on a phone`);
      assert.ok(glance.smallest >= 24, `${path}: each cause is a target of at least 24 px (${glance.smallest})`);
      assert.ok(glance.widest <= PHONE.width, `${path}: the names fit the screen`);
      await phone.context().close();
      const desk = await open(path, DESKTOP);
      const shown = await desk.locator(".glance__summary:visible").count();
      assert.equal(shown, glance.items, `${path}: every summary is shown on a desktop`);
      await desk.context().close();
    }
  });

  test("an article without emergency or urgent advice has no help box", async () => {
    const page = await open("plants/basil-yellow-leaves/", PHONE);
    const urgent = await page.locator(".see-a-doctor .flag--urgent, .see-a-doctor .flag--emergency").count();
    assert.equal(await page.locator(".help-now").count(), urgent ? 1 : 0);
    await page.context().close();
  });
});

describe("one section on when to get help", () => {
  test("a writer's own heading takes the care cards, and the contents list it once", async () => {
    const page = await open("foot-spasms/", DESKTOP);
    const toc = await page.$$eval(".toc a", (as) => as.map((a) => a.textContent.trim()));
    assert.equal(toc.filter((t) => /^when to/i.test(t)).length, 1, toc.join(" | "));
    const order = await page.evaluate(() => {
      const h = document.getElementById("when-to-consult-a-doctor");
      const cards = document.querySelector("#page-see-a-doctor");
      let next = h.nextElementSibling;
      while (next && !/^H[12]$/.test(next.tagName)) next = next.nextElementSibling;
      const before = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { after: before(h, cards), beforeNext: !next || before(cards, next), headings: document.querySelectorAll("h2#page-see-a-doctor").length };
    });
    assert.deepEqual(order, { after: true, beforeNext: true, headings: 0 });
    await page.context().close();
  });
});

describe("accessibility (axe-core)", () => {
  const axe = readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
  const pages = ["", "foot-spasms/", "plants/mint-root-rot/", "nerves-and-muscles/", "causes/", "causes/dehydration/", "tags/", "tags/feet/", "search/?q=cramp", "search/", "404.html",
    // Spanish, and Arabic right to left.
    "es/espasmos-en-los-pies/", "es/nerves-and-muscles/",
    `ar/${encodeURIComponent("تشنجات-القدم")}/`, "ar/causes/", `ar/search/?q=${encodeURIComponent("تشنج")}`];
  for (const viewport of [PHONE, DESKTOP]) {
    test(`no violations on any kind of page at ${viewport.width} px`, async () => {
      const found = [];
      for (const path of pages) {
        const page = await open(path, viewport);
        if (path.includes("?q=")) await page.waitForSelector("#search-results .result");
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () =>
          (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
        found.push(...violations.map((v) => `/${path}: ${v}`));
        await page.context().close();
      }
      assert.deepEqual(found, []);
    });
  }
});

describe("the search page", () => {
  test("prints its results", async () => {
    const page = await open("search/?q=cramp", DESKTOP);
    await page.waitForSelector("#search-results .result");
    await page.emulateMedia({ media: "print" });
    const shown = await page.$$eval("#search-results .result", (els) => els.filter((e) => e.getBoundingClientRect().height > 0).length);
    assert.ok(shown > 0, "results are printed");
    await page.context().close();
  });
});

describe("the search page, as results arrive", () => {
  for (const q of ["cramp", "why do my feet cramp at night", "foot cramps"]) {
    test(`?q=${q}: results do not shift the page, and each kind of match is labelled once`, async () => {
      const page = await open(`search/?q=${encodeURIComponent(q)}`, PHONE);
      await page.waitForSelector("#search-results .result");
      const { shift, labels } = await page.evaluate(() => new Promise((done) => {
        // Every layout shift since the page started (buffered), once the results are in.
        new PerformanceObserver((list) => {
          const shift = list.getEntries().filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0);
          const labels = [...document.querySelectorAll(".result__matches")].map((p) => p.textContent);
          done({ shift, labels });
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => done({ shift: 0, labels: [...document.querySelectorAll(".result__matches")].map((p) => p.textContent) }), 1500);
      }));
      assert.ok(shift < 0.1, `layout shift ${shift.toFixed(3)} as results arrive (under 0.1 is good)`);
      for (const text of labels) {
        for (const label of ["Also called", "Symptom", "Topic", "Cause"]) {
          assert.ok(text.split(`${label}:`).length <= 2, `"${label}:" is written once in ${JSON.stringify(text)}`);
        }
      }
      await page.context().close();
    });
  }
});

describe("screenshots at 1280 px", () => {
  test("home, an article, a cause, the search page", async () => {
    for (const [path, name] of [["", "home"], ["foot-spasms/", "foot-spasms"], ["causes/dehydration/", "cause-dehydration"], ["search/?q=cramp", "search-cramp"]]) {
      const page = await open(path, DESKTOP);
      await page.screenshot({ path: join(shots, `${name}-1280.png`) });
      const phone = await open(path, PHONE);
      await phone.screenshot({ path: join(shots, `${name}-390.png`) });
      assert.deepEqual([...page.problems, ...phone.problems], []);
      await page.context().close();
      await phone.context().close();
    }
  });
});

describe("a site in a right-to-left language", () => {
  let rtl;
  before(async () => {
    rtl = await site("tests/fixtures/rtl-site");
  });
  after(async () => {
    await rtl?.close();
  });

  for (const [viewport, width] of [[PHONE, 390], [DESKTOP, 1280]]) {
    test(`an Arabic article runs right to left at ${width} px, its boxes mirrored`, async () => {
      const context = await chromium.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(rtl.url + "foot-cramps/");
      const got = await page.evaluate(() => {
        const h1 = document.querySelector("h1");
        const range = document.createRange();
        range.selectNodeContents(h1);
        const text = range.getClientRects()[0], box = h1.getBoundingClientRect();
        const help = getComputedStyle(document.querySelector(".help-now"));
        return {
          dir: document.documentElement.getAttribute("dir"),
          direction: getComputedStyle(document.querySelector(".prose p")).direction,
          // The first line of the heading starts at the right edge of its box.
          gapRight: box.right - text.right,
          gapLeft: text.left - box.left,
          helpRight: parseFloat(help.borderRightWidth),
          helpLeft: parseFloat(help.borderLeftWidth),
          overflow: document.documentElement.scrollWidth > innerWidth,
        };
      });
      assert.equal(got.dir, "rtl");
      assert.equal(got.direction, "rtl");
      assert.ok(got.gapRight < 2 && got.gapRight < got.gapLeft, `the heading starts at the right (${JSON.stringify(got)})`);
      assert.ok(got.helpRight > got.helpLeft, `the help box's thick border is on the right (${JSON.stringify(got)})`);
      assert.equal(got.overflow, false, "nothing spills past the screen");
      await page.screenshot({ path: join(shots, `ar-foot-cramps-${width}.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

describe("a site in English, Spanish and Arabic", () => {
  let ml;
  before(async () => {
    ml = await site("tests/fixtures/multilingual");
  });
  after(async () => {
    await ml?.close();
  });

  /** Opens `path` of the site and waits for the search page's results to mention `text`. */
  async function searched(path, text, viewport = DESKTOP) {
    const context = await chromium.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.problems = [];
    page.on("pageerror", (e) => page.problems.push(e.message));
    await page.goto(ml.url + path);
    await page.waitForFunction((t) => document.getElementById("search-results")?.textContent.includes(t), text);
    return page;
  }

  for (const [viewport, width] of [[PHONE, 390], [DESKTOP, 1280]]) {
    test(`the Arabic article runs right to left at ${width} px, with a switcher to its translations`, async () => {
      const context = await chromium.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(ml.url + "ar/legs/night-cramps/");
      const got = await page.evaluate(() => ({
        direction: getComputedStyle(document.querySelector(".prose p")).direction,
        switcher: [...document.querySelectorAll(".language-switcher a")].map((a) => [a.lang, a.textContent, a.getAttribute("aria-current")]),
        switcherVisible: document.querySelector(".language-switcher").getBoundingClientRect().height > 0,
        overflow: document.documentElement.scrollWidth > innerWidth,
      }));
      assert.equal(got.direction, "rtl");
      assert.deepEqual(got.switcher, [["en", "English", null], ["ar", "العربية", "page"], ["es", "Español", null]]);
      assert.ok(got.switcherVisible);
      assert.equal(got.overflow, false, "nothing spills past the screen");
      await page.screenshot({ path: join(shots, `multilingual-ar-article-${width}.png`) });
      await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/es/legs/calambres-nocturnos/")), page.click(".language-switcher a[lang=es]")]);
      assert.equal(await page.evaluate(() => document.documentElement.lang), "es");
      assert.deepEqual(problems, []);
      await context.close();
    });

    test(`an Arabic word is found on the Arabic search page at ${width} px, laid out right to left`, async () => {
      const page = await searched("ar/search/?q=" + encodeURIComponent("الجفاف"), "تشنجات الساق الليلية", viewport);
      const got = await page.evaluate(() => ({
        direction: getComputedStyle(document.getElementById("search-results")).direction,
        links: [...document.querySelectorAll("#search-results a")].map((a) => new URL(a.href).pathname),
      }));
      assert.equal(got.direction, "rtl");
      assert.ok(got.links.some((p) => p.endsWith("/ar/legs/night-cramps/")), JSON.stringify(got.links));
      assert.ok(got.links.every((p) => p.includes("/ar/")), `only Arabic pages: ${JSON.stringify(got.links)}`);
      await page.screenshot({ path: join(shots, `multilingual-ar-search-${width}.png`) });
      // The cause's page is at a URL in Arabic letters.
      const cause = page.locator("#search-results a[href*='/causes/']").first();
      await Promise.all([page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith("/ar/causes/الجفاف/")), cause.click()]);
      assert.equal(await page.locator("h1").innerText(), "الجفاف");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test("a Spanish word is found with and without its accent, and in its other forms, in Spanish pages only", async () => {
    // Spanish stems: "deshidratado" and "deshidratación" meet, as do "calambre" and "calambres".
    for (const q of ["deshidratación", "deshidratacion", "DESHIDRATACION", "deshidratado", "calambre nocturno"]) {
      const page = await searched("es/search/?q=" + encodeURIComponent(q), "Calambres nocturnos");
      const links = await page.$$eval("#search-results a", (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(links.some((p) => p.endsWith("/es/legs/calambres-nocturnos/")), `${q}: ${JSON.stringify(links)}`);
      assert.ok(links.every((p) => p.includes("/es/")), `${q}: ${JSON.stringify(links)}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});
