/* Public Agents Catalog: a wide table or code block that scrolls sideways can be reached and
 * scrolled with the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable). Material wraps
 * tables in a scrolling box and leaves plain code blocks as they are; on a phone most tables of
 * the hand-written pages scroll. Only a box that does scroll gets a tab stop, checked again when
 * the window changes width. The generated pages do the same for code in lean.js.
 */
(function () {
  "use strict";
  var BOXES = ".md-typeset__scrollwrap, .md-typeset pre > code";

  function mark() {
    var boxes = document.querySelectorAll(BOXES);
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-pac-scrolls", "");
        }
      } else if (box.hasAttribute("data-pac-scrolls")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-pac-scrolls");
      }
    }
  }

  var timer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mark); // after Material has wrapped the page's tables
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
