// Causeway search UI (docs/themes.md): loads on first focus the manifest, then what queries need.
import { addShard, addVocab, createIndex, search, shardFile, shardIndex, shardsFor, vocabFile } from "./search-core.js";

const doc = document;
// Labels come from the page (`data-labels`, the theme's catalogue in the page's language);
// these English ones stand in for any a theme does not give.
const EN = {
  also_called: "Also called", symptom: "Symptom", topic: "Topic", cause: "Cause",
  causes_count: { one: "{count} cause", other: "{count} causes" }, articles_count: { one: "{count} article", other: "{count} articles" },
  counts: "{causes} and {articles}", no_results: "No results", suggestions: "Suggestions",
  unavailable: "Search is not available at the moment.", causes: "Causes", articles: "Articles",
  search_anyway: "No suggestions: search anyway for “{query}”", see_all: "See all results for “{query}”",
  choose: "{counts}. Use the up and down arrow keys to choose.",
  load_failed: "Search could not be loaded. Check your connection and try again.", results_for: "{counts} for “{query}”.",
  missing: "No page uses {words}: showing results for the other words.", or: " or ",
  partial: "No page has all of these words: showing the closest matches.",
  showing_first: "Showing the first {count}. Add a word to narrow the search.", can_lead_to: "Can lead to", can_cause: "can cause",
  all_about: { one: "The article about {cause}", other: "All {count} articles about {cause}" },
  under_before: "Under “", under_after: "”", in_article: "In the article",
  none_hint: "Check the spelling or try another word. You can also browse the", causes_az_link: "causes A–Z",
  urgency_routine: "See a doctor", urgency_urgent: "Urgent", urgency_emergency: "Emergency",
};
const labelled = doc.querySelector("[data-labels]");
const L = (() => {
  try {
    return { ...EN, ...JSON.parse(labelled?.dataset.labels || "{}") };
  } catch {
    return EN;
  }
})();
const rules = new Intl.PluralRules(labelled?.lang || doc.documentElement.lang || "en");
/** The label `key`, its plural form chosen by `vars.count`, with `{name}` filled from `vars`. */
function t(key, vars = {}) {
  let text = L[key] ?? EN[key] ?? key;
  if (typeof text === "object") text = text[rules.select(vars.count ?? 0)] ?? text.other ?? "";
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}
const LABEL = { also_known_as: t("also_called"), symptom: t("symptom"), tag: t("topic"), cause: t("cause") };
let loading;

function load(form) {
  const url = new URL(form.dataset.indexUrl, doc.baseURI), base = new URL(".", url), files = new Map();
  const json = (u) => fetch(new URL(u, base)).then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status))));
  const get = (f, then) => files.get(f) || files.set(f, json(`search/${f}.json`).then(then).catch((e) => files.delete(f) && Promise.reject(e))).get(f);
  loading ||= json("search/manifest.json").then((m) => ({ ix: shardIndex(m), base, get }), () => json(url).then((j) => ({ ix: createIndex(j), base })));
  loading.catch(() => (loading = null));
  return loading;
}

async function find(form, q, limits) {
  const { ix, base, get } = await load(form), s = get ? shardsFor(ix, q) : { query: q, keys: [] };
  const shards = (keys) => keys.map((k) => get(shardFile(k), (j) => addShard(ix, k, j)));
  await Promise.all(shards(s.keys));
  // Then what the search asks for: records of the results it shows, the vocabulary to look
  // for a typo in, the shards of the words a typo was taken for.
  for (;;) {
    ix.need.clear();
    const r = search(ix, s.query, limits);
    if (!ix.need.size && !ix.needKeys.size && !ix.needVocab.size) return { r, base };
    await Promise.all([...[...ix.need].map((f) => get(f, (j) => ix.files.set(f, j))), ...shards([...ix.needKeys]),
      ...[...ix.needVocab].map((k) => get(vocabFile(k), (j) => addVocab(ix, k, j)))]);
  }
}

// A last word found nowhere while it is typed is looked for again as a finished word (a typo
// in its first letters) once typing pauses.
// One timer per search box.
const pauser = () => {
  let pause;
  return (r, again) => {
    clearTimeout(pause);
    const t = r.terms.at(-1);
    if (t?.prefix && r.missing.includes(t.text)) pause = setTimeout(again, 400);
  };
};

function el(tag, attrs, ...kids) {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(typeof attrs === "string" ? { class: attrs } : attrs)) e.setAttribute(k, v);
  e.append(...kids.flat(9).filter(Boolean));
  return e;
}

function marked(text, ranges = []) {
  const out = [];
  let at = 0;
  for (const [s, e] of ranges) out.push(text.slice(at, s), el("mark", {}, text.slice(s, e))), (at = e);
  return [...out, text.slice(at)];
}

