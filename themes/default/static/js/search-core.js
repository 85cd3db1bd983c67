// Causeway search core, no DOM (browsers, Node): docs/search.md, docs/themes.md, docs/content.md.

const OPEN = /[\p{L}\p{M}\p{N}]$/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
const SPECIAL = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", ı: "i", þ: "th" };

export const fold = (s) =>
  s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/[ßæœøđłıþ'’]/g, (c) => SPECIAL[c] || "");

export const words = (text) => [...String(text || "").matchAll(WORD)].map((m) => fold(m[0]));

export function stem(w) {
  if (w.length < 4 || /\d/.test(w)) return w;
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (/(sh|ch|x|z|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (/[^sui]s$/.test(w)) w = w.slice(0, -1);
  if (w.length > 6 && w.endsWith("ness")) w = w.slice(0, -4).replace(/i$/, "y");
  const m = /^(.*[aeiouy].*)(ing|ed)$/.exec(w);
  if (m && m[1].length > 2 && !w.endsWith("eed")) w = m[1].replace(/([^aeiouylsz])\1$/, "$1");
  return w.length > 3 && w.endsWith("e") ? w.slice(0, -1) : w;
}

// The stemmer the index names (`stemmer` in the manifest and the cause index): "english"
// (and an index that names none) `stem`; null, folding alone; else rules run as
// src/search/stemmers.rs runs them: regions from vowels, then per step the longest suffix of
// its groups [region, replace, after, not_after, suffixes], cut when it lies in its region.
export function stemmer(spec) {
  if (spec === undefined || spec === "english") return stem;
  if (!spec || !Array.isArray(spec.steps)) return (w) => w;
  const vowel = (c) => spec.vowels.includes(c), steps = spec.steps.map((st) => ({
    ifUnchanged: st.if_unchanged,
    groups: st.groups.map(([region, replace, after, notAfter, suffixes]) => ({ region, replace: [...replace], after, notAfter, suffixes: suffixes.map((x) => [...x]) })),
  }));
  const afterConsonant = (c, from) => {
    for (let i = Math.max(from, 1); i < c.length; i++) if (!vowel(c[i]) && vowel(c[i - 1])) return i + 1;
    return c.length;
  };
  const next = (c, from, wantVowel) => {
    for (let i = from; i < c.length; i++) if (vowel(c[i]) === wantVowel) return i + 1;
    return c.length;
  };
  const rv = (c) => {
    if (c.length < 3) return c.length;
    if (spec.rv === "french") return vowel(c[0]) && vowel(c[1]) ? 3 : next(c, 1, true);
    return !vowel(c[1]) ? next(c, 2, true) : vowel(c[0]) ? next(c, 2, false) : 3;
  };
  return (w) => {
    let c = [...w];
    if (c.length < 3 || /\d/.test(w)) return w;
    const r1 = Math.min(Math.max(afterConsonant(c, 0), spec.r1_min), c.length);
    const from = { any: 1, r1, r2: afterConsonant(c, r1), rv: rv(c) };
    let changed = false;
    for (const st of steps) {
      if (st.ifUnchanged && changed) continue;
      let best = null, n = 0;
      for (const g of st.groups) {
        for (const x of g.suffixes) {
          if (x.length < c.length && x.length > n && x.every((ch, i) => c[c.length - x.length + i] === ch)) (best = g), (n = x.length);
        }
      }
      if (!best) continue;
      const start = c.length - n, before = c[start - 1];
      if (start < from[best.region] || (best.after && !best.after.includes(before)) || best.notAfter.includes(before)) continue;
      c = c.slice(0, start).concat(best.replace);
      changed = true;
    }
    return c.join("");
  };
}

let rows = [[], [], []];
export function distance(a, b, max, prefix = false) {
  if (prefix) b = b.slice(0, a.length + max);
  else if (Math.abs(a.length - b.length) > max) return max + 1;
  let [pp, p, c] = rows;
  for (let j = 0; j <= b.length; j++) p[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let low = (c[0] = i);
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, pp[j - 2] + 1);
      if ((c[j] = v) < low) low = v;
    }
    if (low > max) return max + 1;
    [pp, p, c] = [p, c, pp];
  }
  return Math.min(prefix ? Math.min(...p.slice(0, b.length + 1)) : p[b.length], max + 1);
}

// Fields: article 0 title, 1 condition, 2 aka, 3 tags, 4 symptoms, 5 red flags, 6 description,
// 10 its causes, (shards) 14 headings, 15 body; cause 7 name, 8 aka; mention 9 summary, and
// (shards) its article's 11 title or condition, 12 aka, 13 symptoms.
const WEIGHT = [10, 10, 9, 6, 6, 4, 3, 10, 9, 3, 4, 10, 9, 6, 2, 1];
const CONTEXT = [1, 1, 1, 0, 1];
export const QUALITY = { exact: 1, synonym: 0.9, prefix: 0.7, typo1: 0.5, typo2: 0.4 };
export const URGENCY = { routine: "See a doctor", urgent: "Urgent", emergency: "Emergency" };
const LEVEL = Object.keys(URGENCY);
const pairs = (w) => [...new Set([...w].slice(1).map((c, i) => w[i] + c))];
const typos = (n) => (n >= 8 ? 2 : n >= 4 ? 1 : 0);

const fields = (a) => [a.title, a.condition, a.also_known_as, a.tags, a.symptoms, (a.see_a_doctor || []).map((f) => f.text), a.description];

const version = (d, v) => {
  if (d?.version !== v) throw Error("search index: unsupported version");
};

function base(A, counts, synonyms, stop, spec) {
  const stem = stemmer(spec);
  const C = counts.length, first = new Int32Array(C + 1);
  counts.forEach((n, i) => (first[i + 1] = first[i] + n));
  const M = first[C], mC = new Int32Array(M), most = counts.reduce((a, b) => Math.max(a, b), 1);
  for (let i = 0; i < C; i++) mC.fill(i, first[i], first[i + 1]);
  return {
    A, C, M, mC, first, mx: new Float32Array(M),
    words: [], wordId: new Map(), wordStem: [], stems: [], stemId: new Map(), stemWords: [], post: [], raw: new Map(),
    names: new Map(), cache: new Map(), pool: [], spans: new Map(), keep: 0, need: new Set(),
    aScore: new Float32Array(A), cScore: new Float32Array(C), ids: new Int32Array(Math.max(A, C)),
    aHits: new Uint8Array(A), cHits: new Uint8Array(C),
    hits: new Int32Array(most), sums: new Float32Array(most), rank: new Int32Array(most), pick: new Int32Array(most),
    stem, synonyms: (synonyms || []).map((g) => g.map((t) => words(t).map(stem)).filter((m) => m.length)),
    stop: new Set((stop || []).flatMap(words)),
    vocab: [], vkey: [], vstem: [], vpairs: new Map(), vby: new Map(), vloaded: new Set(), needKeys: new Set(), needVocab: new Set(),
  };
}

function word(ix, w) {
  if (ix.wordId.has(w)) return ix.wordId.get(w);
  const id = ix.words.push(w) - 1, s = ix.stem(w);
  ix.wordId.set(w, id);
  ix.post.push([]);
  if (!ix.stemId.has(s)) ix.stemId.set(s, ix.stems.push(s) - 1), ix.stemWords.push([]);
  ix.wordStem.push(ix.stemId.get(s));
  ix.stemWords[ix.stemId.get(s)].push(id);
  return id;
}

// A key as a file name: any character but a-z and 0-9 written `_<hex code point>_`.
const keyFile = (k) => k.replace(/[^a-z0-9]/gu, (c) => `_${c.codePointAt(0).toString(16)}_`);

// The typo vocabulary: words of letters only, 3 or more, by length (24: and more) and last
// letter, the key of their file (`8s`).
const VMIN = 3, VMAX = 24, vkey = (n, w) => `${Math.min(n, VMAX)}${[...w].pop()}`;
export const vocabFile = (k) => `v/${keyFile(k)}`;
export function addVocab(ix, key, list) {
  if (ix.vloaded.has(key)) return;
  ix.vloaded.add(key);
  for (const w of list) {
    const v = ix.vocab.push(w) - 1;
    ix.vstem.push(ix.stem(w));
    (ix.vby.get(key) || ix.vby.set(key, []).get(key)).push(v), ix.vkey.push(key);
    for (const p of pairs(w)) (ix.vpairs.get(p) || ix.vpairs.set(p, []).get(p)).push(v);
  }
  finish(ix);
}

function finish(ix) {
  ix.sorted = ix.words.map((_, i) => i).sort((a, b) => (ix.words[a] < ix.words[b] ? -1 : 1));
  for (const r of ix.cache.values()) ix.pool.push(r);
  ix.cache.clear();
  ix.spans.clear();
  return ix;
}

export function createIndex(data) {
  version(data, 1);
  const articles = data.articles || [], causes = data.causes || [];
  const ix = base(articles.length, causes.map((c) => (c.mentions ||= []).length), data.synonyms, data.stop_words, data.stemmer);
  const { A, C, M, first } = ix, mA = (ix.mA = new Int32Array(M));
  ix.causesOf = articles.map(() => []);
  ix.article = (d) => articles[d];
  ix.cause = (c) => causes[c];
  ix.mention = (c, k) => {
    const m = causes[c].mentions[k], a = articles[m.article];
    return [a.url, a.title, a.condition, m.group, m.summary, m.anchor];
  };
  const add = (texts, doc, field, named) => {
    for (const text of [texts].flat()) {
      if (!text) continue;
      const code = doc * 16 + field;
      for (const [w] of text.matchAll(WORD)) {
        if (!ix.raw.has(w)) ix.raw.set(w, word(ix, fold(w)));
        const list = ix.post[ix.raw.get(w)];
        if (list[list.length - 1] !== code) list.push(code);
      }
      const k = named && words(text).map(ix.stem).join(" ");
      if (k) (ix.names.get(k) || ix.names.set(k, []).get(k)).push(doc);
    }
  };
  articles.forEach((a, i) => fields(a).forEach((t, f) => add(t, i, f, f === 1 || f === 2)));
  causes.forEach((c, i) => {
    add(c.name, A + i, 7, 1);
    add(c.also_known_as, A + i, 8, 1);
    c.mentions.forEach((m, k) => {
      const j = first[i] + k, a = (mA[j] = m.article);
      add(m.summary, A + C + j, 9);
      if (articles[a]) ix.causesOf[a].push(i), add([c.name, ...(c.also_known_as || [])], a, 10);
    });
  });
  ix.post = ix.post.map((l) => Int32Array.from(l));
  const upd = (a) => articles[a]?.updated || "";
  const cUpd = causes.map((c) => c.mentions.reduce((u, m) => (upd(m.article) > u ? upd(m.article) : u), ""));
  const order = (n, u, key) => {
    const r = new Int32Array(n);
    [...Array(n).keys()].sort((x, y) => (u(y) > u(x)) - (u(y) < u(x)) || (key(x) > key(y)) - (key(x) < key(y)) || x - y)
      .forEach((d, i) => (r[d] = i));
    return r;
  };
  ix.aRank = order(A, upd, (i) => articles[i].url);
  ix.cRank = order(C, (i) => cUpd[i], (i) => causes[i].slug);
  const by = new Map();
  for (const w of ix.words) {
    const n = [...w].length, k = vkey(n, w);
    if (!/\d/.test(w) && n >= VMIN) (by.get(k) || by.set(k, []).get(k)).push(w);
  }
  by.forEach((l, k) => addVocab(ix, k, l.sort()));
  return finish(ix);
}


export function shardIndex(man) {
  version(man, 2);
  const ix = base(man.articles, man.mentions, man.synonyms, man.stop_words, man.stemmer);
  ix.aRank = ix.cRank = Int32Array.from(ix.ids.keys());
  Object.assign(ix, { man, split: new Set(man.split), phrases: new Map(), loaded: new Set(), files: new Map() });
  const rec = (k, i) => {
    const n = man.chunks[k], f = `${k}/${(i / n) | 0}`;
    return ix.files.has(f) ? ix.files.get(f)[i % n] : void ix.need.add(f);
  };
  ix.article = (d) => rec("a", d);
  ix.cause = (c) => rec("c", c);
  ix.mention = (c, k) => rec("m", ix.first[c] + k);
  ix.sections = (d) => rec("s", d);
  return finish(ix);
}

function numbers(list, at = 0, out = []) {
  let d = -1;
  for (const v of list) if (v < 0) for (let k = -v; k--; ) out.push(at + ++d); else out.push(at + (d += v + 1));
  return out;
}

function codes(ix, p) {
  const out = [];
  for (const f in p) for (const d of numbers(p[f], f == 7 || f == 8 ? ix.A : f == 9 || (f > 10 && f < 14) ? ix.A + ix.C : 0)) out.push(d * 16 + +f);
  return Int32Array.from(out);
}

export function addShard(ix, key, shard) {
  if (ix.loaded.has(key)) return;
  ix.loaded.add(key);
  for (const w in shard.words) if (!ix.wordId.has(w)) ix.post[word(ix, w)] = codes(ix, shard.words[w]);
  for (const k in shard.names) ix.names.set(k, numbers(shard.names[k]));
  for (const k in shard.phrases) ix.phrases.set(k, codes(ix, shard.phrases[k]));
  finish(ix);
}

export const shardKey = (split, w) => {
  const c = [...w], two = c.slice(0, 2).join("");
  return c.length > 2 && split.has(two) ? c.slice(0, 3).join("") : two;
};
export const shardFile = (k) => `t/${keyFile(k)}`;

export function shardsFor(ix, query) {
  let q = String(query || "");
  const w = words(q).pop();
  if (w && OPEN.test(q) && [...w].length < shardKey(ix.split, w + "--").length) q += " ";
  const keys = new Set(), add = (x) => x && keys.add(shardKey(ix.split, x));
  for (const t of parse(ix, q)) {
    [...t.text.split(" "), ...t.stem.split(" ")].forEach(add);
    for (const a of t.alts) if (!a.stems[1] || ix.man.phrases.includes(a.stems.join(" "))) a.stems.forEach(add);
  }
  return { query: q, keys: [...keys].filter((k) => k in ix.man.shards && !ix.loaded.has(k)) };
}

function spans(ix, text) {
  let s = ix.spans.get(text);
  if (!s) {
    if (ix.spans.size > 20000) ix.spans.clear();
    const l = [];
    for (const m of String(text).matchAll(WORD)) l.push(m.index, m.index + m[0].length, ix.raw.get(m[0]) ?? ix.wordId.get(fold(m[0])) ?? -1);
    ix.spans.set(text, (s = Int32Array.from(l)));
  }
  return s;
}

const runs = (ix, s, run) =>
  [...Array(Math.max(0, s.length / 3 - run.length + 1)).keys()].filter((i) => run.every((x, j) => s[3 * (i + j) + 2] >= 0 && ix.stems[ix.wordStem[s[3 * (i + j) + 2]]] === x));

// `settled`: the reader has stopped typing, so the last word, still a prefix, is also looked
// for as a finished word among the whole vocabulary.
export function parse(ix, query, settled = false) {
  const q = String(query || ""), w = words(q), terms = [];
  const open = OPEN.test(q);
  for (let i = 0; i < w.length; i++) {
    const last = open && i === w.length - 1, t = { text: w[i], stem: ix.stem(w[i]), prefix: last, vocab: !last || settled, alts: [] };
    const hits = [];
    for (const g of ix.synonyms) {
      for (const m of g) {
        let q = i + m.length <= w.length ? 1 : 0;
        m.forEach((s, j) => {
          const x = w[i + j] || "", k = m.length === 1 ? typos(x.length) : 0;
          q = Math.min(q, s === ix.stem(x) ? 1
            : open && i + j === w.length - 1 && x.length > 2 && s.startsWith(x) ? QUALITY.prefix
            : k && distance(ix.stem(x), s, k) <= k ? QUALITY.typo2 : 0);
        });
        if (q) hits.push({ n: m.length, g, m, q });
      }
    }
    const n = Math.max(1, ...hits.map((h) => h.n));
    if (n > 1) {
      t.text = w.slice(i, i + n).join(" ");
      t.stem = hits.find((h) => h.n === n).m.join(" ");
      t.prefix = false;
      i += n - 1;
    }
    for (const h of hits.filter((h) => h.n === n)) {
      for (const m of h.g) if (n > 1 || m[0] !== t.stem) t.alts.push({ stems: m, q: h.q * (m === h.m ? 1 : QUALITY.synonym) });
    }
    t.stop = n === 1 && !t.alts.length && ix.stop.has(t.text);
    terms.push(t);
  }
  // Question words and the like are set aside, unless the query holds nothing else.
  const kept = terms.filter((t) => !t.stop);
  return kept.length ? kept : terms;
}

function matchWord(ix, t) {
  const found = new Map(), { words, sorted } = ix, x = t.text;
  const put = (id, q) => found.get(id) >= q || found.set(id, q);
  const starting = function* (p) {
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[sorted[mid]] < p) lo = mid + 1;
      else hi = mid;
    }
    for (; lo < sorted.length && words[sorted[lo]].startsWith(p); lo++) yield sorted[lo];
  };
  for (const id of ix.stemWords[ix.stemId.get(t.stem)] || []) put(id, QUALITY.exact);
  if (t.prefix) for (const id of starting(x)) put(id, words[id] === x ? 1 : QUALITY.prefix);
  // Typos only for a word found nowhere (a real word is no typo). First among the words of
  // its own shard: a word or stem k edits away (k by length), or, for a word being typed, a
  // word whose start is kp away. Then, for a finished word still found nowhere, among the whole
  // vocabulary one edit away, so a typo in the first letters is found too.
  if (found.size) return found;
  const [k, kp] = allowed(t), n = [...x].length;
  if (!k) return found;
  const q = (d) => (d === 1 ? QUALITY.typo1 : QUALITY.typo2);
  for (const id of starting(ix.split ? shardKey(ix.split, x) : x.slice(0, 2))) {
    const w = words[id], whole = Math.min(distance(x, w, k), distance(t.stem, ix.stems[ix.wordStem[id]], k));
    const start = kp ? distance(x, w, kp, true) : 9, d = Math.min(whole <= k ? whole : 9, start <= kp ? start : 9);
    if (d < 9) put(id, q(d));
  }
  if (found.size || !t.vocab) return found;
  // The files of the lengths one edit away, with the same last letter, are fetched first
  // (shards), then searched.
  const keys = new Set([n - 1, n, n + 1].filter((m) => m >= VMIN).map((m) => vkey(m, x)));
  let more = 0;
  for (const key of keys) if (ix.man?.vocabulary[key] && !ix.vloaded.has(key)) more = ix.needVocab.add(key);
  if (more) return found;
  const g = pairs(x), seen = new Map();
  if (n <= 5) for (const key of keys) for (const v of ix.vby.get(key) || []) seen.set(v, 9);
  for (const p of g) for (const v of ix.vpairs.get(p) || []) seen.set(v, (seen.get(v) || 0) + 1);
  seen.forEach((c, v) => {
    const w = ix.vocab[v];
    if (c < g.length - 3 || !keys.has(ix.vkey[v])) return;
    if (Math.min(distance(x, w, 1), distance(t.stem, ix.vstem[v], 1)) > 1) return;
    const id = ix.wordId.get(w);
    if (id === undefined && ix.split) ix.needKeys.add(shardKey(ix.split, w));
    if (id !== undefined) put(id, QUALITY.typo1);
    for (const i of ix.stemWords[ix.stemId.get(ix.vstem[v])] || []) put(i, QUALITY.typo1);
  });
  return found;
}

