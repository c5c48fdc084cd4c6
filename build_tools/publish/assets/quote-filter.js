/*
 * A person's quotes page: the box above the list keeps the quotations whose words, article
 * title or source hold every word typed (accents and case aside). Idle on other pages.
 */
(function () {
  "use strict";

  var box = document.getElementById("ra-quote-filter");
  if (!box) return;
  var items = Array.from(document.querySelectorAll(".ra-quotes li"));
  var MARKS = /\p{M}/gu;
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(MARKS, "");
  }
  var texts = items.map(function (li) { return fold(li.textContent); });
  var status = document.createElement("p");
  status.className = "ra-quote-filter__status";
  status.setAttribute("role", "status");
  box.parentNode.appendChild(status);
  box.addEventListener("input", function () {
    var wanted = fold(box.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var keep = wanted.every(function (w) { return texts[i].indexOf(w) >= 0; });
      li.hidden = !keep;
      if (keep) shown++;
    });
    status.textContent = wanted.length ? shown.toLocaleString("en") + " of " + items.length.toLocaleString("en") + " shown" : "";
  });
})();
