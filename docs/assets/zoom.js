/* Click-to-zoom for diagrams (hooks/diagramkit/embed.py, hooks/zoom.py).

   Each figure links its light and dark SVG; the link carries data-legible-width, the CSS width
   at which the picture's smallest label reads at 12 px. A click opens the picture the reader
   sees (the palette's variant) in a full-screen <dialog>: as wide as the screen allows and never
   narrower than its legible width, in a scroll container, so a phone pans it with a finger and
   pinch-zooms it like any page. Esc, the close button or a click beside the picture closes it.
   One delegated listener: works on every page Material's instant navigation swaps in. Without
   JavaScript the link opens the SVG itself. */
(function () {
  var dialog = null;
  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "cl-zoom";
    dialog.setAttribute("aria-label", "Diagram");
    dialog.innerHTML =
      '<button type="button" class="cl-zoom__close" aria-label="Close">&times;</button>' +
      '<div class="cl-zoom__scroll"><img class="cl-zoom__img" alt=""></div>';
    dialog.querySelector(".cl-zoom__close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.querySelector(".cl-zoom__scroll").addEventListener("click", function (event) {
      if (event.target === event.currentTarget) dialog.close(); /* beside the picture */
    });
    dialog.addEventListener("close", function () {
      dialog.querySelector(".cl-zoom__img").removeAttribute("src");
    });
    document.body.appendChild(dialog);
  }
  function open(link) {
    if (!dialog || !dialog.isConnected) build();
    var thumb = link.querySelector("img");
    var img = dialog.querySelector(".cl-zoom__img");
    var natural = parseFloat(thumb.getAttribute("width")) || thumb.naturalWidth || 0;
    var height = parseFloat(thumb.getAttribute("height")) || 0;
    var legible = parseFloat(link.getAttribute("data-legible-width")) || 0;
    var fit = Math.min(natural, document.documentElement.clientWidth - 32);
    var width = Math.max(fit, legible);
    img.alt = thumb.alt;
    img.style.width = width + "px";
    img.style.height = natural ? (width * height) / natural + "px" : "auto";
    img.src = link.getAttribute("href");
    dialog.showModal();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cl-zoom-link");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    open(link);
  });
})();
