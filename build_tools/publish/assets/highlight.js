/*
 * An article opened from a search result: its address carries the query's words (h, as the
 * search page's stems). Mark them in the article's text, open the page at the
 * paragraph that holds most of them, and offer to remove the marks. Does nothing on a page
 * opened any other way; asks no other host for anything; works from file:// too.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(location.search);
  var stems = (params.get("h") || "").split(/\s+/).filter(Boolean).slice(0, 32);
  if (!stems.length) return;
  var article = document.querySelector(".md-content__inner");
  if (!article) return;

  var WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u2018\u02bc\u2032][\p{L}\p{N}\p{M}]+)*/gu;
  var MARKS = /\p{M}/gu;

  // As the search page folds words (search.js fold): lower case, accents off.
  function fold(text) {
    return text.toLowerCase().replace(/[\u2019\u2018\u02bc\u2032]/g, "'").normalize("NFKD").replace(MARKS, "");
  }

  // A word is one of the query's when it starts with one of its stems and adds few letters
  // ('talk' marks talks, talking; 'negoti' marks negotiations).
  function matches(word) {
    var folded = fold(word);
    for (var i = 0; i < stems.length; i++) {
      var s = stems[i];
      if (folded.startsWith(s) && folded.length - s.length <= 5) return s;
    }
    return null;
  }

  var blocks = Array.from(article.querySelectorAll("p, li, blockquote, h2, h3, h4, td, figcaption"))
    .filter(function (el) { return !el.closest(".ra-meta, .ra-chips, nav, .md-source-file, .ra-highlight"); });
  var best = null, bestScore = 0, marked = 0;
  blocks.forEach(function (block) {
    var found = new Set();
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (node.parentNode.closest("mark, script, style, a.headerlink")) return;
      var text = node.nodeValue, pieces = [], last = 0, m;
      WORD.lastIndex = 0;
      while ((m = WORD.exec(text))) {
        var stem = matches(m[0]);
        if (!stem) continue;
        found.add(stem);
        pieces.push([m.index, m.index + m[0].length]);
      }
      if (!pieces.length) return;
      var fragment = document.createDocumentFragment();
      pieces.forEach(function (p) {
        if (p[0] > last) fragment.appendChild(document.createTextNode(text.slice(last, p[0])));
        var mark = document.createElement("mark");
        mark.className = "ra-found";
        mark.textContent = text.slice(p[0], p[1]);
        fragment.appendChild(mark);
        last = p[1];
        marked++;
      });
      if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
    if (found.size > bestScore && !/^H[2-4]$/.test(block.tagName)) {
      best = block;
      bestScore = found.size;
    }
  });
  if (!marked) return;

  var bar = document.createElement("p");
  bar.className = "ra-highlight";
  bar.setAttribute("role", "status");
  bar.appendChild(document.createTextNode(marked.toLocaleString("en") + " words of your search are marked. "));
  var remove = document.createElement("button");
  remove.type = "button";
  remove.className = "md-button ra-highlight__remove";
  remove.textContent = "Remove highlighting";
  remove.addEventListener("click", function () {
    article.querySelectorAll("mark.ra-found").forEach(function (mark) {
      mark.replaceWith(document.createTextNode(mark.textContent));
    });
    article.normalize();
    bar.remove();
    params.delete("h");
    var query = params.toString();
    try {
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    } catch (e) { /* an address the browser refuses */ }
  });
  bar.appendChild(remove);
  var heading = article.querySelector("h1");
  if (heading) heading.insertAdjacentElement("afterend", bar);
  else article.insertBefore(bar, article.firstChild);

  if (best && !location.hash) {
    best.classList.add("ra-found-passage");
    best.scrollIntoView({ block: "center" });
  }
})();
