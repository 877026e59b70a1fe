// Flame graph behaviour, embedded in every SVG hooks/flame/draw.py writes: a tooltip on hover
// (path, lines, share of the total), click to zoom into a frame (the root or "Reset zoom" goes
// back), Search highlights frames whose name matches and reports the matched share. When the SVG
// is embedded in a Material page (same origin), its colours follow the page's palette toggle.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var doc = document;
  var root = doc.documentElement;
  var total = Number(root.getAttribute("data-total"));
  var frames = [];
  var nodes = doc.querySelectorAll("#frames > svg");
  var i;
  for (i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    var title = el.querySelector("title");
    var tip = title ? title.textContent : "";
    if (title) {
      el.removeChild(title); // the tooltip below replaces the browser's slow native one
    }
    el.setAttribute("aria-label", tip.replace("\n", ": "));
    var first = tip.split("\n")[0];
    var depth = Number(el.getAttribute("data-d"));
    var frame = {
      el: el,
      o: Number(el.getAttribute("data-o")),
      n: Number(el.getAttribute("data-n")),
      d: depth,
      tip: tip,
      name: depth === 0 ? first : first.replace(/\/$/, "").split("/").pop(),
      label: el.querySelector("text"),
      x: 0,
      w: 0
    };
    frame.x = frame.o / total;
    frame.w = frame.n / total;
    el.__flame = frame;
    frames.push(frame);
  }

  function width() {
    return root.getBoundingClientRect().width || 1200;
  }

  var charWidth = 7.3;
  (function measure() {
    var probe = doc.createElementNS(NS, "text");
    probe.textContent = "MMMMMMMMMM";
    root.appendChild(probe);
    var len = probe.getComputedTextLength();
    root.removeChild(probe);
    if (len > 0) {
      charWidth = len / 10;
    }
  })();

  function pct(v) {
    return Math.round(v * 1e6) / 1e4 + "%";
  }

  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function share(part) {
    if (part >= total) {
      return "100%";
    }
    var s = (100 * part) / total;
    return s < 0.01 ? "<0.01%" : s.toFixed(2) + "%";
  }

  // Labels: the name, shortened with ".." to the frame's width in pixels, or nothing.
  function fit() {
    var w = width();
    for (var k = 0; k < frames.length; k++) {
      var f = frames[k];
      if (f.el.classList.contains("hide")) {
        continue;
      }
      var chars = Math.floor((f.w * w - 6) / charWidth);
      var text = chars < 3 ? "" : f.name.length <= chars ? f.name : f.name.slice(0, chars - 2) + "..";
      if (f.label.textContent !== text) {
        f.label.textContent = text;
      }
    }
  }

  // Zoom: the chosen frame fills the width, its ancestors span it (faded), the rest hides.
  var resetButton = doc.getElementById("reset");
  function place(f, x, w) {
    f.x = x;
    f.w = w;
    f.el.setAttribute("x", pct(x));
    f.el.setAttribute("width", pct(w));
  }
  function zoom(z) {
    for (var k = 0; k < frames.length; k++) {
      var f = frames[k];
      f.el.classList.remove("hide", "ancestor");
      if (!z) {
        place(f, f.o / total, f.n / total);
      } else if (f.d < z.d && f.o <= z.o && f.o + f.n >= z.o + z.n) {
        place(f, 0, 1);
        f.el.classList.add("ancestor");
      } else if (f.d >= z.d && f.o >= z.o && f.o + f.n <= z.o + z.n) {
        place(f, (f.o - z.o) / z.n, f.n / z.n);
      } else {
        f.el.classList.add("hide");
      }
    }
    resetButton.classList.toggle("off", !z);
    fit();
  }

  // Search: frames whose name matches a case-insensitive regular expression (or literal text).
  var searchButton = doc.getElementById("search");
  var matched = doc.getElementById("matched");
  var searching = false;
  function search(term) {
    var re;
    try {
      re = new RegExp(term, "i");
    } catch (err) {
      re = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
    }
    var hits = [];
    for (var k = 0; k < frames.length; k++) {
      var f = frames[k];
      var hit = f.d > 0 && re.test(f.name);
      f.el.classList.toggle("match", hit);
      if (hit) {
        hits.push(f);
      }
    }
    // Matched share: the union of the matched ranges (a match inside a match counts once).
    hits.sort(function (a, b) {
      return a.o - b.o || b.n - a.n;
    });
    var covered = 0;
    var end = -1;
    for (k = 0; k < hits.length; k++) {
      if (hits[k].o >= end) {
        covered += hits[k].n;
        end = hits[k].o + hits[k].n;
      }
    }
    matched.textContent =
      "Matched: " + share(covered) + " (" + grouped(covered) + " lines, " + hits.length +
      (hits.length === 1 ? " frame)" : " frames)");
    searchButton.textContent = "Clear search";
    searching = true;
  }
  function clearSearch() {
    for (var k = 0; k < frames.length; k++) {
      frames[k].el.classList.remove("match");
    }
    matched.textContent = "";
    searchButton.textContent = "Search";
    searching = false;
  }

  // Tooltip: path, lines and share, kept inside the picture.
  var tipGroup = doc.getElementById("tip");
  var tipRect = tipGroup.querySelector("rect");
  var tipText = tipGroup.querySelector("text");
  var tipFrame = null;
  function showTip(f, evt) {
    if (tipFrame !== f) {
      while (tipText.firstChild) {
        tipText.removeChild(tipText.firstChild);
      }
      var lines = f.tip.split("\n");
      for (var k = 0; k < lines.length; k++) {
        var span = doc.createElementNS(NS, "tspan");
        span.setAttribute("x", "8");
        span.setAttribute("dy", k ? "15" : "0");
        span.textContent = lines[k];
        tipText.appendChild(span);
      }
      tipText.setAttribute("y", "17");
      var box = tipText.getBBox();
      tipRect.setAttribute("width", String(Math.ceil(box.width) + 16));
      tipRect.setAttribute("height", String(lines.length * 15 + 10));
      tipFrame = f;
    }
    var bounds = root.getBoundingClientRect();
    var bw = Number(tipRect.getAttribute("width"));
    var bh = Number(tipRect.getAttribute("height"));
    var x = evt.clientX + 14;
    var y = evt.clientY + 18;
    if (x + bw > bounds.width) {
      x = evt.clientX - 14 - bw;
    }
    if (y + bh > bounds.height) {
      y = evt.clientY - 12 - bh;
    }
    x = Math.max(0, Math.min(x, bounds.width - bw));
    y = Math.max(0, Math.min(y, bounds.height - bh));
    tipGroup.setAttribute("transform", "translate(" + Math.round(x) + "," + Math.round(y) + ")");
    tipGroup.setAttribute("visibility", "visible");
  }
  function hideTip() {
    tipGroup.setAttribute("visibility", "hidden");
  }

  function frameOf(target) {
    while (target && target !== root) {
      if (target.__flame) {
        return target.__flame;
      }
      target = target.parentNode;
    }
    return null;
  }

  root.addEventListener("mousemove", function (evt) {
    var f = frameOf(evt.target);
    if (f) {
      showTip(f, evt);
    } else {
      hideTip();
    }
  });
  root.addEventListener("mouseleave", hideTip);
  root.addEventListener("click", function (evt) {
    if (evt.target === resetButton) {
      zoom(null);
    } else if (evt.target === searchButton) {
      if (searching) {
        clearSearch();
      } else {
        var term = window.prompt("Search frames (regular expression, case-insensitive):", "");
        if (term) {
          search(term);
        }
      }
    } else {
      var f = frameOf(evt.target);
      if (f) {
        zoom(f.d === 0 ? null : f);
        showTip(f, evt); // touch screens have no hover: a tap shows the details too
      }
    }
  });
  doc.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") {
      zoom(null);
      clearSearch();
    } else if ((evt.key === "Enter" || evt.key === " ") &&
               (evt.target === resetButton || evt.target === searchButton)) {
      evt.preventDefault();
      evt.target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }
  });
  var pending = false;
  window.addEventListener("resize", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fit();
      });
    }
  });

  // Colours: follow the embedding Material page's palette (light "default", dark "slate").
  (function followPage() {
    var host = null;
    try {
      host = window.frameElement;
    } catch (err) {
      host = null; // another origin: keep prefers-color-scheme
    }
    var body = host && host.ownerDocument && host.ownerDocument.body;
    if (!body) {
      return;
    }
    function apply() {
      var scheme = body.getAttribute("data-md-color-scheme");
      if (scheme) {
        root.setAttribute("data-scheme", scheme === "slate" ? "dark" : "light");
      } else {
        root.removeAttribute("data-scheme");
      }
    }
    apply();
    var Observer = host.ownerDocument.defaultView.MutationObserver;
    new Observer(apply).observe(body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"]
    });
  })();

  fit();
})();
