/*
 * The archive's search page: words, "exact phrases", and filters by entity, source, tag,
 * language and date, over the static index that build_tools/search writes under search/.
 *
 * Every index file is a script calling window.__raSearch.add(name, data); this page loads them
 * with <script> tags, which browsers allow from file:// (fetch() of JSON is not), and asks no
 * other host for anything. Words are folded, tokenized and stemmed exactly as
 * build_tools/search/text.py does (stemmer.js is the same Snowball algorithm); keep the two in
 * step. The docs page "How search works" describes the design and the file formats.
 */
(function () {
  "use strict";

  var api = (window.__raSearch = window.__raSearch || {});
  var store = Object.create(null);
  var pending = Object.create(null);
  api.add = function (name, data) {
    store[name] = data;
  };

  // --- words: the rules of build_tools/search/text.py ---------------------------------------

  var APOSTROPHES = /[\u2019\u2018\u02bc\u2032]/g;
  var INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff]/g;
  var MARKS = /\p{M}/gu;
  var TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
  var ENGLISH = /^[a-z]+(?:'[a-z]+)*$/;
  var ASCII = /^[\x00-\x7f]*$/;
  var MAX_TOKEN = 40;
  var STOP = new Set(("a an and are as at be been but by for from had has have he her his i in " +
    "is it its of on or she so than that the their them there they this to was were which who " +
    "with").split(" "));

  function fold(text) {
    var lowered = text.toLowerCase().replace(APOSTROPHES, "'").replace(INVISIBLE, "");
    return ASCII.test(lowered) ? lowered : lowered.normalize("NFKD").replace(MARKS, "");
  }

  function codePoints(word) {
    var n = 0;
    for (var i = 0; i < word.length; i++) {
      var c = word.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++;
    }
    return n;
  }

  function words(text) {
    var found = fold(text).match(TOKEN) || [];
    return found.filter(function (w) { return codePoints(w) <= MAX_TOKEN; });
  }

  var stemCache = new Map();
  function stem(word) {
    if (!ENGLISH.test(word)) return word;
    var s = stemCache.get(word);
    if (s === undefined) {
      s = window.raStem(word);
      stemCache.set(word, s);
    }
    return s;
  }

  function terms(text) {
    return words(text).filter(function (w) { return !STOP.has(w); }).map(stem);
  }

  api.words = words;
  api.terms = terms;
  api.fold = fold;
  api.stopWords = function () { return Array.from(STOP); };

  // --- loading index files -------------------------------------------------------------------

  // The search page (#ra-search), or the header's search as you type on any other page
  // (assets/header-search.js loads this file and says where the site's root is).
  var root = document.getElementById("ra-search");
  var header = root ? null : window.__raSearchHeader;
  if (!root && !header) return;
  var indexBase = root ? new URL(root.getAttribute("data-index") || "search/", document.baseURI).href
    : header.root + "search/";
  var siteRoot = root ? new URL(root.getAttribute("data-root") || "./", document.baseURI).href : header.root;
  var version = "";

  function load(name) {
    if (name in store) return Promise.resolve(store[name]);
    if (pending[name]) return pending[name];
    pending[name] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = indexBase + name + ".js" + (version ? "?v=" + version : "");
      script.charset = "utf-8";
      script.async = true;
      script.onload = function () {
        script.remove();
        if (name in store) resolve(store[name]);
        else reject(new Error("the search file " + name + ".js registered nothing"));
      };
      script.onerror = function () {
        script.remove();
        delete pending[name];
        reject(new Error("the search file " + name + ".js could not be loaded"));
      };
      document.head.appendChild(script);
    });
    return pending[name];
  }

  // --- numbers as build_tools/search/codec.py writes them -------------------------------------

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;

  function Reader(text) {
    this.text = text;
    this.at = 0;
  }
  Reader.prototype.next = function () {
    var value = 0, shift = 0, text = this.text;
    for (;;) {
      var group = DIGIT[text.charCodeAt(this.at++)];
      value += (group & 31) * Math.pow(2, shift);
      if (group < 32) return value;
      shift += 5;
    }
  };

  function decodeIds(text) {
    var r = new Reader(text), n = r.next(), ids = new Int32Array(n), id = 0;
    for (var i = 0; i < n; i++) ids[i] = id += r.next();
    return ids;
  }

  function decodePostings(text) {
    var r = new Reader(text), n = r.next(), ids = new Int32Array(n), values = new Uint8Array(n);
    var id = 0, i;
    for (i = 0; i < n; i++) ids[i] = id += r.next();
    for (i = 0; i < n; i++) values[i] = r.next();
    return { ids: ids, values: values };
  }

  // --- the manifest: days, shards, menus --------------------------------------------------

  var M = null;  // the manifest, with derived tables
  var DAY_MS = 86400000;

  function loadManifest() {
    return load("manifest").then(function (m) {
      if (M) return M;
      version = m.version;
      if (m.stopWords) STOP = new Set(m.stopWords);
      if (m.maxToken) MAX_TOKEN = m.maxToken;
      var r = new Reader(m.days), firstDoc = [], day = [], doc = 0;
      var current = m.firstDay ? Date.parse(m.firstDay + "T00:00:00Z") / DAY_MS : 0;
      while (r.at < m.days.length) {
        current += r.next();
        firstDoc.push(doc);
        day.push(current);
        doc += r.next();
      }
      m.dayFirstDoc = firstDoc;
      m.dayNumber = day;
      M = m;
      return m;
    });
  }

  function dayOfDoc(doc) {
    var lo = 0, hi = M.dayFirstDoc.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (M.dayFirstDoc[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return M.dayNumber[lo];
  }

  // The first document published on or after `dayNumber` (documents are in time order).
  function firstDocFrom(dayNumber) {
    var days = M.dayNumber, lo = 0, hi = days.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (days[mid] < dayNumber) lo = mid + 1; else hi = mid;
    }
    return lo < days.length ? M.dayFirstDoc[lo] : M.documents;
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function showDay(dayNumber) {
    var d = new Date(dayNumber * DAY_MS);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function isoDay(dayNumber) {
    return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
  }

  // "2022", "2022-03" or "2022-03-30" -> [first day, last day] as day numbers, or null.
  function parsePeriod(text) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec((text || "").trim());
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] - 1 : 0, d = m[3] ? +m[3] : 1;
    var start = Date.UTC(y, mo, d);
    var check = new Date(start);
    if (check.getUTCMonth() !== mo || check.getUTCDate() !== d) return null;
    var end = m[3] ? start : m[2] ? Date.UTC(y, mo + 1, 0) : Date.UTC(y, 11, 31);
    return [start / DAY_MS, end / DAY_MS];
  }

  function shardOf(term) {
    var starts = M.shards, lo = 0, hi = starts.length - 1;
    if (!starts.length || term < starts[0]) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // --- terms and facets ----------------------------------------------------------------------

  var decoded = new Map();
  var K1 = 1.2, TITLE_WEIGHT = 2.5, ENTITY_WEIGHT = 1.5;

  function idf(df) {
    return Math.log(1 + (M.documents - df + 0.5) / (df + 0.5));
  }

  function weigh(postings) {
    var n = postings.ids.length, w = new Float32Array(n), f = idf(n), levels = M.impactLevels;
    for (var i = 0; i < n; i++) {
      var v = postings.values[i];
      w[i] = f * ((v >> 2) / levels * (K1 + 1) + (v & 1 ? TITLE_WEIGHT : 0) + (v & 2 ? ENTITY_WEIGHT : 0));
    }
    return { ids: postings.ids, w: w };
  }

  function termList(term) {
    var shard = shardOf(term);
    if (shard < 0) return Promise.resolve(null);
    return load("t/" + shard).then(function (data) {
      if (!Object.prototype.hasOwnProperty.call(data, term)) return null;
      if (!decoded.has(term)) decoded.set(term, weigh(decodePostings(data[term])));
      return decoded.get(term);
    });
  }

  // The last word while it is still being typed: the terms it may become. Stems are mostly
  // prefixes of their words ("negoti" for "negotiation"), so a stem just shorter than the typed
  // text counts too.
  function prefixList(word) {
    var exact = stem(word);
    if (codePoints(word) < 3) return termList(exact);
    var first = shardOf(word), last = shardOf(word + "\uffff"), wanted = [];
    if (first < 0) first = 0;
    if (last < 0) return termList(exact);
    var loads = [];
    for (var s = first; s <= last && s < first + 3; s++) loads.push(load("t/" + s));
    // Shorter stems sort before the word, maybe in an earlier shard.
    var shorter = new Set([shardOf(exact), shardOf(word.slice(0, -1)), shardOf(word.slice(0, -2))]);
    shorter.forEach(function (s) { if (s >= 0 && (s < first || s > last)) loads.push(load("t/" + s)); });
    return Promise.all(loads).then(function (shards) {
      var seen = new Set();
      shards.forEach(function (data) {
        Object.keys(data).forEach(function (t) {
          if (seen.has(t)) return;
          if (t === exact || t.startsWith(word) ||
              (word.startsWith(t) && t.length >= 4 && t.length >= word.length - 2)) {
            seen.add(t);
            wanted.push([t, new Reader(data[t]).next(), data]);
          }
        });
      });
      wanted.sort(function (x, y) { return y[1] - x[1]; });
      var lists = wanted.slice(0, 64).map(function (item) {
        if (!decoded.has(item[0])) decoded.set(item[0], weigh(decodePostings(item[2][item[0]])));
        return decoded.get(item[0]);
      });
      if (!lists.length) return null;
      return union(lists);
    });
  }

  function union(lists) {
    if (lists.length === 1) return lists[0];
    var best = new Map();
    lists.forEach(function (list) {
      for (var i = 0; i < list.ids.length; i++) {
        var id = list.ids[i], w = list.w[i], old = best.get(id);
        if (old === undefined || w > old) best.set(id, w);
      }
    });
    var ids = Int32Array.from(best.keys()).sort(), w = new Float32Array(ids.length);
    for (var i = 0; i < ids.length; i++) w[i] = best.get(ids[i]);
    return { ids: ids, w: w };
  }

  function facetList(kind, key, bundle) {
    var name = kind + ":" + key;
    if (decoded.has(name)) return Promise.resolve(decoded.get(name));
    return load("f/" + bundle).then(function (data) {
      var list = data[name] ? { ids: decodeIds(data[name]), w: null } : { ids: new Int32Array(0), w: null };
      decoded.set(name, list);
      return list;
    });
  }

  function entityRows(letter) {
    var bucket = M.entityBuckets[letter];
    if (bucket === undefined) return Promise.resolve([]);
    return load("n/" + bucket).then(function (rows) {
      rows.forEach(function (row) {
        if (!row.words) {
          row.words = words([row[1]].concat(row[3]).join(" "));
          row.folded = fold(row[1]);
        }
      });
      return rows;
    });
  }

  function findEntity(id) {
    var w = words(id);
    if (!w.length) return Promise.resolve(null);
    return entityRows(String.fromCodePoint(w[0].codePointAt(0))).then(function (rows) {
      return rows.find(function (row) { return row[0] === id; }) || null;
    });
  }

  // Entities whose names contain words starting with every typed word, most named first.
  function suggestEntities(text, limit) {
    var typed = words(text);
    if (!typed.length) return Promise.resolve([]);
    return entityRows(String.fromCodePoint(typed[0].codePointAt(0))).then(function (rows) {
      var found = [];
      for (var i = 0; i < rows.length && found.length < limit; i++) {
        var row = rows[i];
        if (typed.every(function (t) { return row.words.some(function (w) { return w.startsWith(t); }); })) {
          found.push(row);
        }
      }
      return found;
    });
  }

  // --- queries -------------------------------------------------------------------------------

  // The query syntax of build_tools/search/syntax.py: words (all of them), "phrases", OR
  // between two (either), -word and -"phrase" (none of them), word* (a prefix). The last word
  // is a prefix too while the reader is still typing it. An item: {terms, phrase, prefix}.
  var QUERY_PART = /(-?)"([^"]*)"?|([^\s"]+)/g;

  function queryItems(q) {
    var items = [], m;
    QUERY_PART.lastIndex = 0;
    while ((m = QUERY_PART.exec(q))) {
      var negated = m[1] === "-", end = m.index + m[0].length;
      if (m[2] !== undefined) {
        var required = terms(m[2]);
        if (required.length) items.push({ terms: required, phrase: words(m[2]).map(stem), negated: negated, end: end });
        else items.push({ skip: true });
        continue;
      }
      var token = m[3];
      if (token === "OR") { items.push({ or: true }); continue; }
      if (token.length > 1 && token.charAt(0) === "-") { negated = true; token = token.slice(1); }
      var star = /\*$/.test(token), ws = words(token);
      if (ws.length > 1) {  // "x-y", "U.S.": its words as a phrase, as FTS5 reads them
        var t = terms(token);
        items.push(t.length ? { terms: t, phrase: ws.map(stem), negated: negated, end: end } : { skip: true });
      } else if (ws.length === 1) {
        items.push({ word: ws[0], star: star, negated: negated, end: end });
      } else {
        items.push({ skip: true });
      }
    }
    return items;
  }

  function parseQuery(q) {
    var items = queryItems(q);
    var typing = q.length > 0 && !/[\s"*]$/.test(q) && !/"[^"]*$/.test(q);
    var last = -1;
    items.forEach(function (it, i) { if (it.word !== undefined && !it.negated) last = i; });
    if (!typing || last < 0 || items[last].end !== q.length) last = -1;
    var groups = [], excluded = [], join = false, prefix = null, highlight = new Set();
    var plainCount = items.filter(function (it) { return it.word !== undefined || it.phrase; }).length;
    items.forEach(function (it, i) {
      if (it.or) { join = groups.length > 0; return; }
      if (it.skip) { join = false; return; }
      var item = it;
      if (it.word !== undefined) {
        var w = it.word, isTyped = i === last;
        if (isTyped && codePoints(w) < 3) {
          // One or two letters being typed: a prefix too short to mean anything. Alone it is
          // looked up as a word ("un", "eu"); after other words it waits for more letters.
          if (plainCount > 1 || STOP.has(w)) { join = false; return; }
          item = { terms: [stem(w)] };
        } else if (isTyped || it.star) {
          item = { terms: [], prefix: w };
          if (!prefix) prefix = { word: w };
        } else if (STOP.has(w)) {
          join = false;
          return;
        } else {
          item = { terms: [stem(w)], word: w };
        }
        item.negated = it.negated;
      }
      if (item.negated) {
        excluded.push(item);
        join = false;
        return;
      }
      item.terms.forEach(function (t) { highlight.add(t); });
      if (join) groups[groups.length - 1].push(item);
      else groups.push([item]);
      join = false;
    });
    var needsCheck = groups.some(function (g) { return g.some(function (i) { return i.phrase; }); }) ||
      excluded.some(function (i) { return i.phrase || i.prefix; });
    return { groups: groups, excluded: excluded, prefix: prefix, highlight: highlight, needsCheck: needsCheck,
             phrases: groups.filter(function (g) { return g.length === 1 && g[0].phrase; })
                            .map(function (g) { return g[0].phrase; }) };
  }

  // Keep the documents of `cand` that are in `list`, adding their weights.
  function intersect(cand, list) {
    var ids = cand.ids, score = cand.score, other = list.ids, w = list.w;
    var outIds = new Int32Array(Math.min(ids.length, other.length));
    var outScore = new Float64Array(outIds.length), n = 0, j = 0;
    var gallop = other.length > 8 * ids.length;
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (gallop) {
        var lo = j, hi = other.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (other[mid] < id) lo = mid + 1; else hi = mid; }
        j = lo;
      } else {
        while (j < other.length && other[j] < id) j++;
      }
      if (j < other.length && other[j] === id) {
        outIds[n] = id;
        outScore[n++] = score[i] + (w ? w[j] : 0);
      }
    }
    return { ids: outIds.subarray(0, n), score: outScore.subarray(0, n) };
  }

  function fromList(list) {
    var score = new Float64Array(list.ids.length);
    if (list.w) score.set(list.w);
    return { ids: list.ids, score: score };
  }

  function range(lo, hi) {
    var ids = new Int32Array(Math.max(0, hi - lo));
    for (var i = 0; i < ids.length; i++) ids[i] = lo + i;
    return { ids: ids, score: new Float64Array(ids.length) };
  }

  // Every document that matches the words and the filters, ranked; phrases are checked later,
  // against the text of the results shown.
  function match(state, parsed) {
    var lists = parsed.groups.map(groupList);
    var without = Promise.all(parsed.excluded.filter(function (i) { return !i.phrase && !i.prefix; })
      .map(function (i) { return termList(i.terms[0]); }));
    var facets = [];
    state.entities.forEach(function (id) {
      facets.push(findEntity(id).then(function (row) {
        return row ? facetList("e", id, row[5]) : { ids: new Int32Array(0), w: null };
      }));
    });
    [["s", "source", M.sources], ["g", "tag", M.tags], ["l", "lang", M.languages]].concat(
      (M.groupings || []).map(function (g) { return [g.kind, g.key, g.rows]; })
    ).forEach(function (f) {
      var value = state[f[1]];
      if (!value) return;
      var row = f[2].find(function (r) { return r[0] === value; });
      facets.push(row ? facetList(f[0], value, row[2]) : Promise.resolve({ ids: new Int32Array(0), w: null }));
    });
    return Promise.all([Promise.all(lists), Promise.all(facets), without]).then(function (found) {
      return subtract(intersectAll(found[0].concat(found[1]), state), found[2]);
    });
  }

  // The documents in every list and in the period of `state`, with their summed weights.
  function intersectAll(all, state) {
    if (all.some(function (l) { return l === null; })) return { ids: new Int32Array(0), score: new Float64Array(0) };
    var lo = 0, hi = M.documents;
    var from = parsePeriod(state.from), to = parsePeriod(state.to);
    if (from) lo = firstDocFrom(from[0]);
    if (to) hi = firstDocFrom(to[1] + 1);
    if (!all.length) return range(lo, hi);
    all.sort(function (x, y) { return x.ids.length - y.ids.length; });
    var cand = fromList(all[0]);
    for (var i = 1; i < all.length && cand.ids.length; i++) cand = intersect(cand, all[i]);
    if (from || to) {
      var keep = [];
      for (var k = 0; k < cand.ids.length; k++) if (cand.ids[k] >= lo && cand.ids[k] < hi) keep.push(k);
      cand = { ids: Int32Array.from(keep, function (k) { return cand.ids[k]; }),
               score: Float64Array.from(keep, function (k) { return cand.score[k]; }) };
    }
    return cand;
  }

  // The documents of one query item: a word, a prefix, or every word of a phrase (its order
  // is checked against the text as results are shown).
  function itemList(item) {
    if (item.prefix) return prefixList(item.prefix);
    return Promise.all(item.terms.map(termList)).then(function (ls) {
      if (ls.some(function (l) { return l === null; })) return null;
      if (ls.length === 1) return ls[0];
      ls.sort(function (x, y) { return x.ids.length - y.ids.length; });
      var c = fromList(ls[0]);
      for (var i = 1; i < ls.length; i++) c = intersect(c, ls[i]);
      return { ids: c.ids, w: Float32Array.from(c.score) };
    });
  }

  // A group of alternatives joined by OR: the documents of any of them.
  function groupList(group) {
    return Promise.all(group.map(itemList)).then(function (ls) {
      var found = ls.filter(Boolean);
      if (!found.length) return null;
      return found.length === 1 ? found[0] : union(found);
    });
  }

  // Leave out the documents of excluded words.
  function subtract(cand, lists) {
    var drop = new Set();
    lists.forEach(function (l) { if (l) for (var i = 0; i < l.ids.length; i++) drop.add(l.ids[i]); });
    if (!drop.size) return cand;
    var keep = [];
    for (var k = 0; k < cand.ids.length; k++) if (!drop.has(cand.ids[k])) keep.push(k);
    return { ids: Int32Array.from(keep, function (k) { return cand.ids[k]; }),
             score: Float64Array.from(keep, function (k) { return cand.score[k]; }) };
  }

  function rank(cand, sort, relevant) {
    var order = Array.from({ length: cand.ids.length }, function (_, i) { return i; });
    var ids = cand.ids, score = cand.score;
    if (sort === "oldest") order.sort(function (x, y) { return ids[x] - ids[y]; });
    else if (sort === "newest" || !relevant) order.sort(function (x, y) { return ids[y] - ids[x]; });
    else order.sort(function (x, y) { return score[y] - score[x] || ids[y] - ids[x]; });
    return order.map(function (i) { return ids[i]; });
  }

  function docData(doc) {
    return load("d/" + Math.floor(doc / M.docChunk)).then(function (rows) {
      var row = rows[doc % M.docChunk];
      return { doc: doc, title: row[0], url: row[1], source: M.sources[row[2]][0],
               lang: M.languages[row[3]][0], text: row[5] };
    });
  }

  function hasSequence(stems, phrase) {
    outer: for (var i = 0; i + phrase.length <= stems.length; i++) {
      for (var j = 0; j < phrase.length; j++) if (stems[i + j] !== phrase[j]) continue outer;
      return true;
    }
    return false;
  }

  // Whether a document really holds the query's phrases (in a group, any alternative) and none
  // of its excluded phrases or prefixes: the index only knows that it holds their words.
  function accepts(d, parsed) {
    if (!parsed.needsCheck) return true;
    var title = words(d.title), body = words(d.text);
    var titleStems = title.map(stem), bodyStems = body.map(stem);
    function has(item) {
      if (item.phrase) return hasSequence(titleStems, item.phrase) || hasSequence(bodyStems, item.phrase);
      if (item.prefix) {
        var p = item.prefix;
        return title.some(function (w) { return w.startsWith(p); }) || body.some(function (w) { return w.startsWith(p); });
      }
      return item.terms.every(function (t) { return titleStems.indexOf(t) >= 0 || bodyStems.indexOf(t) >= 0; });
    }
    return parsed.groups.every(function (g) { return g.some(has); }) &&
      !parsed.excluded.some(function (i) { return (i.phrase || i.prefix) && has(i); });
  }

  // --- snippets ------------------------------------------------------------------------------

  var WORD_IN_TEXT = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u2018\u02bc\u2032][\p{L}\p{N}\p{M}]+)*/gu;

  function isHit(token, hits, prefix) {
    var ws = words(token);
    for (var i = 0; i < ws.length; i++) {
      var t = stem(ws[i]);
      if (hits.has(t) || (prefix && ws[i].startsWith(prefix))) return true;
    }
    return false;
  }

  // Text with the matched words in <mark>: a list of [string, isHit] pieces.
  function marked(text, hits, prefix) {
    var pieces = [], last = 0, m;
    WORD_IN_TEXT.lastIndex = 0;
    while ((m = WORD_IN_TEXT.exec(text))) {
      if (isHit(m[0], hits, prefix)) {
        if (m.index > last) pieces.push([text.slice(last, m.index), false]);
        pieces.push([m[0], true]);
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) pieces.push([text.slice(last), false]);
    return pieces;
  }

  // Where the snippet starts: at the first phrase of the query the text holds, else where
  // the most different query words sit close together (within SPAN characters), earliest first.
  var SPAN = 200;
  function bestStart(text, hits, prefix, phrases) {
    // A word is folded and stemmed only when its first two letters could begin a query term
    // (stems are prefixes of their words): a long text costs a scan, not a stem per word.
    var heads = new Set();
    hits.forEach(function (t) { heads.add(t.slice(0, 2)); });
    if (prefix) heads.add(prefix.slice(0, 2));
    phrases.forEach(function (p) { p.forEach(function (t) { heads.add(t.slice(0, 2)); }); });
    var found = [], m;
    WORD_IN_TEXT.lastIndex = 0;
    while ((m = WORD_IN_TEXT.exec(text))) {
      var lower = m[0].slice(0, 2).toLowerCase();
      if (!heads.has(lower) && ASCII.test(lower)) {
        found.push({ at: m.index, stem: "", hit: false });
        continue;
      }
      var ws = words(m[0]);
      found.push({ at: m.index, stem: ws.length ? stem(ws[0]) : "", hit: isHit(m[0], hits, prefix) });
    }
    var stems = found.map(function (f) { return f.stem; });
    for (var p = 0; p < phrases.length; p++) {
      var phrase = phrases[p];
      outer: for (var i = 0; i + phrase.length <= stems.length; i++) {
        for (var j = 0; j < phrase.length; j++) if (stems[i + j] !== phrase[j]) continue outer;
        return found[i].at;
      }
    }
    var hitsAt = found.filter(function (f) { return f.hit; });
    var best = -1, bestCount = 0;
    for (var a = 0; a < hitsAt.length; a++) {
      var seen = new Set();
      for (var b = a; b < hitsAt.length && hitsAt[b].at - hitsAt[a].at <= SPAN; b++) seen.add(hitsAt[b].stem);
      if (seen.size > bestCount) { bestCount = seen.size; best = hitsAt[a].at; }
    }
    return best;
  }

  // A text that opens with the result's title (copies often repeat it) is shown without it.
  function withoutTitle(text, title) {
    var t = title.trim();
    if (t && text.slice(0, t.length + 10).trimStart().startsWith(t)) {
      return text.trimStart().slice(t.length).replace(/^[\s.:\u2013\u2014-]+/, "");
    }
    return text;
  }

  function snippetOf(text, hits, prefix, phrases, title) {
    text = withoutTitle(text, title || "");
    var first = bestStart(text, hits, prefix, phrases || []);
    var start = first < 0 ? 0 : Math.max(0, first - 80);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(text.length, start + 280);
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      end = back > start + 160 ? back : end;
    }
    var pieces = marked(text.slice(start, end), hits, prefix);
    if (start > 0) pieces.unshift(["… ", false]);
    if (end < text.length) pieces.push([" …", false]);
    return pieces;
  }

  function render(parent, pieces) {
    pieces.forEach(function (p) {
      if (p[1]) {
        var mark = document.createElement("mark");
        mark.textContent = p[0];
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(p[0]));
      }
    });
  }

  // --- the header's search as you type ----------------------------------------------------

  // The best `limit` results for `q` and how many there are (at most: a phrase is checked
  // only in the results shown), for assets/header-search.js.
  api.quick = function (q, limit) {
    return loadManifest().then(function () {
      var parsed = parseQuery(q);
      if (!parsed.groups.length) return { total: 0, results: [] };
      var prefix = parsed.prefix ? parsed.prefix.word : null;
      var s = { parsed: parsed, highlight: parsed.highlight };
      return match({ entities: [], from: "", to: "" }, parsed).then(function (cand) {
        var order = rank(cand, "", true);
        return Promise.all(order.slice(0, parsed.needsCheck ? 3 * limit : limit).map(docData)).then(function (docs) {
          var kept = docs.filter(function (d) { return accepts(d, parsed); }).slice(0, limit);
          return {
            total: order.length,
            results: kept.map(function (d) {
              return { url: passageURL(d.url, s), title: marked(d.title, parsed.highlight, prefix),
                       meta: showDay(dayOfDoc(d.doc)) + " · " + d.source,
                       snippet: snippetOf(d.text, parsed.highlight, prefix, parsed.phrases, d.title) };
            })
          };
        });
      });
    });
  };
  api.render = render;
  if (!root) return;

  // --- the page ------------------------------------------------------------------------------

  var PAGE = 10;
  // Candidates checked for an exact phrase per page of results, at most: one round of script
  // loads while the reader types, two after Enter, on opening a link, or for More results.
  var CHECK_TYPING = 20, CHECK_MORE = 40;
  var form = root.querySelector("form");
  var box = root.querySelector("[name=q]");
  var status = root.querySelector(".ra-search__status");
  var hint = document.createElement("p");  // did you mean, and a name's filter
  hint.className = "ra-search__hint";
  hint.hidden = true;
  status.parentNode.insertBefore(hint, status.nextSibling);
  var list = root.querySelector(".ra-search__results");
  var more = root.querySelector(".ra-search__more");
  var chips = root.querySelector(".ra-search__chips");
  var entityBox = root.querySelector(".ra-search__entity-input");
  var suggestions = root.querySelector(".ra-search__suggestions");
  var selects = { source: root.querySelector("[name=source]"), tag: root.querySelector("[name=tag]"),
                  lang: root.querySelector("[name=lang]"), sort: root.querySelector("[name=sort]") };
  // The archive's own groupings (mkdocs.yml): a select each, named by its front-matter key.
  var GROUPINGS = Array.from(root.querySelectorAll("select[data-grouping]")).map(function (s) {
    selects[s.name] = s;
    return s.name;
  });
  var dates = { from: root.querySelector("[name=from]"), to: root.querySelector("[name=to]") };
  var options = root.querySelector(".ra-search__options");
  var activeCount = root.querySelector(".ra-search__active");

  var state = readURL();
  var entityRowsById = new Map();
  var run = 0;
  var session = null;  // the ranked results of the current query, and how far they are shown

  function readURL() {
    var p = new URLSearchParams(location.search);
    var found = { q: p.get("q") || "", entities: p.getAll("entity").filter(Boolean),
                  source: p.get("source") || "", tag: p.get("tag") || "", lang: p.get("lang") || "",
                  from: p.get("from") || "", to: p.get("to") || "", sort: p.get("sort") || "" };
    GROUPINGS.forEach(function (k) { found[k] = p.get(k) || ""; });
    return found;
  }

  function writeURL() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    state.entities.forEach(function (id) { p.append("entity", id); });
    ["source", "tag", "lang", "from", "to", "sort"].concat(GROUPINGS).forEach(function (k) {
      if (state[k]) p.set(k, state[k]);
    });
    var query = p.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      try { history.replaceState(null, "", url); } catch (e) { /* an address the browser refuses */ }
    }
  }

  // A filter's menu, with each choice's count; a menu with nothing to choose (no tags, one
  // language) is not shown.
  function fillSelect(select, rows, label) {
    if (!select) return;
    var current = select.value;
    rows.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row[0];
      option.label_ = label ? label(row[0]) : row[0];
      option.textContent = option.label_ + " (" + row[1].toLocaleString("en") + ")";
      select.appendChild(option);
    });
    select.value = current;
    var field = select.closest(".ra-search__field");
    if (field) field.hidden = rows.length < 2 && !current;
  }

  // The filters' menus count the articles of the current words, names and dates (facet
  // counts), while the filters are open; menus of more than FACET_MAX choices keep the
  // archive's counts.
  var FACET_MAX = 300, facetRun = 0;
  function facetMenus() {
    return [["s", "source", M.sources], ["g", "tag", M.tags], ["l", "lang", M.languages]].concat(
      (M.groupings || []).map(function (g) { return [g.kind, g.key, g.rows]; })
    ).filter(function (f) { return selects[f[1]] && f[2].length <= FACET_MAX; });
  }

  function updateCounts() {
    if (!M || !options.open) return Promise.resolve();
    var mine = ++facetRun;
    var base = { entities: state.entities, from: state.from, to: state.to };
    var parsed = parseQuery(state.q);
    return match(base, parsed).then(function (cand) {
      var ids = new Set(cand.ids);
      return Promise.all(facetMenus().map(function (f) {
        return Promise.all(f[2].map(function (row) { return facetList(f[0], row[0], row[2]); })).then(function (lists) {
          if (mine !== facetRun) return;
          var counts = new Map();
          lists.forEach(function (list, i) {
            var n = 0;
            for (var k = 0; k < list.ids.length; k++) if (ids.has(list.ids[k])) n++;
            counts.set(f[2][i][0], n);
          });
          Array.from(selects[f[1]].options).forEach(function (option) {
            if (!option.value || !counts.has(option.value)) return;
            option.textContent = option.label_ + " (" + counts.get(option.value).toLocaleString("en") + ")";
          });
        });
      }));
    }).then(function () {
      if (mine === facetRun) root.setAttribute("data-facets", "done");
    });
  }

  // How many filters are set, on "Filters"; a page opened with filters set opens them.
  function showActive(open) {
    var n = ["source", "tag", "lang", "from", "to", "sort"].concat(GROUPINGS)
      .filter(function (k) { return state[k]; }).length;
    activeCount.textContent = n ? " (" + n + " set)" : "";
    if (open && n) options.open = true;
  }

  var LANGUAGES = { en: "English", uk: "Ukrainian", ru: "Russian", de: "German", fr: "French",
                    pl: "Polish", es: "Spanish", it: "Italian", be: "Belarusian" };

  function showState() {
    box.value = state.q;
    ["source", "tag", "lang", "sort"].concat(GROUPINGS).forEach(function (k) {
      var select = selects[k];
      if (!select) return;
      if (state[k] && !Array.from(select.options).some(function (o) { return o.value === state[k]; })) {
        var option = document.createElement("option");
        option.value = option.textContent = state[k];
        select.appendChild(option);
      }
      select.value = state[k];
    });
    ["from", "to"].forEach(function (k) {
      var period = parsePeriod(state[k]);
      dates[k].value = period ? isoDay(k === "from" ? period[0] : period[1]) : "";
    });
    showChips();
    showActive(true);
  }

  function showChips() {
    chips.textContent = "";
    state.entities.forEach(function (id) {
      var row = entityRowsById.get(id);
      var chip = document.createElement("span");
      chip.className = "ra-search__chip" + (row ? " ra-chip--" + row[2] : "");
      chip.setAttribute("data-entity", id);
      chip.textContent = row ? row[1] : id;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "ra-search__chip-remove";
      remove.setAttribute("aria-label", "Remove " + (row ? row[1] : id));
      remove.textContent = "×";
      remove.addEventListener("click", function () {
        state.entities = state.entities.filter(function (e) { return e !== id; });
        showChips();
        search();
      });
      chip.appendChild(remove);
      chips.appendChild(chip);
    });
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // The answer to one search is on screen: say so to scripts (tests, benchmarks).
  function done(mine, started, shown) {
    if (mine !== run) return;
    root.removeAttribute("data-facets");
    updateCounts();
    var ms = performance.now() - started;
    root.setAttribute("data-ms", ms.toFixed(1));
    root.setAttribute("data-state", "done");
    api.last = { query: state.q, ms: ms, results: shown, at: performance.now() };
    root.dispatchEvent(new CustomEvent("ra-search-done", { bubbles: true }));
  }

  // Without phrases the count is exact. With a phrase, candidates (articles with all its
  // words) are checked against their text as they are shown, so until all are checked the count
  // is an upper bound.
  function describe(s) {
    var total = s.order.length - (s.rejected || 0);
    if (!total) return "No results.";
    var n = total.toLocaleString("en");
    if (!s.parsed.needsCheck || s.next >= s.order.length) return n + (total === 1 ? " result" : " results");
    return s.shown.toLocaleString("en") + " shown of up to " + n + " (the exact phrase is checked " +
      "as results are shown: " + s.next.toLocaleString("en") + " checked so far)";
  }

  function search(typing) {
    var mine = ++run;
    var started = performance.now();
    writeURL();
    showActive(false);
    if (!state.q.trim() && !state.entities.length && !state.source && !state.tag && !state.lang &&
        !state.from && !state.to && !GROUPINGS.some(function (k) { return state[k]; })) {
      list.textContent = "";
      more.hidden = true;
      hint.hidden = true;
      session = null;
      setStatus("Type words or a \"phrase\", or pick a filter.");
      done(mine, started, 0);
      return Promise.resolve();
    }
    root.setAttribute("data-state", "busy");
    return loadManifest().then(function () {
      var parsed = parseQuery(state.q);
      if (state.q.trim() && !parsed.groups.length && !parsed.excluded.length && !state.entities.length) {
        if (mine !== run) return;
        list.textContent = "";
        more.hidden = true;
        setStatus("Those words are too common to search for; add another word.");
        done(mine, started, 0);
        return;
      }
      var highlight = new Set(parsed.highlight);
      var names = Promise.all(state.entities.map(function (id) {
        return entityRowsById.has(id) ? entityRowsById.get(id) : findEntity(id);
      }));
      return Promise.all([match(state, parsed), names]).then(function (found) {
        if (mine !== run) return;
        found[1].forEach(function (row) {
          if (!row) return;
          entityRowsById.set(row[0], row);
          if (!parsed.groups.length) terms(row.words.join(" ")).forEach(function (t) { highlight.add(t); });
        });
        showChips();
        var relevant = parsed.groups.length > 0;
        session = { order: rank(found[0], state.sort, relevant), next: 0, shown: 0, parsed: parsed,
                    highlight: highlight, run: mine, started: started };
        list.textContent = "";
        return showMore(session, typing ? CHECK_TYPING : CHECK_MORE);
      });
    }).catch(function (error) {
      if (mine !== run) return;
      setStatus("Search failed: " + error.message);
      api.error = error;
      done(mine, started, 0);
    });
  }

  function showMore(s, budget) {
    var wanted = s.shown + PAGE, checked = 0, checking = s.parsed.needsCheck;
    function step() {
      if (s.run !== run) return Promise.resolve();
      if (s.shown >= wanted || s.next >= s.order.length || checked >= budget) return finish();
      var start = s.next;
      var size = checking ? CHECK_TYPING : wanted - s.shown;
      var batch = s.order.slice(start, start + Math.min(size, budget - checked));
      s.next += batch.length;
      checked += batch.length;
      return Promise.all(batch.map(docData)).then(function (docs) {
        if (s.run !== run) return;
        for (var k = 0; k < docs.length; k++) {
          if (s.shown >= wanted) {
            s.next = start + k;  // the rest are shown next time
            break;
          }
          if (accepts(docs[k], s.parsed)) {
            list.appendChild(result(docs[k], s));
            s.shown++;
          } else {
            s.rejected = (s.rejected || 0) + 1;
          }
        }
        return step();
      });
    }
    function finish() {
      if (s.run !== run) return;
      setStatus(describe(s));
      more.hidden = s.next >= s.order.length;
      done(s.run, s.started, s.shown);
      // After the results: did you mean, a name's filter (data-hints="done" once shown).
      root.removeAttribute("data-hints");
      return showHints(s).then(function () { if (s.run === run) root.setAttribute("data-hints", "done"); });
    }
    return step();
  }

  // The article's address with the query's words (h, as stems): the article page
  // (assets/highlight.js) marks them and opens at the paragraph that holds most of them.
  function passageURL(url, s) {
    var target = new URL(url, siteRoot);
    var stems = Array.from(s.highlight);
    if (s.parsed.prefix) stems.push(s.parsed.prefix.word);
    if (stems.length) target.searchParams.set("h", stems.join(" "));
    return target.href;
  }

  function result(d, s) {
    var li = document.createElement("li");
    li.className = "ra-search__result";
    li.setAttribute("lang", d.lang);
    var a = document.createElement("a");
    a.className = "ra-search__title";
    a.href = passageURL(d.url, s);
    var prefix = s.parsed.prefix ? s.parsed.prefix.word : null;
    render(a, marked(d.title, s.highlight, prefix));
    var meta = document.createElement("div");
    meta.className = "ra-search__meta";
    var time = document.createElement("time");
    var day = dayOfDoc(d.doc);
    time.dateTime = isoDay(day);
    time.textContent = showDay(day);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · " + d.source));
    var p = document.createElement("p");
    p.className = "ra-search__snippet";
    render(p, snippetOf(d.text, s.highlight, prefix, s.parsed.phrases, d.title));
    li.appendChild(a);
    li.appendChild(meta);
    li.appendChild(p);
    return li;
  }

  // --- did you mean ---------------------------------------------------------------------------

  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  // The nearest spelling the archive uses for a word no article holds: a word of an entity's
  // name or alias first (readers misspell names most), else a term of the index (as
  // build_tools/search/spelling.py does for `archive search`).
  function nearest(word) {
    var first = String.fromCodePoint(word.codePointAt(0));
    var shard = shardOf(stem(word));
    return Promise.all([entityRows(first), shard >= 0 ? load("t/" + shard) : Promise.resolve({})]).then(function (r) {
      var best = null, bestScore = 0;
      function consider(candidate, shown, bonus) {
        var f = fold(candidate);
        if (f === word || codePoints(f) < 4 || f.charAt(0) !== word.charAt(0)) return;
        var d = distance(word, f), score = 1 - d / Math.max(word.length, f.length) + bonus;
        if (d <= 2 && score >= 0.75 && score > bestScore) { best = shown; bestScore = score; }
      }
      r[0].forEach(function (row) {
        [row[1]].concat(row[3]).forEach(function (name) {
          (name.match(WORD_IN_TEXT) || []).forEach(function (part) { consider(part, part, 0.05); });
        });
      });
      Object.keys(r[1]).forEach(function (t) { consider(t, t, 0); });
      return best;
    });
  }

  function suggestSpelling(s) {
    var unknown = [];
    s.parsed.groups.forEach(function (g) {
      // A word, or the last one as typed (a prefix): with no result, either may be misspelt.
      g.forEach(function (item) {
        var w = item.word || item.prefix;
        if (w && codePoints(w) >= 4 && !decoded.has(stem(w))) unknown.push(w);
      });
    });
    if (!unknown.length) return Promise.resolve(null);
    return Promise.all(unknown.map(function (w) {
      return termList(stem(w)).then(function (list) { return list ? null : nearest(w); });
    })).then(function (better) {
      var q = state.q, changed = false;
      unknown.forEach(function (w, i) {
        if (!better[i]) return;
        var re = new RegExp("(^|[^\\p{L}\\p{N}])" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![\\p{L}\\p{N}])", "iu");
        var next = q.replace(re, function (all, before) { return before + better[i]; });
        changed = changed || next !== q;
        q = next;
      });
      return changed ? q : null;
    });
  }

  // The entity whose name or alias the whole query is: its row, to offer its filter.
  function namedEntity(q) {
    var wanted = words(q.replace(/"/g, " ")).join(" ");
    if (!wanted) return Promise.resolve(null);
    return entityRows(String.fromCodePoint(wanted.codePointAt(0))).then(function (rows) {
      return rows.find(function (row) {
        return [row[1]].concat(row[3]).some(function (n) { return words(n).join(" ") === wanted; });
      }) || null;
    });
  }

  function showHints(s) {
    hint.textContent = "";
    hint.hidden = true;
    var asks = [s.shown === 0 && s.next >= s.order.length ? suggestSpelling(s) : Promise.resolve(null),
                s.parsed.groups.length && !state.entities.length ? namedEntity(state.q) : Promise.resolve(null)];
    return Promise.all(asks).then(function (found) {
      if (s.run !== run) return;
      if (found[0]) {
        hint.appendChild(document.createTextNode("Did you mean "));
        var a = document.createElement("a");
        a.className = "ra-search__suggested";
        a.href = "?q=" + encodeURIComponent(found[0]);
        a.textContent = found[0];
        a.addEventListener("click", function (event) {
          event.preventDefault();
          state.q = found[0];
          showState();
          search();
        });
        hint.appendChild(a);
        hint.appendChild(document.createTextNode("?"));
        hint.hidden = false;
      }
      var row = found[1];
      if (row) {
        if (found[0]) hint.appendChild(document.createTextNode(" "));
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button ra-search__name-filter";
        button.textContent = "Show the " + row[4].toLocaleString("en") + (row[4] === 1 ? " article" : " articles") +
          " that name " + row[1];
        button.addEventListener("click", function () {
          entityRowsById.set(row[0], row);
          state.entities = [row[0]];
          state.q = "";
          showState();
          search();
        });
        hint.appendChild(button);
        hint.hidden = false;
      }
    });
  }

  // --- entity type-ahead ---------------------------------------------------------------------

  var suggestRun = 0, active = -1;

  function closeSuggestions() {
    suggestions.textContent = "";
    suggestions.hidden = true;
    entityBox.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function pick(row) {
    entityRowsById.set(row[0], row);
    if (state.entities.indexOf(row[0]) < 0) state.entities.push(row[0]);
    entityBox.value = "";
    closeSuggestions();
    showChips();
    search();
  }

  function suggest() {
    var mine = ++suggestRun;
    var text = entityBox.value;
    loadManifest().then(function () { return suggestEntities(text, 8); }).then(function (rows) {
      if (mine !== suggestRun) return;
      suggestions.textContent = "";
      active = -1;
      rows.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = "ra-suggestion-" + i;
        li.setAttribute("role", "option");
        li.className = "ra-search__suggestion ra-chip--" + row[2];
        li.textContent = row[1];
        var small = document.createElement("small");
        small.textContent = " " + row[2] + ", " + row[4].toLocaleString("en") + (row[4] === 1 ? " article" : " articles");
        li.appendChild(small);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(row); });
        li.row = row;
        suggestions.appendChild(li);
      });
      suggestions.hidden = rows.length === 0;
      entityBox.setAttribute("aria-expanded", rows.length ? "true" : "false");
    });
  }

  function moveActive(step) {
    var items = suggestions.children;
    if (!items.length) return;
    if (active >= 0) items[active].removeAttribute("aria-selected");
    active = (active + step + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    entityBox.setAttribute("aria-activedescendant", items[active].id);
  }

  // --- wiring --------------------------------------------------------------------------------

  var timer = 0;
  function later(delay) {
    clearTimeout(timer);
    timer = setTimeout(search, delay, true);
  }

  box.addEventListener("input", function () {
    state.q = box.value;
    later(40);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = box.value;
    clearTimeout(timer);
    search();
  });
  Object.keys(selects).forEach(function (k) {
    if (!selects[k]) return;
    selects[k].addEventListener("change", function () { state[k] = selects[k].value; search(); });
  });
  Object.keys(dates).forEach(function (k) {
    dates[k].addEventListener("change", function () { state[k] = dates[k].value; search(); });
  });
  entityBox.addEventListener("input", suggest);
  entityBox.addEventListener("blur", function () { setTimeout(closeSuggestions, 100); });
  entityBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { moveActive(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { moveActive(-1); event.preventDefault(); }
    else if (event.key === "Escape") closeSuggestions();
    else if (event.key === "Enter") {
      event.preventDefault();
      var items = suggestions.children;
      if (items.length) pick(items[Math.max(active, 0)].row);
    }
  });
  options.addEventListener("toggle", function () { updateCounts(); });
  more.addEventListener("click", function () {
    if (!session || session.run !== run) return;
    session.started = performance.now();
    root.setAttribute("data-state", "busy");
    showMore(session, CHECK_MORE);
  });

  showState();
  loadManifest().then(function (m) {
    fillSelect(selects.source, m.sources);
    fillSelect(selects.tag, m.tags);
    fillSelect(selects.lang, m.languages, function (code) { return LANGUAGES[code] || code; });
    (m.groupings || []).forEach(function (g) { fillSelect(selects[g.key], g.rows); });
    showState();
    return search();
  }).catch(function (error) {
    setStatus("The search index could not be loaded: " + error.message);
    root.setAttribute("data-state", "done");
    api.error = error;
  });
})();
