/* Click-to-zoom for diagrams (GLightbox). Material's instant navigation swaps pages without
   reloading scripts, so the lightbox is rebuilt for every page it shows (document$). */
(function () {
  var options = {
    selector: ".glightbox",
    touchNavigation: true,
    loop: false,
    zoomable: true,
    draggable: true,
    openEffect: "zoom",
    closeEffect: "zoom",
    slideEffect: "slide",
  };
  var lightbox = null;
  function start() {
    if (lightbox) lightbox.destroy();
    lightbox = GLightbox(options);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
