// A table wider than a phone scrolls sideways inside .table-responsive; its right edge fades
// while more of it lies off-screen, so that the reader knows to swipe.
(function () {
  "use strict";
  function mark(box) {
    box.classList.toggle("fk-more", box.scrollWidth - box.clientWidth - box.scrollLeft > 4);
  }
  function markAll() {
    document.querySelectorAll(".table-responsive").forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", markAll);
  window.addEventListener("resize", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (box.classList && box.classList.contains("table-responsive")) mark(box);
  }, true);
})();
