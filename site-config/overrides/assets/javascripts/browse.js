/* Public Agents Catalog: the browse page's filters and sorting (vanilla JS, no server).
 *
 * Reads browse.json (written by generator/site/listings.py: rows of
 * [ref, name, summary, version, updated, created, license, tags, plugins, state, capabilities],
 * with tag,
 * plugin and license names interned; state is "flagged", "deprecated" or "") and renders the
 * matching agents with textContent only, so nothing an author wrote is ever parsed as HTML.
 * The filters are mirrored in the page address.
 */
(function () {
  "use strict";
  var PAGE = 100;
  var SORTS = {
    name: function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : cmp(a.ref, b.ref); },
    updated: function (a, b) { return b.updated - a.updated || cmp(a.ref, b.ref); },
    newest: function (a, b) { return b.created - a.created || cmp(a.ref, b.ref); }
  };

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function day(seconds) { return new Date(seconds * 1000).toISOString().slice(0, 10); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function fill(select, names) {
    names.forEach(function (name) {
      var option = el("option", name);
      option.value = name;
      select.appendChild(option);
    });
  }

  function rows(data) {
    var verified = new Set(data.verified || []);
    var labels = {};
    (data.capabilities || []).forEach(function (c) { labels[c[0]] = c[1]; });
    return data.agents.map(function (r) {
      return {
        ref: r[0], owner: r[0].split("/")[0], name: r[1], summary: r[2], version: r[3],
        updated: r[4], created: r[5], license: data.licenses[r[6]], key: r[1].toLowerCase(),
        tags: r[7].map(function (i) { return data.tags[i]; }),
        plugins: r[8].map(function (i) { return data.plugins[i]; }),
        state: r[9] || "", verified: verified.has(r[0].split("/")[0]),
        capabilities: r[10] || [],
        can: (r[10] || []).map(function (id) { return labels[id] || id; })
      };
    });
  }

  function item(agent, root) {
    var li = el("li");
    li.setAttribute("data-ref", agent.ref);
    var link = el("a");
    link.href = root + "agents/" + agent.ref + "/";
    link.appendChild(el("strong", agent.name));
    li.appendChild(link);
    if (agent.state) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", agent.state, "pac-state pac-state--" + agent.state));
    }
    var ref = el("span", agent.ref + " " + agent.version, "pac-card__meta pac-ref");
    if (agent.verified) {
      ref.appendChild(document.createTextNode(" "));
      ref.appendChild(el("span", "verified", "pac-verified"));
    }
    li.appendChild(ref);
    li.appendChild(document.createTextNode(agent.summary));
    li.appendChild(el("span", "updated " + day(agent.updated) + " · first published " +
      day(agent.created) + " · " + agent.license + " · " + agent.tags.join(", ") +
      (agent.can.length ? " · can: " + agent.can.join(", ") : ""),
      "pac-card__meta pac-meta"));
    return li;
  }

  function start(box) {
    var form = box.querySelector("form");
    var list = box.querySelector("#pac-results");
    var count = box.querySelector("#pac-count");
    var more = box.querySelector("#pac-more");
    var root = box.getAttribute("data-root") || "";
    var agents = [], shown = PAGE, matches = [];

    function read() {
      var params = new URLSearchParams(location.search);
      ["tag", "plugin", "can", "license", "owner", "state", "sort"].forEach(function (name) {
        var value = params.get(name);
        if (value !== null && form.elements[name].querySelector('option[value="' + CSS.escape(value) + '"]')) {
          form.elements[name].value = value;
        }
      });
    }

    function write() {
      var params = new URLSearchParams();
      ["tag", "plugin", "can", "license", "owner", "state"].forEach(function (name) {
        if (form.elements[name].value) params.set(name, form.elements[name].value);
      });
      if (form.elements.sort.value !== "name") params.set("sort", form.elements.sort.value);
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function show() {
      list.textContent = "";
      var fragment = document.createDocumentFragment();
      matches.slice(0, shown).forEach(function (a) { fragment.appendChild(item(a, root)); });
      list.appendChild(fragment);
      count.textContent = matches.length + (matches.length === 1 ? " agent" : " agents") +
        (matches.length > shown ? " (showing " + shown + ")" : "");
      more.hidden = matches.length <= shown;
    }

    function update() {
      var f = form.elements;
      matches = agents.filter(function (a) {
        return (!f.tag.value || a.tags.indexOf(f.tag.value) >= 0) &&
          (!f.plugin.value || a.plugins.indexOf(f.plugin.value) >= 0) &&
          (!f.can.value || a.capabilities.indexOf(f.can.value) >= 0) &&
          (!f.license.value || a.license === f.license.value) &&
          (!f.owner.value || a.owner === f.owner.value) &&
          (!f.state.value || a.state === (f.state.value === "ok" ? "" : f.state.value));
      }).sort(SORTS[f.sort.value] || SORTS.name);
      shown = PAGE;
      show();
    }

    form.addEventListener("change", function () { write(); update(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    more.addEventListener("click", function () { shown += PAGE; show(); });

    fetch(new URL(box.getAttribute("data-src"), location.href))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        fill(form.elements.tag, data.tags);
        fill(form.elements.plugin, data.plugins);
        (data.capabilities || []).forEach(function (c) {
          var option = el("option", c[1]);
          option.value = c[0];
          form.elements.can.appendChild(option);
        });
        fill(form.elements.license, data.licenses);
        fill(form.elements.owner, data.owners);
        agents = rows(data);
        read();
        update();
      })
      .catch(function (error) {
        count.textContent = "Could not load the catalog (" + error.message + "). " +
          "Serve the site over HTTP, e.g. `catalog serve`.";
      });
  }

  function init() {
    var box = document.getElementById("pac-browse");
    if (box && !box.hasAttribute("data-started")) {
      box.setAttribute("data-started", "");
      start(box);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