// Edits allowed in a whole word, and in a word being typed; the lengths a typo can be of.
const allowed = (t) => {
  const n = [...t.text].length, k = /\d/.test(t.text) || t.text.includes(" ") ? 0 : typos(n);
  return [k, t.prefix && k && n > 4 ? typos(n + 1) : 0];
};

// The hottest loop of a keystroke: the count of touched mentions is kept in a local.
function post(list, q, only, AC, s, ctx, m, mx, tm) {
  let n = tm.n;
  const cap = tm.length;
  for (let i = 0; i < list.length; i++) {
    const code = list[i];
    if (only && !only.has(code)) continue;
    const doc = code >> 4, f = code & 15, v = q * WEIGHT[f], j = doc - AC;
    if (j >= 0) {
      if (n < cap && !m[j] && !mx[j]) tm[n++] = j;
      if (f > 10) v > mx[j] && (mx[j] = v);
      else v > m[j] && (m[j] = v);
    } else {
      if (v > s[doc]) s[doc] = v;
      if (CONTEXT[f] && v > ctx[doc]) ctx[doc] = v;
    }
  }
  tm.n = n;
}

function score(ix, t) {
  const key = `${t.text}\0${t.prefix}\0${t.vocab}`, { A, C, M, mA, mC, mx, cache } = ix, AC = A + C;
  let r = cache.get(key);
  if (r) return cache.delete(key), cache.set(key, r), r;
  if (cache.size >= Math.max(12, ix.keep)) {
    const [old] = cache.keys();
    ix.pool.push(cache.get(old));
    cache.delete(old);
  }
  r = ix.pool.pop() || { s: new Float32Array(AC), ctx: new Float32Array(A), m: new Float32Array(M), c: new Float32Array(C), tm: new Int32Array(mA ? 0 : M >> 2) };
  const { s, ctx, m, c, tm } = r;
  s.fill(0), mA && ctx.fill(0), r.all && m.fill(0);
  for (let k = r.all ? 0 : tm.n; k--; ) m[tm[k]] = 0;
  tm.n = 0;
  const apply = (w, q, only, list = ix.post[w]) => post(list, q, only, AC, s, ctx, m, mx, tm);
  r.matched = t.stem.includes(" ") ? new Map() : matchWord(ix, t);
  r.runs = [];
  r.matched.forEach((q, w) => apply(w, q));
  for (const { stems, q } of t.alts) {
    const ids = stems.map((x) => ix.stemId.get(x)), p = ix.phrases?.get(stems.join(" "));
    if (ix.phrases && stems[1]) {
      if (p) apply(0, q, null, p), r.runs.push(stems);
      continue;
    }
    if (ids.includes(undefined)) continue;
    if (ids.length === 1) {
      for (const w of ix.stemWords[ids[0]]) apply(w, q), r.matched.get(w) >= q || r.matched.set(w, q);
      continue;
    }
    let ok = null;
    for (const sid of ids) {
      const here = new Set();
      for (const w of ix.stemWords[sid]) for (const x of ix.post[w]) if (!ok || ok.has(x)) here.add(x);
      ok = here;
    }
    for (const w of ix.stemWords[ids[0]]) apply(w, q, ok);
    r.runs.push(stems);
  }
  c.set(s.subarray(A));
  if (mA) {
    r.all = true;
    for (let i = 0; i < M; i++) {
      const v = (m[i] += 0.5 * ctx[mA[i]]);
      if (v > c[mC[i]]) c[mC[i]] = v;
    }
  } else if ((r.all = tm.n >= tm.length)) {
    for (let i = 0; i < M; i++) {
      const v = (m[i] += 0.5 * mx[i]);
      if (v > c[mC[i]]) c[mC[i]] = v;
    }
    mx.fill(0);
  } else for (let k = 0; k < tm.n; k++) {
    const i = tm[k], v = (m[i] += 0.5 * mx[i]);
    mx[i] = 0;
    if (v > c[mC[i]]) c[mC[i]] = v;
  }
  cache.set(key, r);
  return r;
}

