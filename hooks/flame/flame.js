// Flame graph behaviour, embedded in every SVG hooks/flame/draw.py writes: a tooltip on hover,
// tap or keyboard focus (path, lines, share of the total); click, tap or Enter zooms into a frame
// (the root, Escape or the page's "Reset zoom" goes back); the arrow keys move between frames
// (one frame at a time is a Tab stop: roving focus). When the SVG is embedded in a page (same
// origin), the page's figure holds the search box and the reset button this script drives (the
// page itself runs no script for it), and the colours follow the page's palette toggle.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var doc = document;
  var root = doc.documentElement;
  var total = Number(root.getAttribute("data-total"));
  var rowHeight = Number(root.getAttribute("data-row"));
  var inverted = root.classList.contains("inverted");
  var frames = [];
  var controls = {}; // the page's search box, reset button and result line, when embedded
  var nodes = doc.querySelectorAll("#frames > svg");
  // Each frame holds only what cannot be worked out (draw.py): its row, its title ("pkg/" over
  // "716 lines, 87.32% of 820") and, where undrawn siblings come before it, data-g. The frames
  // come in pre-order, so a frame starts where the previous frame one level up started (its
  // parent) or where its previous sibling ended, plus data-g; its path is its parent's plus
  // its own name.
  var rootY = nodes.length ? Number(nodes[0].getAttribute("y")) : 0;
  var nextStart = []; // by depth: where the next frame at that depth starts
  var paths = [""]; // by depth: the path of the last frame at that depth ("" for the root)
  var i;
  for (i = 0; i < nodes.length; i++) {
    var el = nodes[i];
    var title = el.querySelector("title");
    var text = title ? title.textContent : "\n0";
    if (title) {
      el.removeChild(title); // the tooltip below replaces the browser's slow native one
    }
    var cut = text.indexOf("\n");
    var own = text.slice(0, cut);
    var detail = text.slice(cut + 1);
    var y = Number(el.getAttribute("y"));
    var depth = Math.round((inverted ? y - rootY : rootY - y) / rowHeight);
    var n = Number(detail.split(" ")[0].replace(/,/g, ""));
    var o = depth === 0 ? 0 : (nextStart[depth] || 0) + Number(el.getAttribute("data-g") || 0);
    nextStart[depth] = o + n;
    nextStart[depth + 1] = o;
    var path = depth === 0 ? own : paths[depth - 1] + own;
    paths[depth] = depth === 0 ? "" : path;
    var tip = path + "\n" + detail;
    el.setAttribute("aria-label", tip.replace("\n", ": "));
    el.setAttribute("role", "button");
    el.setAttribute("tabindex", i === 0 ? "0" : "-1");
    var frame = {
      el: el,
      o: o,
      n: n,
      d: depth,
      tip: tip,
      name: depth === 0 ? own : own.replace(/\/$/, ""),
      label: el.querySelector("text"),
      x: o / total,
      w: n / total
    };
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
  function place(f, x, w) {
    f.x = x;
    f.w = w;
    f.el.setAttribute("x", pct(x));
    f.el.setAttribute("width", pct(w));
  }
  var zoomed = null;
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
    zoomed = z;
    if (controls.reset) {
      controls.reset.disabled = !z;
    }
    fit();
  }

  // Search: frames whose name matches a case-insensitive regular expression (or literal text).
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
    report(
      "Matched: " + share(covered) + " (" + grouped(covered) + " lines, " + hits.length +
      (hits.length === 1 ? " frame)" : " frames)")
    );
  }
  function clearSearch() {
    for (var k = 0; k < frames.length; k++) {
      frames[k].el.classList.remove("match");
    }
    report("");
  }
  function report(text) {
    if (controls.matched) {
      controls.matched.textContent = text;
    }
  }

  // Tooltip: path, lines and share, kept inside the picture.
  var tipGroup = doc.getElementById("tip");
  var tipRect = tipGroup.querySelector("rect");
  var tipText = tipGroup.querySelector("text");
  var tipFrame = null;
  function showTip(f, point) {
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
    var x = point.clientX + 14;
    var y = point.clientY + 18;
    if (x + bw > bounds.width) {
      x = point.clientX - 14 - bw;
    }
    if (y + bh > bounds.height) {
      y = point.clientY - 12 - bh;
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
    var f = frameOf(evt.target);
    if (f) {
      moveFocus(f, false);
      zoom(f.d === 0 ? null : f);
      showTip(f, evt); // touch screens have no hover: a tap shows the details too
    }
  });

  // Keyboard: one frame is the Tab stop; arrows move it (Up and Down between a frame and its
  // parent or first child, as drawn; Left and Right along the row), Enter or Space zooms,
  // Home goes to the root, Escape zooms out.
  var current = frames.length ? frames[0] : null;
  function moveFocus(f, focus) {
    if (current && current !== f) {
      current.el.setAttribute("tabindex", "-1");
    }
    current = f;
    f.el.setAttribute("tabindex", "0");
    if (focus) {
      f.el.focus();
    }
  }
  function visible(f) {
    return !f.el.classList.contains("hide");
  }
  function step(f, key) {
    var k = frames.indexOf(f);
    var up = inverted ? "ArrowDown" : "ArrowUp";
    var j;
    if (key === "Home") {
      return frames[0];
    }
    if (key === up) {
      // first visible child: the next frames in pre-order, one level deeper
      for (j = k + 1; j < frames.length && frames[j].d > f.d; j++) {
        if (frames[j].d === f.d + 1 && visible(frames[j])) {
          return frames[j];
        }
      }
      return null;
    }
    if (key === "ArrowUp" || key === "ArrowDown") {
      for (j = k - 1; j >= 0; j--) {
        if (frames[j].d === f.d - 1) {
          return frames[j];
        }
      }
      return null;
    }
    var dir = key === "ArrowRight" ? 1 : -1;
    for (j = k + dir; j >= 0 && j < frames.length; j += dir) {
      if (frames[j].d === f.d && visible(frames[j])) {
        return frames[j];
      }
    }
    return null;
  }
  function tipAt(f) {
    var box = f.el.getBoundingClientRect();
    showTip(f, { clientX: box.left + Math.min(box.width / 2, 40), clientY: box.top + 4 });
  }
  root.addEventListener("focusin", function (evt) {
    var f = frameOf(evt.target);
    if (f) {
      moveFocus(f, false);
      tipAt(f);
    }
  });
  root.addEventListener("focusout", hideTip);
  // Chromium focuses a focusable document element after Tab reached the first frame: keep the
  // root <svg> out of the Tab order, so one Tab lands on the graph's Tab stop and stays there.
  root.setAttribute("tabindex", "-1");
  doc.addEventListener("keydown", function (evt) {
    var f = frameOf(evt.target);
    if (evt.key === "Escape") {
      zoom(null);
      if (f) {
        tipAt(f);
      }
    } else if (f && (evt.key === "Enter" || evt.key === " ")) {
      evt.preventDefault();
      zoom(f.d === 0 ? null : f);
      tipAt(f);
    } else if (f && /^(Arrow(Up|Down|Left|Right)|Home)$/.test(evt.key)) {
      evt.preventDefault();
      var next = step(f, evt.key);
      if (next) {
        moveFocus(next, true);
      }
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

  // The embedding page: its figure's controls, and its palette (Material's light "default" or
  // dark "slate"). Reading them needs the same origin; elsewhere the picture works on its own.
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
    var figure = host.closest("figure");
    var panel = figure && figure.querySelector(".flame-graph__controls");
    if (panel) {
      controls.search = panel.querySelector("input.flame-graph__search");
      controls.reset = panel.querySelector("button.flame-graph__reset");
      controls.matched = figure.querySelector(".flame-graph__matched");
      if (controls.search) {
        controls.search.addEventListener("input", function () {
          var term = controls.search.value;
          if (term) {
            search(term);
          } else {
            clearSearch();
          }
        });
        if (controls.search.value) {
          search(controls.search.value); // typed before the picture loaded, or restored
        }
      }
      if (controls.reset) {
        controls.reset.addEventListener("click", function () {
          zoom(null);
        });
        controls.reset.disabled = !zoomed;
      }
      panel.hidden = false; // shown only once this script drives it
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
