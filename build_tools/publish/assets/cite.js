/*
 * "Cite this article": shows the copy button (hidden without scripts) and copies the
 * reference's text when pressed, through the clipboard API or, where a page read from a
 * folder on disk has none, by selecting the text and copying the selection. Asks no other
 * host for anything.
 */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("button[data-ra-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute("data-ra-copy"));
    if (!target) return;
    var label = button.textContent;
    button.hidden = false;

    function done(word) {
      button.textContent = word;
      setTimeout(function () { button.textContent = label; }, 2000);
    }

    function bySelection() {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      done(copied ? "Copied" : "Selected: press Ctrl+C");
    }

    button.addEventListener("click", function () {
      var text = target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done("Copied"); }, bySelection);
      } else {
        bySelection();
      }
    });
  });
})();