export const highlight = (ix, text, terms) => ranges(ix, text, terms.map((t) => score(ix, t)));

function ranges(ix, text, rs) {
  if (!text) return [];
  const s = spans(ix, text), n = s.length / 3, hit = new Uint8Array(n), out = [];
  for (const r of rs) {
    for (let i = 0; i < n; i++) if (r.matched.has(s[3 * i + 2])) hit[i] = 1;
    for (const run of r.runs) for (const i of runs(ix, s, run)) hit.fill(1, i, i + run.length);
  }
  for (let i = 0; i < n; i++) {
    const prev = out[out.length - 1];
    if (!hit[i]) continue;
    if (prev && hit[i - 1] && !text.slice(prev[1], s[3 * i]).trim()) prev[1] = s[3 * i + 1];
    else out.push([s[3 * i], s[3 * i + 1]]);
  }
  return out;
}

function top(ids, len, sc, rank, n) {
  const better = (a, b) => sc[a] > sc[b] || (sc[a] === sc[b] && rank[a] < rank[b]), best = [];
  for (let j = 0; j < len; j++) {
    const d = ids[j];
    if (best.length === n && !better(d, best[n - 1])) continue;
    let i = Math.min(best.length, n - 1);
    for (; i > 0 && better(d, best[i - 1]); i--) best[i] = best[i - 1];
    best[i] = d;
  }
  return best;
}

