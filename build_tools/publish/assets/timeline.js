/*
 * Timelines (render/timeline.py draws them at build time): buttons to zoom between years,
 * months, weeks and days, and a menu to keep one source's articles. The bars are redrawn from
 * the counts the chart carries (data-series: per source of its menu, day offsets from
 * data-first), each a link to the search for its period (with the entity and the source
 * chosen). Idle elsewhere.
 */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 720, BARS = 120;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var DAY = 86400000;

  function parse(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function longDate(t) {
    var d = new Date(t);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function nextMonth(t) {
    var d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  function monthStart(t) {
    var d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  // The periods of a unit from the one holding `first` to the one holding `last` (as the
  // build's timeline.periods), each [start, end (inclusive), label].
  function periods(first, last, unit) {
    var out = [], t, d;
    if (unit === "day") {
      for (t = first; t <= last; t += DAY) out.push([t, t, longDate(t)]);
    } else if (unit === "week") {
      d = new Date(first);
      for (t = first - ((d.getUTCDay() + 6) % 7) * DAY; t <= last; t += 7 * DAY) {
        out.push([t, t + 6 * DAY, "week of " + longDate(t)]);
      }
    } else if (unit === "month") {
      for (t = monthStart(first); t <= last; t = nextMonth(t)) {
        d = new Date(t);
        out.push([t, nextMonth(t) - DAY, MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear()]);
      }
    } else {
      for (var y = new Date(first).getUTCFullYear(); y <= new Date(last).getUTCFullYear(); y++) {
        out.push([Date.UTC(y, 0, 1), Date.UTC(y, 11, 31), String(y)]);
      }
    }
    return out;
  }

  // The search's from/to for a period, as short as the build writes them (markup.period_params).
  function periodParams(start, end) {
    var a = new Date(start), b = new Date(end + DAY);
    if (a.getUTCMonth() === 0 && a.getUTCDate() === 1 && b.getUTCMonth() === 0 && b.getUTCDate() === 1 &&
        b.getUTCFullYear() === a.getUTCFullYear() + 1) {
      return [["from", String(a.getUTCFullYear())], ["to", String(a.getUTCFullYear())]];
    }
    if (a.getUTCDate() === 1 && b.getUTCDate() === 1 && new Date(end).getUTCMonth() === a.getUTCMonth()) {
      var m = iso(start).slice(0, 7);
      return [["from", m], ["to", m]];
    }
    return [["from", iso(start)], ["to", iso(end)]];
  }

  function svg(name, attrs) {
    var el = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }
  function num(v) { return String(Math.round(v * 10) / 10); }

  function setUp(box) {
    var chart = box.querySelector(".ra-timeline__chart");
    var barsGroup = box.querySelector(".ra-timeline__bars");
    var firstBar = box.querySelector("a.ra-bar");
    if (!chart || !barsGroup || !firstBar) return;
    var searchPage = firstBar.getAttribute("href").split("?")[0];
    var first = parse(box.dataset.first), last = parse(box.dataset.last);
    var top = +box.dataset.top || 0;
    var entity = box.dataset.entity || "";
    // The menu of sources holds their names (option 0 is "All sources"); the series name them
    // by their position in it.
    var select = box.querySelector("select.ra-timeline__source");
    var names = select ? Array.from(select.options).slice(1).map(function (o) { return o.value; }) : [];
    var series = JSON.parse(box.dataset.series || "[]").map(function (pair) {
      var counts = {};
      pair[1].split(",").forEach(function (cell) {
        if (!cell) return;
        var p = cell.split(":");
        counts[first + +p[0] * DAY] = p.length > 1 ? +p[1] : 1;
      });
      return { source: names[pair[0]] || "", counts: counts };
    });
    var legend = box.querySelector(".ra-timeline__legend");
    var state = { unit: box.dataset.unit, source: "" };
    var span = (last - first) / DAY + 1;
    var units = [["year", "Years"], ["month", "Months"], ["week", "Weeks"], ["day", "Days"]].filter(function (u) {
      // Offer a unit when it gives between 2 and about 400 bars, and the build's own unit.
      var bars = periods(first, last, u[0]).length;
      return u[0] === state.unit || (bars >= 2 && bars <= 400 && !(u[0] === "year" && span < 366));
    });

    var controls = document.createElement("div");
    controls.className = "ra-timeline__controls";
    var group = document.createElement("span");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Bars per");
    group.appendChild(document.createTextNode("Bars per: "));
    var buttons = units.map(function (u) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = u[1];
      b.dataset.unit = u[0];
      b.setAttribute("aria-pressed", String(u[0] === state.unit));
      b.addEventListener("click", function () { state.unit = u[0]; draw(); });
      group.appendChild(b);
      group.appendChild(document.createTextNode(" "));
      return b;
    });
    if (buttons.length > 1) controls.appendChild(group);
    if (select && series.length > 1) {
      var label = select.closest("label");
      select.addEventListener("change", function () { state.source = select.value; draw(); });
      label.hidden = false;
      controls.appendChild(label);
    }
    if (!controls.childNodes.length) return;
    box.insertBefore(controls, chart);

    // The axis is the build's, the same for every unit: whole months around the articles.
    var range = [monthStart(first), nextMonth(last)];
    var axisDays = (range[1] - range[0]) / DAY;
    function x(t) { return Math.min(WIDTH, Math.max(0, WIDTH * (t - range[0]) / DAY / axisDays)); }

    function draw() {
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.unit === state.unit)); });
      var shown = series.filter(function (s) { return !state.source || s.source === state.source; });
      var bars = periods(first, last, state.unit).map(function (p) {
        var n = 0;
        for (var t = p[0]; t <= p[1]; t += DAY) {
          shown.forEach(function (s) { n += s.counts[t] || 0; });
        }
        return [p, n];
      });
      var peak = Math.max.apply(null, bars.map(function (b) { return b[1]; }).concat([1]));
      while (barsGroup.firstChild) barsGroup.removeChild(barsGroup.firstChild);
      bars.forEach(function (b) {
        var p = b[0], n = b[1];
        if (!n) return;
        var x1 = x(Math.max(p[0], range[0])), x2 = x(Math.min(p[1] + DAY, range[1]));
        var gap = Math.min(1, (x2 - x1) / 4);
        var h = Math.max(2, BARS * n / peak);
        var title = p[2] + ": " + plural(n, "article") + (state.source ? " from " + state.source : "");
        var params = new URLSearchParams();
        if (entity) params.append("entity", entity);
        if (state.source) params.append("source", state.source);
        periodParams(p[0], p[1]).forEach(function (kv) { params.append(kv[0], kv[1]); });
        var a = svg("a", { "class": "ra-bar", href: searchPage + "?" + params.toString(), "aria-label": title });
        var rect = svg("rect", { x: num(x1 + gap / 2), y: num(top + BARS - h), width: num(Math.max(0.5, x2 - x1 - gap)), height: num(h) });
        var t = svg("title", {});
        t.textContent = title;
        rect.appendChild(t);
        a.appendChild(rect);
        barsGroup.appendChild(a);
      });
      box.dataset.unit = state.unit;
      if (legend) legend.textContent = "articles per " + state.unit + (state.source ? " from " + state.source : "") + ", highest " + peak.toLocaleString("en");
    }
  }

  document.querySelectorAll(".ra-timeline").forEach(setUp);
})();
