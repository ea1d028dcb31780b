/* Public Agents Catalog: the header's agent search (issue 4).
 *
 * A static, sharded index written by generator/search/browser_index.py next to this file:
 * search/index.json (shard list), search/t/<prefix>.json (postings of the terms starting with
 * a prefix: two characters, longer where a shard grew past its budget and was split) and
 * search/d/<n>.json (what a result shows, two agents each: ref, name ("" when the slug spells
 * it), summary, state, then one character per capability, whose labels the head's `can` lists
 * once: a row costs a few bytes more, not its labels). A query fetches the head, one shard per
 * word and the chunks of the results it shows, never the whole catalog; a query the visitor
 * typed past fetches no rows. Every URL is relative to this script, so the site works from any
 * subpath.
 *
 * The ranking is generator/search/browser_query.py line for line (tests/test_search_browser.py runs
 * both on the judged queries); the text rules mirror generator/search/documents.py.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var HERE = new URL(".", SCRIPT ? SCRIPT.src : location.href).href; // <site>/search/
  var ROOT = new URL("..", HERE).href; // <site>/
  var EXACT = 10, PREFIX = 6, FUZZY = 4, LIMIT = 10;
  var PAUSE_MS = 120; // a typist pauses longer between words than between keys (issue 13)
  var FORMAT = 4; // the index files this script reads: browser_index.py FORMAT
  var CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"; // browser_index.py
  var STOPWORDS = new Set((
    "a an and are as at be but by can for from has have in into is it its of on or so that the " +
    "their them then there these they this to was were what when which who will with you your " +
    "elizaos plugin").split(" "));
  var SUFFIXES = [
    ["ations", "ate"], ["ation", "ate"], ["ators", "ate"], ["ator", "ate"],
    ["ies", "y"], ["sses", "ss"], ["ing", ""], ["ers", "er"], ["ed", ""], ["s", ""]
  ];

  /* ---- text: generator/search/documents.py ---- */

  function words(text) {
    if (!/^[\x00-\x7f]*$/.test(text)) {
      text = text.normalize("NFKD").replace(/\p{M}/gu, "");
    }
    return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function stem(word) {
    var chars = Array.from(word);
    if (chars.length <= 3 || !/^\p{L}+$/u.test(word)) return word;
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suffix = SUFFIXES[i][0];
      if (word.endsWith(suffix) && chars.length - suffix.length >= 3) {
        if (suffix === "s" && "isu".indexOf(chars[chars.length - 2]) >= 0) return word;
        return word.slice(0, word.length - suffix.length) + SUFFIXES[i][1];
      }
    }
    return word;
  }

  function terms(text) {
    var out = [];
    words(text).forEach(function (w) {
      if (Array.from(w).length < 2 || STOPWORDS.has(w)) return;
      var s = stem(w);
      if (!STOPWORDS.has(s)) out.push(s);
    });
    return out;
  }

  function prefixKey(prefix) {
    if (/^[a-z0-9]+$/.test(prefix)) return prefix;
    return "_" + Array.from(new TextEncoder().encode(prefix), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function shardKey(term) {
    return prefixKey(Array.from(term).slice(0, 2).join(""));
  }

  /* ---- files: fetched once, cached by URL (the build hash busts old copies) ---- */

  var cache = new Map();
  var headPromise = null;

  function fetchJson(path) {
    if (!cache.has(path)) {
      var url = HERE + path + (headBuild ? "?v=" + headBuild : "");
      cache.set(path, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  }

  var headBuild = "";
  var verified = new Set(); // owners whose records carry a verification (issue 15)
  var capabilities = []; // [label, "money" | "public" | ""] by code (issue 14)
  function head() {
    if (!headPromise) {
      headPromise = fetch(HERE + "index.json", { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      }).then(function (h) {
        if (h.format !== FORMAT) return handOver(h);
        headBuild = h.build;
        h.shardSet = new Set(h.shards);
        h.split = h.split || {};
        verified = new Set(h.verified || []);
        capabilities = h.can || [];
        return h;
      });
    }
    return headPromise;
  }

  /* A copy of this script that does not read the index's format (a browser's cached copy
   * after a deploy that changed the files) would misread them: it hands the box over, once
   * per page, to the script of the index's build (`?v=` passes any cache), keeping what was
   * typed, and its own queries never answer. A second mismatch is an error, not a loop. */
  var retired = false;
  function handOver(h) {
    var why = "search index format " + h.format + ", this script reads " + FORMAT;
    if (window.catalogSearchHandover || !SCRIPT) throw new Error(why);
    var box = document.querySelector(".pac-search");
    var input = box && box.querySelector(".pac-search__input");
    window.catalogSearchHandover = {
      text: input ? input.value : "", focused: !!input && input === document.activeElement
    };
    retired = true;
    if (box) box.remove();
    var next = document.createElement("script");
    next.src = HERE + "search.js?v=" + encodeURIComponent(h.build);
    document.head.appendChild(next);
    return new Promise(function () {});
  }

  /* The deepest shard whose prefix the term starts with: index.json "split" lists, for each
   * prefix whose shard was split, the next characters that have a shard of their own. */
  async function shard(term) {
    var h = await head();
    var chars = Array.from(term);
    if (!h.shardSet.has(shardKey(term))) return ["", {}];
    var depth = 2, prefix = chars.slice(0, 2).join("");
    while (Object.prototype.hasOwnProperty.call(h.split, prefix) && chars.length > depth) {
      if (!Array.from(h.split[prefix]).includes(chars[depth])) return ["", {}];
      prefix += chars[depth++];
    }
    return [prefix, await fetchJson("t/" + prefixKey(prefix) + ".json")];
  }

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  async function postings(term) {
    var found = await shard(term);
    return found[0] === term && has(found[1], "+") ? found[1]["="] : found[1][term];
  }

  async function vocabulary(head2) {  // every word starting with two characters: its doc count
    var found = await shard(head2), own = found[1], words = {};
    if (!has(own, "+")) {
      Object.keys(own).forEach(function (t) { words[t] = own[t].length / 2; });
      return words;
    }
    Object.keys(own["~"]).forEach(function (t) { words[t] = own["~"][t]; });
    if (has(own, "=")) words[found[0]] = own["="].length / 2;
    return words;
  }

  /* The capabilities of a result row: [label, kind] for each code (browser_query.py: can). */
  function can(r) {
    return Array.from(r[4] || "", function (c) { return capabilities[CODES.indexOf(c)]; })
      .filter(Boolean);
  }

  /* The name a slug spells, its words capitalised: a row leaves such a name out ("").
   * Slugs are ASCII, where this and browser_index.py's slug_name agree. */
  function slugName(ref) {
    return ref.slice(ref.lastIndexOf("/") + 1).split("-").map(function (w) {
      return w.charAt(0).toUpperCase() + w.slice(1);
    }).join(" ");
  }

  async function row(doc) {
    var h = await head();
    var r = (await fetchJson("d/" + Math.floor(doc / h.chunk) + ".json"))[doc % h.chunk];
    return r[1] ? r : [r[0], slugName(r[0])].concat(r.slice(2));
  }

  /* ---- ranking: generator/search/browser_query.py ---- */

  function maxTypos(token) {
    var n = Array.from(token).length;
    return n < 4 ? 0 : n < 8 ? 1 : 2;
  }

  function distance(a, b, limit) {
    a = Array.from(a); b = Array.from(b);
    var prev2 = [], prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], prev2[j - 2] + 1);
        }
      }
      if (Math.min.apply(null, row) > limit) return limit + 1;
      prev2 = prev; prev = row;
    }
    return Math.min(prev[b.length], limit + 1);
  }

  function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  async function candidates(token) {
    var own = (await shard(token))[1];
    if (has(own, "+")) {  // a split prefix typed as it is: its own postings and its longer words'
      var mine = has(own, "=") ? [[own["="], EXACT]] : [];
      return [mine.concat([[own["+"], PREFIX]]), token];
    }
    var near = Object.keys(own).sort(byCodePoint).filter(function (t) {
      return t !== token && t.startsWith(token);
    }).map(function (t) { return [own[t], PREFIX]; });
    if (has(own, token) || near.length) {
      var exact = has(own, token) ? [[own[token], EXACT]] : [];
      return [exact.concat(near), token];
    }
    var limit = maxTypos(token);
    if (!limit) return [[], token];
    var chars = Array.from(token);
    var heads = new Map();
    [chars[1] + chars[0], chars.slice(1, 3).join(""), chars.slice(0, 2).join("")].forEach(
      function (h) { heads.set(prefixKey(h), h); });
    var key = shardKey(token);
    var keys = [key].concat(Array.from(heads.keys()).filter(function (k) {
      return k !== key;
    }).sort(byCodePoint));
    for (var k = 0; k < keys.length; k++) {
      var words_ = await vocabulary(heads.get(keys[k]));
      var fuzzy = new Map();
      Object.keys(words_).forEach(function (t) {
        var lengthGap = Math.abs(Array.from(t).length - chars.length);
        if (lengthGap <= limit) {
          var d = distance(token, t, limit);
          if (d <= limit) fuzzy.set(t, d);
        }
      });
      if (fuzzy.size) {
        var names = Array.from(fuzzy.keys()).sort(byCodePoint);
        var best = names.slice().sort(function (a, b) {
          return (fuzzy.get(a) - fuzzy.get(b)) || (words_[b] - words_[a]) || byCodePoint(a, b);
        })[0];
        var lists = await Promise.all(names.map(postings));
        return [lists.map(function (flat) { return [flat, FUZZY]; }), best];
      }
    }
    return [[], token];
  }

  function bestPerDoc(cands) {
    var best = new Map();
    cands.forEach(function (c) {
      var flat = c[0], factor = c[1], doc = 0;
      for (var i = 0; i < flat.length; i += 2) {
        doc += flat[i];
        var value = flat[i + 1] * factor;
        if (value > (best.get(doc) || 0)) best.set(doc, value);
      }
    });
    return best;
  }

  /* Rank the documents for `text` and fetch the rows of the top `limit`. `wanted`, when given,
   * is asked once the ranking is done: false (the visitor typed on) ends the query with null
   * before any row is fetched. */
  async function query(text, limit, wanted) {
    limit = limit === undefined ? LIMIT : limit;
    await head();
    var tokens = Array.from(new Set(terms(text)));
    var scores = new Map(), matched = new Map(), corrected = [];
    for (var t = 0; t < tokens.length; t++) {
      var found = await candidates(tokens[t]);
      corrected.push(found[1]);
      bestPerDoc(found[0]).forEach(function (value, doc) {
        scores.set(doc, (scores.get(doc) || 0) + value);
        matched.set(doc, (matched.get(doc) || 0) + 1);
      });
    }
    var final = function (d) { return scores.get(d) * matched.get(d); };
    var ranked = Array.from(scores.keys()).sort(function (a, b) {
      return (final(b) - final(a)) || (a - b);
    });
    if (wanted && !wanted()) return null;
    var shown = await Promise.all(ranked.slice(0, limit).map(row));
    var fixed = corrected.join(" ");
    return {
      refs: shown.map(function (r) { return r[0]; }),
      rows: shown,
      scores: ranked.slice(0, limit).map(final),
      total: ranked.length,
      corrected: fixed !== tokens.join(" ") ? fixed : null,
      can: shown.map(function (r) { return can(r).map(function (c) { return c[0]; }); })
    };
  }

  /* ---- the search box: an ARIA 1.2 combobox with a listbox popup ----
   * Focus stays in the input; arrows move the active option (aria-activedescendant), Enter
   * opens it (or the first), Escape closes. A polite live region announces the result count. */

  var OPTION = "pac-search-option-";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text; // author text is never parsed as HTML
    return node;
  }

  function resultItem(r, i) {
    var li = el("li", "pac-search__item");
    li.setAttribute("role", "presentation");
    var a = el("a", "pac-search__link");
    a.id = OPTION + i;
    a.href = ROOT + "agents/" + r[0] + "/";
    a.tabIndex = -1;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    var name = el("span", "pac-search__name", r[1]);
    if (r[3]) {
      name.appendChild(document.createTextNode(" "));
      name.appendChild(el("span", "pac-state pac-state--" + r[3], r[3]));
    }
    if (verified.has(r[0].split("/")[0])) { // in the name: the muted ref would fade it
      name.appendChild(document.createTextNode(" "));
      name.appendChild(el("span", "pac-verified", "verified"));
    }
    a.appendChild(name);
    a.appendChild(el("span", "pac-search__ref", r[0]));
    a.appendChild(el("span", "pac-search__summary", r[2]));
    var caps = can(r);
    if (caps.length) { // words, not colour: a money or public capability is also bold
      var line = el("span", "pac-search__can", "Can: ");
      caps.forEach(function (c, i) {
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(el(c[1] ? "strong" : "span", "pac-search__cap", c[0]));
      });
      a.appendChild(line);
    }
    li.appendChild(a);
    return li;
  }

  function options(box) {
    return Array.from(box.querySelectorAll(".pac-search__link"));
  }

  function activate(box, input, index) {
    options(box).forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) option.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) input.setAttribute("aria-activedescendant", OPTION + index);
    else input.removeAttribute("aria-activedescendant");
  }

  function render(box, result) {
    var input = box.querySelector(".pac-search__input");
    var list = box.querySelector(".pac-search__results");
    var status = box.querySelector(".pac-search__status");
    var live = box.querySelector(".pac-search__live");
    list.replaceChildren.apply(list, result ? result.rows.map(resultItem) : []);
    activate(box, input, -1);
    if (!result) {
      box.classList.remove("pac-search--open");
      input.setAttribute("aria-expanded", "false");
      live.textContent = "";
      return;
    }
    var text = result.failed ? "Search is unavailable; try again later" :
      result.total === 0 ? "No agents match" :
      result.total <= result.rows.length ? result.total + " agent" + (result.total > 1 ? "s" : "") :
      "Top " + result.rows.length + " of " + result.total + " agents";
    if (result.corrected) text += " \u2014 showing matches for \u201c" + result.corrected + "\u201d";
    status.textContent = text;
    live.textContent = text;
    box.classList.add("pac-search--open");
    input.setAttribute("aria-expanded", result.rows.length ? "true" : "false");
  }

  function keys(box, input, event) {
    var links = options(box);
    var at = links.findIndex(function (a) { return a.getAttribute("aria-selected") === "true"; });
    var open = box.classList.contains("pac-search--open");
    if (event.key === "Escape") {
      if (!open) input.value = "";
      render(box, null);
      return;
    }
    if (event.key === "Enter" && links.length && open) {
      event.preventDefault();
      links[at < 0 ? 0 : at].click();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (!links.length) return;
    event.preventDefault();
    if (!open) { box.classList.add("pac-search--open"); input.setAttribute("aria-expanded", "true"); }
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next >= links.length) next = 0;
    if (next < -1) next = links.length - 1;
    activate(box, input, next);
  }

  function mount() {
    if (retired || document.querySelector(".pac-search")) return;
    var box = el("div", "pac-search");
    box.setAttribute("role", "search");
    var input = el("input", "pac-search__input");
    input.type = "search";
    input.placeholder = "Search agents";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-label", "Search agents");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "pac-search-results");
    var panel = el("div", "pac-search__panel");
    panel.appendChild(el("p", "pac-search__status"));
    var list = el("ol", "pac-search__results");
    list.id = "pac-search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Matching agents");
    panel.appendChild(list);
    var live = el("p", "pac-search__live");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    box.appendChild(input);
    box.appendChild(panel);
    box.appendChild(live);
    var seq = 0, pause = 0;
    input.addEventListener("input", function () {
      var mine = ++seq;
      clearTimeout(pause);
      if (!terms(input.value).length) { render(box, null); return; }
      pause = setTimeout(function () {  // typing key by key fetches only where the typist pauses
        var current = function () { return mine === seq; };
        query(input.value, LIMIT, current).then(function (result) {
          if (current()) render(box, result);
        }, function (err) {
          if (mine === seq) render(box, { rows: [], total: 0, corrected: null, failed: true });
          console.warn("agent search:", err);
        });
      }, PAUSE_MS);
    });
    input.addEventListener("keydown", function (e) { keys(box, input, e); });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) {
        box.classList.remove("pac-search--open");
        input.setAttribute("aria-expanded", "false");
      }
    });
    var header = document.querySelector(".md-header__inner") || document.body;
    var source = header.querySelector(".md-header__source");
    header.insertBefore(box, source);
    var handed = window.catalogSearchHandover;
    if (handed && handed.text) {  // the copy this one replaced had been typed into
      input.value = handed.text;
      if (handed.focused) input.focus();
      input.dispatchEvent(new Event("input"));
    }
  }

  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (e.key === "/" && !typing && !retired) {
      var input = document.querySelector(".pac-search__input");
      if (input) { e.preventDefault(); input.focus(); }
    }
  });

  window.catalogSearch = {
    query: query, terms: terms, stem: stem, shardKey: shardKey, prefixKey: prefixKey,
    slugName: slugName
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(mount);
})();