// A part of `text` around its first range, cut at spaces, the ranges moved with it.
function snippet(text, rs, len = 180) {
  const at = rs.length ? rs[0][0] : 0, dot = text.lastIndexOf(". ", at);
  // From the start of the sentence that holds the first match, when it is near; else a word.
  let s = dot >= 0 && dot + 2 <= at && at - dot < 100 ? dot + 2 : Math.max(0, at - 50), e = Math.min(text.length, s + len);
  if (s && text[s - 1] !== " ") s = text.indexOf(" ", s) + 1 || s;
  if (e < text.length) e = Math.max(text.lastIndexOf(" ", e), rs[0]?.[1] || 0) || e;
  const lead = s ? "… " : "", d = lead.length - s;
  return { text: lead + text.slice(s, e) + (e < text.length ? " …" : ""), ranges: rs.filter(([a, b]) => a >= s && b <= e).map(([a, b]) => [a + d, b + d]) };
}

export function search(ix, query, { causes: nc = 10, articles: na = 20, mentions: nm = 5, sections: ns = 5, settled = false } = {}) {
  const terms = parse(ix, query, settled), out = { terms, causes: { total: 0, items: [] }, articles: { total: 0, items: [] } };
  ix.needKeys.clear(), ix.needVocab.clear();
  if (!terms.length) return out;
  const { A, mA, first, ids, aScore, cScore, hits, sums, rank, pick } = ix;
  ix.keep = terms.length + 1;
  const rs = terms.map((t) => score(ix, t)), T = rs.length;
  // Each document's score (the sum of what each term matched) and how many terms it matched;
  // the best score of a document matching every term, and of one matching fewer.
  const measure = (n, lists, sc, hit) => {
    let all = 0, some = 0;
    if (T === 1) {
      const l = lists[0];
      for (let d = 0; d < n; d++) (sc[d] = l[d]), (hit[d] = l[d] ? 1 : 0), (all = Math.max(all, l[d]));
      return [all, some];
    }
    for (let d = 0; d < n; d++) {
      let sum = 0, h = 0;
      for (let t = 0; t < T; t++) if (lists[t][d]) (sum += lists[t][d]), h++;
      (sc[d] = sum), (hit[d] = h);
      if (h === T) all = Math.max(all, sum);
      else some = Math.max(some, sum);
    }
    return [all, some];
  };
  // The documents matching `need` terms or more.
  const total = (n, sc, hit, bonus, need) => {
    let len = 0;
    for (let d = 0; d < n; d++) if (hit[d] >= need && sc[d]) ids[len++] = d;
      else sc[d] = 0;
    for (const d of ix.names.get(terms.map((t) => t.stem).join(" ")) || []) if (sc[d - bonus]) sc[d - bonus] += 5;
    return len;
  };
  const mark = (text) => ranges(ix, text, rs);
  const marked = (xs, field) => [xs || []].flat().map((text) => ({ field, text, ranges: mark(text) })).filter((x) => x.ranges.length);

  // Pages holding every word come alone, unless a page holding fewer matches better (a word
  // in a title weighs ten in the body): then every page holding some, best first.
  const [ca, cs] = measure(ix.C, rs.map((r) => r.c), cScore, ix.cHits), [aa, as] = measure(A, rs.map((r) => r.s), aScore, ix.aHits);
  const need = T > 1 && Math.max(cs, as) > Math.max(ca, aa) ? 1 : T;
  out.missing = terms.filter((t, i) => !rs[i].matched.size && !rs[i].runs.length).map((t) => t.text);
  out.partial = need < T;
  let len = total(ix.C, cScore, ix.cHits, A, need);
  out.causes.total = len;
  out.causes.items = top(ids, len, cScore, ix.cRank, nc).map((c) => {
    const cause = ix.cause(c), f = first[c], n = first[c + 1] - f, open = [];
    rs.forEach((r, t) => r.s[A + c] || open.push(r.m));
    hits.fill(0, 0, n), sums.fill(0, 0, n);
    let most = 0, k = 0;
    for (let j = 0; j < n; j++) {
      for (const m of open) if (m[f + j]) hits[j]++, (sums[j] += m[f + j]);
      most = Math.max(most, hits[j]);
    }
    for (let j = 0; j < n; j++) if (hits[j] === most) (pick[k++] = j), (rank[j] = mA ? ix.aRank[mA[f + j]] : j);
    const mentions = top(pick, k, sums, rank, nm).map((j) => ix.mention(c, j));
    return cause && mentions.every(Boolean) && {
      slug: cause.slug, name: cause.name, url: cause.url, score: cScore[c], nameRanges: mark(cause.name),
      also_known_as: marked(cause.also_known_as), mentionCount: n, matchedMentions: k,
      mentions: mentions.map(([url, title, condition, group, summary, anchor]) => ({
        url, title, condition, group, summary, anchor, href: anchor ? `${url}#${anchor}` : url, summaryRanges: mark(summary),
      })),
    };
  }).filter(Boolean);

  len = total(A, aScore, ix.aHits, 0, need);
  out.articles.total = len;
  const named = new Set(ix.names.get(terms.map((t) => t.stem).join(" ")) || []);
  out.articles.items = top(ids, len, aScore, ix.aRank, na).map((d, k) => {
    const a = ix.article(d);
    const item = a && {
      url: a.url, title: a.title, condition: a.condition, description: a.description, score: aScore[d],
      titleRanges: mark(a.title), conditionRanges: mark(a.condition), descriptionRanges: mark(a.description),
      matches: [...marked(a.also_known_as, "also_known_as"), ...marked(a.symptoms, "symptom"), ...marked(a.tags, "tag"),
        ...marked(a.causes || ix.causesOf[d].map((c) => ix.cause(c).name), "cause")],
      flags: (a.see_a_doctor || []).map((f) => ({ ...f, label: URGENCY[f.urgency] || URGENCY.routine, ranges: mark(f.text) }))
        .filter((f) => f.ranges.length).sort((x, y) => LEVEL.indexOf(y.urgency) - LEVEL.indexOf(x.urgency)),
      named: named.has(d),
    };
    if (!item || k >= ns || !ix.sections) return item;
    // A word the result does not show matched in the body: show the section that holds it.
    const shown = [item.title, item.condition, item.description, ...item.matches.map((m) => m.text), ...item.flags.map((f) => f.text)];
    const hidden = rs.filter((r) => !shown.some((t) => t && ranges(ix, t, [r]).length));
    if (!hidden.length) return item;
    const secs = ix.sections(d);
    if (!secs) return; // its chunk is fetched, then the search runs again

    let best, most = 0;
    for (const [id, heading, text] of secs) {
      const n = hidden.filter((r) => ranges(ix, heading, [r]).length || ranges(ix, text, [r]).length).length;
      if (n > most) (most = n), (best = [id, heading, text]);
    }
    if (best) {
      const [id, heading, text] = best, cut = snippet(text, ranges(ix, text, hidden));
      item.section = { id, heading, headingRanges: mark(heading), ...cut, href: id ? `${a.url}#${id}` : a.url };
    }
    return item;
  }).filter(Boolean);
  return out;
}