function link(base, path) {
  const u = new URL(path, base);
  return u.origin === base.origin && u.pathname.startsWith(base.pathname) ? u.href : base.href;
}

const count = (r) => (r.causes.total + r.articles.total
  ? t("counts", { causes: t("causes_count", { count: r.causes.total }), articles: t("articles_count", { count: r.articles.total }) })
  : t("no_results"));
// Causes come first when the query names one (not only the conditions it leads to) and it
// matches better than any article, unless an article bears the query as its name or the
// query is a question that no page answers word for word (an article answers it better).
const causesFirst = ({ partial, causes: { items: [c] }, articles: { items: [a] } }) =>
  !a || (c && !partial && !a.named && (c.nameRanges.length || c.also_known_as.length) && c.score >= a.score);
const flag = ({ flags: [f] }, cls) => f && el("span", `${cls} ${cls}--${f.urgency}`, el("strong", {}, `${t(`urgency_${f.urgency}`)}: `), marked(f.text, f.ranges));

let live, timer;
function announce(text) {
  live ||= doc.body.appendChild(el("div", { class: "visually-hidden", role: "status" }));
  clearTimeout(timer);
  timer = setTimeout(() => (live.textContent = text), 500);
}

function combobox(form, input) {
  const list = el("ul", { class: "combo__list", id: `${input.id}-list`, role: "listbox", "aria-label": t("suggestions") });
  const set = (k, v) => input.setAttribute(k, v);
  let options = [], active = -1;
  list.hidden = true;
  form.classList.add("combo");
  form.append(list);
  set("role", "combobox");
  set("aria-autocomplete", "list");
  set("aria-expanded", "false");
  set("aria-controls", list.id);

  const activate = (i) => {
    options[active]?.setAttribute("aria-selected", "false");
    active = i;
    if (!options[i]) return input.removeAttribute("aria-activedescendant");
    options[i].setAttribute("aria-selected", "true");
    set("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  };
  const show = (on) => {
    list.hidden = !(on && options.length);
    set("aria-expanded", !list.hidden);
    if (list.hidden) activate(-1);
  };
  const go = (o) => location.assign(o.dataset.href);

  const later = pauser();
  async function update(settled) {
    const q = input.value;
    let r, base;
    try {
      ({ r, base } = await find(form, q, { causes: 3, articles: 5, mentions: 2, sections: 0, settled: settled === true }));
    } catch {
      return announce(t("unavailable"));
    }
    if (input.value !== q) return;
    if (settled !== true) later(r, () => update(true));
    options = [];
    list.replaceChildren();
    if (!q.trim()) return show(false);
    const option = (href, cls, ...kids) => {
      const o = el("li", { class: `combo__option ${cls}`, id: `${list.id}-${options.length}`, role: "option", "aria-selected": "false" }, kids);
      o.dataset.href = href;
      return options.push(o) && o;
    };
    const group = (name, label, items) =>
      items.length && list.append(el("li", { role: "presentation" }, el("ul", { role: "group", "aria-labelledby": `${list.id}-${name}` },
        el("li", { class: "combo__group", id: `${list.id}-${name}`, role: "presentation" }, label), items)));
    const groups = [
      () => group("causes", t("causes"), r.causes.items.flatMap((c) => [
        option(link(base, c.url), "combo__cause", el("span", "combo__name", marked(c.name, c.nameRanges)),
          el("span", "combo__meta", ` · ${t("articles_count", { count: c.mentionCount })}`)),
        ...c.mentions.map((m) => option(link(base, m.href), "combo__mention", el("span", "visually-hidden", `${t("can_cause")} `),
          el("span", "combo__name", m.condition || m.title), m.group && el("span", "combo__meta", ` · ${m.group}`))),
      ])),
      () => group("articles", t("articles"), r.articles.items.map((a) => option(link(base, a.url), "combo__article",
        el("span", "combo__name", marked(a.title, a.titleRanges)), a.condition && el("span", "combo__meta", ` · ${a.condition}`),
        flag(a, "combo__flag")))),
    ];
    (causesFirst(r) ? groups : groups.reverse()).forEach((g) => g());
    const all = new URL(form.action);
    all.search = new URLSearchParams({ q: q.trim() });
    list.append(option(all.href, "combo__all", t(r.causes.total + r.articles.total ? "see_all" : "search_anyway", { query: q.trim() })));
    show(doc.activeElement === input);
    announce(t("choose", { counts: count(r) }));
  }

  input.addEventListener("focus", update);
  input.addEventListener("input", update);
  input.addEventListener("blur", () => show(false));
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => e.target.closest("[role=option]") && go(e.target.closest("[role=option]")));
  input.addEventListener("keydown", (e) => {
    const n = options.length, k = e.key;
    if ((k === "ArrowDown" || k === "ArrowUp") && n) {
      e.preventDefault();
      show(true);
      activate(k === "ArrowDown" ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (k === "Enter" && !list.hidden && options[active]) {
      e.preventDefault();
      go(options[active]);
    } else if (k === "Escape" && !list.hidden) {
      e.preventDefault();
      show(false);
    } else if (k === "Tab") show(false);
  });
}

function page(form, input) {
  const results = doc.getElementById("search-results");
  const status = doc.getElementById("search-status") || results.parentNode.insertBefore(el("p", { role: "status" }), results);

  const later = pauser();
  async function run(settled) {
    const q = input.value, url = new URL(location.href);
    url.searchParams.set("q", q.trim());
    if (!q.trim()) url.searchParams.delete("q");
    history.replaceState(history.state, "", url);
    let r, base;
    try {
      ({ r, base } = await find(form, q, { causes: 20, articles: 20, mentions: 2, settled: settled === true }));
    } catch {
      return (status.textContent = t("load_failed"));
    }
    if (input.value !== q) return;
    if (settled !== true) later(r, () => run(true));
    results.replaceChildren();
    status.textContent = "";
    if (!q.trim()) return;
    status.textContent = t("results_for", { counts: count(r), query: q.trim() });
    if (r.partial && r.causes.total + r.articles.total) {
      results.append(el("p", "results__partial", r.missing.length
        ? t("missing", { words: r.missing.map((w) => `“${w}”`).join(t("or")) })
        : t("partial")));
    }
    const section = (name, label, total, items) =>
      items.length && results.append(el("section", { class: "results__group", "aria-labelledby": `results-${name}` },
        el("h2", { class: "results__heading", id: `results-${name}` }, `${label} `, el("span", "results__count", `(${total})`)),
        el("ol", "results__list", items),
        total > items.length && el("p", "results__more", t("showing_first", { count: items.length }))));
    const groups = [
      () => section("causes", t("causes"), r.causes.total, r.causes.items.map((c) => el("li", "result result--cause",
        el("h3", "result__title", el("a", { href: link(base, c.url) }, marked(c.name, c.nameRanges))),
        c.also_known_as.length && el("p", "result__aka", `${t("also_called")} `, c.also_known_as.map((x, i) => [i ? ", " : "", marked(x.text, x.ranges)])),
        el("p", "result__lead", t("can_lead_to")),
        el("ul", "result__mentions", c.mentions.map((m) => el("li", {},
          el("a", { href: link(base, m.href) }, m.condition || m.title), m.group && el("span", "result__group", ` · ${m.group}`),
          m.summary && el("span", "result__summary", marked(m.summary, m.summaryRanges))))),
        c.matchedMentions > c.mentions.length &&
          el("p", "result__more", el("a", { href: link(base, c.url) }, t("all_about", { count: c.mentionCount, cause: c.name })))))),
      () => section("articles", t("articles"), r.articles.total, r.articles.items.map((a) => el("li", "result result--article",
        el("h3", "result__title", el("a", { href: link(base, a.url) }, marked(a.title, a.titleRanges))),
        a.condition && el("p", "result__condition", marked(a.condition, a.conditionRanges)),
        el("p", "result__desc", marked(a.description, a.descriptionRanges)),
        a.matches.length && el("p", "result__matches", a.matches.slice(0, 3).map((m, i, l) =>
          [i ? (l[i - 1].field === m.field ? ", " : " · ") : "", l[i - 1]?.field === m.field ? "" : `${LABEL[m.field]}: `, marked(m.text, m.ranges)])),
        a.section && el("p", "result__section", el("a", { href: link(base, a.section.href) },
          a.section.heading ? [t("under_before"), marked(a.section.heading, a.section.headingRanges), t("under_after")] : t("in_article")), ": ", marked(a.section.text, a.section.ranges)),
        a.flags.length && el("p", {}, flag(a, "result__flag"))))),
    ];
    (causesFirst(r) ? groups : groups.reverse()).forEach((g) => g());
    if (!r.causes.total && !r.articles.total) {
      results.append(el("p", "results__none", `${t("none_hint")} `,
        el("a", { href: link(base, "causes/") }, t("causes_az_link")), "."));
    }
  }

  input.value = new URLSearchParams(location.search).get("q") || "";
  form.addEventListener("submit", (e) => e.preventDefault() || run(true));
  input.addEventListener("input", run);
  input.addEventListener("focus", () => load(form).catch(() => {}), { once: true });
  if (input.value.trim()) run(true);
}

let n = 0;
for (const form of doc.querySelectorAll("form[data-index-url]")) {
  const input = form.querySelector("input[name=q]");
  if (!input) continue;
  input.id ||= `search-q-${++n}`;
  (form.id === "search-form" ? page : combobox)(form, input);
}
