/*
 * The header's search box on every page: results as the reader types, in a panel under the
 * box. Loads nothing until the box is used (focused, or "/" pressed); then the search page's
 * own scripts (assets/search/stemmer.js, search.js), which answer from the same index. "/"
 * focuses the box, the arrow keys move through the results, Enter opens one (or, with none
 * chosen, the search page with every result), Escape closes the panel. Without script the
 * box is a plain form that opens the search page.
 */
(function () {
  "use strict";

  var form = document.querySelector(".ra-header-search");
  if (!form || document.getElementById("ra-search")) return;  // the search page has its own
  var box = form.querySelector("input[name=q]");
  var siteRoot = new URL(".", form.action).href;
  var LIMIT = 8;

  var panel = document.createElement("div");
  panel.className = "ra-quick";
  panel.id = "ra-quick";
  panel.hidden = true;
  var list = document.createElement("ul");
  list.id = "ra-quick-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Results");
  var foot = document.createElement("p");
  foot.className = "ra-quick__status";
  foot.setAttribute("role", "status");
  panel.appendChild(list);
  panel.appendChild(foot);
  form.appendChild(panel);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", "ra-quick-results");
  box.setAttribute("aria-expanded", "false");

  var loading = null;
  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.charset = "utf-8";
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error(src + " could not be loaded")); };
      document.head.appendChild(tag);
    });
  }
  function ready() {
    if (!loading) {
      window.__raSearchHeader = { root: siteRoot };
      loading = script(siteRoot + "assets/search/stemmer.js").then(function () {
        return script(siteRoot + "assets/search/search.js");
      });
    }
    return loading;
  }

  var run = 0, active = -1, timer = 0;

  function close() {
    panel.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function allResults() {
    return siteRoot + "search.html?q=" + encodeURIComponent(box.value);
  }

  function show(answer, mine) {
    if (mine !== run) return;
    var api = window.__raSearch;
    list.textContent = "";
    active = -1;
    answer.results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "ra-quick-" + i;
      var a = document.createElement("a");
      a.href = r.url;
      a.className = "ra-quick__item";
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "ra-quick__title";
      api.render(title, r.title);
      var meta = document.createElement("small");
      meta.textContent = r.meta;
      var snippet = document.createElement("span");
      snippet.className = "ra-quick__snippet";
      api.render(snippet, r.snippet);
      a.appendChild(title);
      a.appendChild(meta);
      a.appendChild(snippet);
      li.appendChild(a);
      list.appendChild(li);
    });
    foot.textContent = "";
    var n = answer.total;
    if (!n) {
      foot.textContent = "No results. ";
    }
    var more = document.createElement("a");
    more.href = allResults();
    more.className = "ra-quick__all";
    more.textContent = n ? "All " + n.toLocaleString("en") + (n === 1 ? " result" : " results") + " and filters" :
      "Search with filters";
    foot.appendChild(more);
    panel.hidden = false;
    box.setAttribute("aria-expanded", "true");
    form.setAttribute("data-state", "done");
  }

  function update() {
    var mine = ++run, q = box.value;
    if (!q.trim()) { close(); return; }
    form.setAttribute("data-state", "busy");
    ready().then(function () { return window.__raSearch.quick(q, LIMIT); })
      .then(function (answer) { show(answer, mine); })
      .catch(function (error) {
        if (mine !== run) return;
        list.textContent = "";
        foot.textContent = "Search failed: " + error.message;
        panel.hidden = false;
        form.setAttribute("data-state", "done");
      });
  }

  function move(step) {
    var items = list.children;
    if (!items.length) return;
    if (panel.hidden) {  // after Escape, the arrows bring the results back
      panel.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }
    if (active >= 0) items[active].removeAttribute("aria-selected");
    active = (active + 1 + step + items.length + 1) % (items.length + 1) - 1;  // -1: the box itself
    if (active < 0) {
      box.removeAttribute("aria-activedescendant");
      return;
    }
    items[active].setAttribute("aria-selected", "true");
    items[active].scrollIntoView({ block: "nearest" });
    box.setAttribute("aria-activedescendant", items[active].id);
  }

  box.addEventListener("focus", function () {
    ready();
    if (box.value.trim() && list.children.length) { panel.hidden = false; box.setAttribute("aria-expanded", "true"); }
  });
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 60);
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
    else if (event.key === "Escape") { close(); event.preventDefault(); }
    else if (event.key === "Enter") {
      event.preventDefault();
      var items = list.children;
      location.href = active >= 0 && items[active] ? items[active].querySelector("a").href : allResults();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    box.focus();
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
