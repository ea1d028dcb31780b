/* Public Agents Catalog: what Material's bundle does on themed pages, for the lean standalone
 * pages (agent, version and owner pages, tombstones) that mkdocs only copies.
 *
 * Loaded in <head>, so the colour scheme is set before the page paints: the reader's choice as
 * Material stores it (localStorage "<site path>.__palette", shared with every themed page), else
 * the system's preference. Then what every page would repeat, kept here once: the scheme
 * toggle, the repository link (body[data-repo]), the navigation (a sidebar, a drawer on
 * phones) and the footer; and the copy buttons ([data-clipboard-target], as on themed pages),
 * which it also adds to the fork block. PALETTES mirror mkdocs.yml's theme.palette and
 * NAV its top-level nav (browser tests compare a lean page with a themed one).
 */
(function () {
  "use strict";
  var PALETTES = [
    { media: "(prefers-color-scheme: light)", scheme: "default", primary: "indigo",
      accent: "indigo", label: "Dark mode", icon: "pac-icon--dark" },
    { media: "(prefers-color-scheme: dark)", scheme: "slate", primary: "indigo",
      accent: "indigo", label: "Light mode", icon: "pac-icon--light" }
  ];
  var NAV = [
    ["Home", ""], ["Browse", "browse/"], ["Tags", "tags/"], ["Owners", "owners/"],
    ["Submit an agent", "submit/"], ["JSON API", "api/"], ["Moderation policy", "policy/"],
    ["Security", "security/"],
    ["Performance", "performance/"]
  ];
  var script = document.currentScript;
  var ROOT = new URL("../..", script ? script.src : location.href); // <site>/
  var KEY = ROOT.pathname + ".__palette";

  function stored() {
    try {
      var value = JSON.parse(localStorage.getItem(KEY));
      return value && typeof value.index === "number" ? value.index : null;
    } catch (e) {
      return null;
    }
  }

  function chosen() {
    var index = stored();
    if (index !== null && PALETTES[index]) return index;
    for (var i = 0; i < PALETTES.length; i++) {
      if (matchMedia(PALETTES[i].media).matches) return i;
    }
    return 0;
  }

  var current = chosen();

  function apply(index) {
    var p = PALETTES[index], root = document.documentElement;
    current = index;
    root.setAttribute("data-md-color-scheme", p.scheme);
    root.setAttribute("data-md-color-primary", p.primary);
    root.setAttribute("data-md-color-accent", p.accent);
    var button = document.querySelector(".pac-scheme");
    if (button) {
      button.hidden = false;
      button.setAttribute("aria-label", p.label);
      button.title = p.label;
      button.firstElementChild.className = "pac-icon " + p.icon;
    }
  }

  function toggle() {
    var next = (current + 1) % PALETTES.length, p = PALETTES[next];
    try {
      localStorage.setItem(KEY, JSON.stringify({
        index: next,
        color: { media: p.media, scheme: p.scheme, primary: p.primary, accent: p.accent }
      }));
    } catch (e) { /* private mode: the choice lasts for this page */ }
    apply(next);
  }

  function announce(text) {
    var dialog = document.querySelector(".md-dialog");
    if (!dialog) {
      dialog = document.createElement("div");
      dialog.className = "md-dialog";
      dialog.setAttribute("role", "status");
      dialog.appendChild(document.createElement("div")).className = "md-dialog__inner md-typeset";
      document.body.appendChild(dialog);
    }
    dialog.firstChild.textContent = text;
    dialog.classList.add("md-dialog--active");
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { dialog.classList.remove("md-dialog--active"); }, 2000);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function shell() {
    var name = (document.querySelector(".md-header__topic") || {}).textContent || "";
    var here = location.href.split("#")[0];
    document.body.insertBefore(el("label", { "class": "md-overlay", "for": "__drawer" }),
      document.body.firstChild);
    document.body.insertBefore(el("input", {
      "class": "md-toggle", "data-md-toggle": "drawer", type: "checkbox", id: "__drawer",
      autocomplete: "off"
    }), document.body.firstChild);
    var bar = document.querySelector(".md-header__inner");
    if (bar) {
      var scheme = el("button", { "class": "md-header__button md-icon pac-scheme", type: "button" },
        [el("span", { "class": "pac-icon" })]);
      bar.insertBefore(scheme, bar.querySelector(".pac-search"));
      var repo = document.body.getAttribute("data-repo") || "";
      if (repo) {
        bar.appendChild(el("div", { "class": "md-header__source" }, [
          el("a", { href: repo, "class": "md-source" }, [
            el("div", { "class": "md-source__icon md-icon" }, [
              el("span", { "class": "pac-icon pac-icon--git" })
            ]),
            el("div", { "class": "md-source__repository" }, [repo.replace(/\/+$/, "").split("/").pop()])
          ])
        ]));
      }
    }
    var logo = document.querySelector(".md-header .md-logo");
    if (logo) {
      logo.after(el("label", { "class": "md-header__button md-icon", "for": "__drawer" }, [
        el("span", { "class": "pac-icon pac-icon--menu" }),
        el("span", { "class": "pac-sr" }, ["Navigation"])
      ]));
    }
    var items = NAV.map(function (entry) {
      var href = new URL(entry[1], ROOT).href;
      var attrs = { "class": "md-nav__link", href: href };
      if (href === here) attrs["aria-current"] = "page";
      return el("li", { "class": "md-nav__item" }, [el("a", attrs, [entry[0]])]);
    });
    var nav = el("nav", { "class": "md-nav md-nav--primary", "aria-label": "Navigation" }, [
      el("label", { "class": "md-nav__title", "for": "__drawer" }, [name.trim()]),
      el("ul", { "class": "md-nav__list" }, items)
    ]);
    var sidebar = el("div", { "class": "md-sidebar md-sidebar--primary" }, [
      el("div", { "class": "md-sidebar__scrollwrap" }, [el("div", { "class": "md-sidebar__inner" }, [nav])])
    ]);
    var content = document.querySelector(".md-main__inner .md-content");
    if (content) content.before(sidebar);
    var container = document.querySelector(".md-container");
    if (container) {
      container.appendChild(el("footer", { "class": "md-footer" }, [
        el("div", { "class": "md-footer-meta md-typeset" }, [
          el("div", { "class": "md-footer-meta__inner md-grid" }, [
            el("div", { "class": "md-copyright" }, ["Made with ", el("a", {
              href: "https://squidfunk.github.io/mkdocs-material/", rel: "noopener"
            }, ["Material for MkDocs"])])
          ])
        ])
      ]));
    }
  }

  // The fork block's copy buttons: they need a script to work, so the script adds them
  // (no dead button without one, and ~0.2 KB less in each of the pages that show the block).
  var COPY = [["pac-fork-short", "Copy"], ["pac-fork-git", "Copy git commands"]];

  function copyButtons() {
    COPY.forEach(function (entry) {
      var code = document.getElementById(entry[0]);
      if (!code || document.querySelector("[data-clipboard-target='#" + entry[0] + "']")) return;
      (code.closest("pre") || code).after(el("button", {
        type: "button", "class": "md-button md-button--primary pac-copy",
        "data-clipboard-target": "#" + entry[0]
      }, [entry[1]]));
    });
  }

  apply(current);
  document.addEventListener("DOMContentLoaded", function () {
    shell();
    apply(current);
    // as Material does: code blocks scroll sideways, so keyboards must reach them
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
    var button = document.querySelector(".pac-scheme");
    if (button) button.addEventListener("click", toggle);
    copyButtons();
  });
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-clipboard-target]");
    var source = trigger && document.querySelector(trigger.getAttribute("data-clipboard-target"));
    if (!source) return;
    copy(source.textContent).then(function () {
      announce("Copied to clipboard");
    }, function () {
      announce("Select the text and copy it");
    });
  });
})();
