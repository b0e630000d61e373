var gm = (function () {
  var D, S, R = __ROW_FIELDS__, queue = [], icons, buckets = {}, layers = [], cut = Infinity, MANY = 100;
  var KINDS = __LABEL_KINDS__, theMap = null, labelPane = null, candidates = [], passes = 0, ruler = null;
  // room for the title box above a popup that opens near the top
  var popup = L.popup({maxWidth: 380, autoPanPaddingTopLeft: [20, 120], autoPanPaddingBottomRight: [20, 20]});
  var Marker = L.Marker.extend({
    _initIcon: function () {
      L.Marker.prototype._initIcon.call(this);
      this._icon.setAttribute("data-row", this.options.rows[0]);
      this._icon.setAttribute("data-n", this.options.rows.length);
    }
  });
  function load() {
    var el = document.getElementById("gm-data");
    if (el.type === "application/json") return Promise.resolve(JSON.parse(el.textContent));
    var text = atob(el.textContent), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function prepare() {
    S = D.s;
    icons = D.t.map(function (t) {
      return [0, 1].map(function (h) {
        return L.divIcon({className: "gm-marker gm-ev-" + t[1] + (h ? " gm-hist" : ""),
                          html: h ? t[4] : t[3], iconSize: [18, 18]});
      });
    });
    // rows of each layer by place, in one pass: key "h" for historical, else the type's index
    D.r.forEach(function (r, i) {
      var k = r[R.historical] ? "h" : r[R.type], b = buckets[k] = buckets[k] || {};
      (b[r[R.place]] = b[r[R.place]] || []).push(i);
    });
  }
  function row(th, td) { return td ? "<tr><th>" + th + "</th><td>" + td + "</td></tr>" : ""; }
  function note(t) { return t ? ' <span class="gm-note">(' + t + ")</span>" : ""; }
  // every string in D is HTML-escaped already; only geomap's own markup is added here
  function popupHtml(i) {
    var r = D.r[i], p = D.p[r[R.place]], t = D.t[r[R.type]];
    var when = D.d[r[R.date]] + (S[r[R.end_date]] ? " to " + S[r[R.end_date]] : "");
    var where = [S[r[R.place_label]] || S[p[2]], S[p[3]], S[p[4]]].filter(Boolean).join(", ");
    var f = r[R.fatalities], fat = "";
    if (f !== null) {
      var q = S[r[R.fatalities_qualifier]];
      // "at least 27"; a qualifier that is the count itself ("none reported") stands alone
      fat = (q && q !== "exact" ? (f === 0 ? q : q + " " + f) : "" + f) + note(S[r[R.fatalities_parts]]);
    }
    var actors = [S[r[R.actor1]], S[r[R.actor2]]].filter(Boolean).join(" &mdash; ");
    var sub = S[r[R.sub_event_type]];
    var h = '<div class="gm-pop"><h3 style="color:' + t[2] + '">' + t[0] + (sub ? ": " + sub : "") +
      (r[R.historical] ? " (historical)" : "") + "</h3>";
    if (S[r[R.notes]]) h += "<div>" + S[r[R.notes]] + "</div>";
    h += "<table>" + row("When", when && when + note(D.tp[r[R.time_precision]])) +
      row("Where", where && where + note([S[p[5]], D.gp[r[R.geo_precision]]].filter(Boolean).join("; "))) +
      row("Fatalities", fat) + row("Actors", actors) + "</table>";
    if (S[r[R.source_sentence]]) h += "<blockquote>&ldquo;" + S[r[R.source_sentence]] + "&rdquo;</blockquote>";
    h += '<div class="gm-src">' + D.a[r[R.article]] + "</div></div>";
    return h;
  }
  function popupFor(rows) {
    if (rows.length === 1) return popupHtml(rows[0]);
    var latest = rows.slice().sort(function (a, b) { return D.r[b][R.date] - D.r[a][R.date] || a - b; });
    var p = D.p[D.r[rows[0]][R.place]];
    return '<div class="gm-many"><h3>' + rows.length + " incidents at " + S[p[6]] +
      (rows.length > MANY ? ", the latest " + MANY + " below" : "") + "</h3>" +
      latest.slice(0, MANY).map(popupHtml).join("<hr>") + "</div>";
  }
  function clusterIcon(colour) {
    return function (c) {
      var n = c.getAllChildMarkers().reduce(function (sum, m) { return sum + m.options.rows.length; }, 0);
      var size = c.gmSize = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;  // kept for the label pass
      return L.divIcon({html: '<div style="background:' + colour + '">' + n + "</div>",
                        className: "gm-cluster", iconSize: [size, size]});
    };
  }
  // One marker per place and layer, counting the incidents there: MarkerCluster spends about
  // 50 microseconds a marker, and incidents crowd into the gazetteer's places.
  function markersOf(key, until) {
    var byPlace = buckets[key] || {};
    return Object.keys(byPlace).map(function (place) {
      var rows = until === Infinity ? byPlace[place] : byPlace[place].filter(function (i) {
        return D.r[i][R.date] <= until;
      });
      if (!rows.length) return null;
      var p = D.p[place], r = D.r[rows[0]], icon = icons[r[R.type]][r[R.historical]];
      if (rows.length > 1) {
        var t = D.t[r[R.type]];
        icon = L.divIcon({className: icon.options.className, iconSize: [18, 18],
                          html: (r[R.historical] ? t[4] : t[3]) + '<span class="gm-n">' + rows.length + "</span>"});
      }
      return new Marker([p[0], p[1]], {icon: icon, rows: rows});
    }).filter(Boolean);
  }
  // MarkerCluster keeps markers in the DOM over three screens by three around the view; each
  // costs a DOM node and a map listener (Leaflet checks those one by one: quadratic). Half a
  // screen around the view is enough for a pan; beyond, markers come on its end (markercluster
  // 1.1.0's own hook, kept here with the version package.json pins).
  var Group = L.MarkerClusterGroup.extend({
    _getExpandedVisibleBounds: function () {
      return this._checkBoundsMaxLat(this._map.getBounds().pad(0.25));
    }
  });
  // Markers go into a cluster group that is already on the map: filling one that is not
  // takes MarkerCluster minutes at 100,000 markers (it checks each against all before it).
  function addIncidents(map, parent, key, colour) {
    // no zoom animation: MarkerCluster's forces a layout per level, seconds at 100,000 incidents;
    // no clustering from zoom 12 (a place is one marker already): 11 levels of grids, not 18
    var group = new Group({maxClusterRadius: 45, showCoverageOnHover: false, animate: false,
                           disableClusteringAtZoom: 12, iconCreateFunction: clusterIcon(colour)});
    var layer = {timed: key !== "h", shown: null};
    layer.sync = function () {
      var until = layer.timed ? cut : Infinity;
      if (layer.shown === until) return;
      layer.shown = until;
      group.clearLayers();
      group.addLayers(markersOf(key, until));
    };
    group.on("add", layer.sync);  // a hidden layer catches up when it is switched on
    group.on("animationend add remove", later_layout);
    group.on("click", function (e) {
      popup.setLatLng(e.layer.getLatLng()).setContent(popupFor(e.layer.options.rows)).openOn(map);
    });
    layers.push({group: group, sync: layer.sync, key: key, timed: layer.timed});
    group.on("add remove", function () { incidentCache = null; });
    parent.addLayer(group);
  }
  // quiet grey rings in a pane under the incident markers: context, never over an incident
  function addPlaces(parent) {
    var colour = D.plc;
    D.pl.forEach(function (p) {
      L.circleMarker([p[0], p[1]], {radius: Math.min(3 + 1.2 * Math.sqrt(p[3]), 10), color: colour,
        weight: 1, opacity: 0.8, fillColor: colour, fillOpacity: 0.12, className: "gm-place",
        pane: "gm-places"}).bindTooltip(p[2]).addTo(parent);
    });
  }
  function addRegions(parent) {
    var most = Math.max.apply(null, D.rg.features.map(function (f) { return f.properties.n; }).concat([1]));
    L.geoJson(D.rg, {
      style: function (f) {
        var n = f.properties.n;
        return {color: "#b2182b", weight: n ? 2 : 1, dashArray: n ? null : "4 4",
                fillColor: "#b2182b", fillOpacity: n ? 0.1 + 0.25 * n / most : 0.03};
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name + ": " + f.properties.n + " region-level incident" + (f.properties.n === 1 ? "" : "s"));
      }
    }).addTo(parent);
  }
  // --- the offline basemap: geometry per zoom range, then labels that never overlap ----------
  function decode(a, q) {
    var out = new Array(a.length / 2), x = 0, y = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) { x += a[i]; y += a[i + 1]; out[j] = [y * q, x * q]; }
    return out;
  }
  function polygons(list, q) { return list.map(function (rings) { return rings.map(function (r) { return decode(r, q); }); }); }
  function addBasemap(map, group, style) {
    // a canvas each, stacked in drawing order (land, division lines, disputed areas): showing
    // or hiding one never redraws the others
    var bm = D.bm, q = bm.q, canvases = {};
    ["land", "admin1", "disputed"].forEach(function (k) { canvases[k] = L.canvas({pane: "gm-basemap", padding: 0.3}); });
    function shape(make, latlngs, options, canvas) {
      return latlngs.length ? make(latlngs, L.extend({renderer: canvases[canvas], interactive: false, pane: "gm-basemap"}, options)) : null;
    }
    // each made when first shown: a world view never decodes the detailed outlines
    var made = {}, makers = {
      coarse: function () { return shape(L.polygon, polygons(bm.c0, q), style.land, "land"); },
      fine: function () { return shape(L.polygon, polygons(bm.c1, q), style.land, "land"); },
      disputed: function () { return shape(L.polygon, polygons(bm.dz, q), style.disputed, "disputed"); },
      admin1: function () { return shape(L.polyline, bm.a1.map(function (a) { return decode(a, q); }), style.admin1, "admin1"); }
    };
    // the canvases go into the pane in this order once, empty
    ["land", "admin1", "disputed"].forEach(function (k) { canvases[k].addTo(map); });
    function show(name, on) {
      if (on && !(name in made)) made[name] = makers[name]();
      var layer = made[name];
      if (!layer) return;
      if (on && !group.hasLayer(layer)) group.addLayer(layer);
      if (!on && group.hasLayer(layer)) group.removeLayer(layer);
    }
    function byZoom() {
      var z = map.getZoom();
      show("coarse", z <= 3); show("fine", z > 3);
      show("admin1", z >= 5); show("disputed", true);
    }
    map.on("zoomend", byZoom);
    byZoom();
    candidates = bm.lb;
    labelPane = map.getPane("gm-labels");
    map.on("zoomstart", function () { labelPane.style.visibility = "hidden"; });
    map.on("moveend", function () { later_layout(); });
    group.on("add", later_layout);
    group.on("remove", later_layout);
  }
  var pending = null;
  function later_layout() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; layoutLabels(); }, 30);
  }
  // where a label may go around its point: right, left, above, below (towns and incident
  // places; areas' names are centred), then further out for incident places beside a cluster
  var SIDES = [["r", 1, 0], ["l", -1, 0], ["t", 0, -1], ["b", 0, 1]];
  // a sea's name may move a line off its point, which lies in open water
  var OPEN_WATER = [["c", 0, 0], ["c", 0, 1], ["c", 0, -1]], SEA_APART = 600;
  // boxes taken on the screen, bucketed by 64-pixel cells: a label asks only the boxes near it,
  // not every marker and label on the screen
  function Taken(boxes) {
    this.cells = {};
    (boxes || []).forEach(this.add, this);
  }
  Taken.prototype.each = function (b, f) {
    for (var x = Math.floor(b[0] / 64); x <= Math.floor(b[2] / 64); x++)
      for (var y = Math.floor(b[1] / 64); y <= Math.floor(b[3] / 64); y++)
        if (f(x + "," + y)) return true;
    return false;
  };
  Taken.prototype.add = function (b) {
    var cells = this.cells;
    this.each(b, function (key) { (cells[key] = cells[key] || []).push(b); });
  };
  Taken.prototype.hits = function (a) {
    var cells = this.cells;
    return this.each(a, function (key) { return key in cells && overlaps(a, cells[key]); });
  };
  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) return true;
    }
    return false;
  }
  var widths = {};
  function textWidth(kind, text) {
    var key = kind + text;
    if (key in widths) return widths[key];
    if (!ruler) ruler = document.createElement("canvas").getContext("2d");
    var probe = labelPane.querySelector(".gm-probe-" + kind);
    if (!probe) {
      probe = document.createElement("div");
      probe.className = "gm-label gm-probe gm-probe-" + kind + " gm-lk-" + KINDS[kind];
      labelPane.appendChild(probe);
      var cs = getComputedStyle(probe);
      probe._font = cs.fontStyle + " " + cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
      probe._spacing = parseFloat(cs.letterSpacing) || 0;
      probe._upper = cs.textTransform === "uppercase";
      probe._size = parseFloat(cs.fontSize);
    }
    ruler.font = probe._font;
    var t = probe._upper ? text.toUpperCase() : text;
    return (widths[key] = [ruler.measureText(t).width + probe._spacing * t.length + 6, probe._size * 1.25]);
  }
  function unescapeHtml(t) {
    return t.indexOf("&") < 0 ? t : t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
  }
  // what a label must not touch: the incident markers and clusters shown (from their points and
  // icon sizes: asking the browser for thousands of boxes costs a layout each pass), and the
  // boxes over the map (controls in the map's container; the title and legend are the page's)
  function markerBoxes(map) {
    var container = map.getContainer(), origin = container.getBoundingClientRect(), boxes = [];
    var near = map.getBounds().pad(0.5);  // a cluster on screen has its markers near it
    layers.forEach(function (l) {
      if (!l.group._map) return;
      l.group.eachLayer(function (marker) {
        if (!near.contains(marker.getLatLng())) return;
        var shown = l.group.getVisibleParent(marker);
        if (!shown || shown.gmPass === passes) return;
        shown.gmPass = passes;
        var half = (shown.gmSize || shown.options.icon.options.iconSize[0]) / 2;
        var p = map.latLngToContainerPoint(shown.getLatLng());
        boxes.push([p.x - half, p.y - half, p.x + half, p.y + half]);
      });
    });
    function take(el) {
      var b = el.getBoundingClientRect();
      if (b.width) boxes.push([b.left - origin.left, b.top - origin.top, b.right - origin.left, b.bottom - origin.top]);
    }
    container.querySelectorAll(".leaflet-control").forEach(take);
    document.querySelectorAll(".gm-box").forEach(take);
    return boxes;
  }
  var incidentCache = null;
  function incidentLabels() {
    // the places of the incidents shown, named as the articles wrote them, the busiest first
    if (incidentCache) return incidentCache;
    var counts = {};
    layers.forEach(function (l) {
      if (!l.group._map) return;
      var byPlace = buckets[l.key] || {}, until = l.timed ? cut : Infinity;
      for (var place in byPlace) {
        var rows = byPlace[place], n = rows.length;
        if (until !== Infinity) n = rows.filter(function (i) { return D.r[i][R.date] <= until; }).length;
        if (n) counts[place] = (counts[place] || 0) + n;
      }
    });
    var kind = KINDS.indexOf("incident");
    return (incidentCache = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a - b; })
      .map(function (k) { var p = D.p[k]; return [kind, S[p[6]], p[0], p[1], 0]; }));
  }
  function layoutLabels() {
    var map = theMap;
    if (!map || !labelPane) return;
    var size = map.getSize(), z = map.getZoom();
    var obstacles = new Taken(markerBoxes(map)), placed = new Taken(), html = [], shown = [], named = {}, count = 0;
    var basemapOn = D.bm && map.hasLayer(bmGroup);
    var list = incidentLabels().concat(basemapOn ? candidates : []);
    var incident = KINDS.indexOf("incident"), margin = 2;
    for (var i = 0; i < list.length && count < 400; i++) {
      var c = list[i];
      if (c[4] > z) continue;
      var pt = map.latLngToContainerPoint([c[2], c[3]]);
      if (pt.x < -50 || pt.y < -20 || pt.x > size.x + 50 || pt.y > size.y + 20) continue;
      var text = unescapeHtml(c[1]), wh = textWidth(c[0], text), w = wh[0], h = wh[1];
      var kind = KINDS[c[0]], point = kind === "town" || kind === "capital" || c[0] === incident;
      // a country is named once in a view (its name has several anchors; an incident label may
      // have named it already), a sea once within SEA_APART pixels (an ocean on both sides of a
      // world map is named twice); a town an incident label names, in the article's spelling,
      // is not named again
      var once = kind === "country" || kind === "sea" ? kind : point && c[0] !== incident ? "incident" : null;
      var before = once && (named[once + "|" + c[1]] || (kind === "country" && named["incident|" + c[1]]));
      if (before && (kind !== "sea" || Math.abs(before.x - pt.x) + Math.abs(before.y - pt.y) < SEA_APART)) continue;
      var gap = c[0] === incident ? 12 : 5, box = null, side = null;
      var options = point ? SIDES : kind === "sea" ? OPEN_WATER : [["c", 0, 0]];
      var tries = [obstacles];  // never under a marker: the marker pane is above the names, and would hide part of one
      for (var t = 0; t < tries.length && !box; t++) {
        var far = c[0] === incident ? [gap, gap + 14] : [gap];
        for (var f = 0; f < far.length && !box; f++) {
          for (var k = 0; k < options.length; k++) {
            var o = options[k], g = far[f], x0, y0;
            if (o[0] === "c") { x0 = pt.x - w / 2; y0 = pt.y - h / 2 + o[2] * h; }
            else if (o[1] > 0) { x0 = pt.x + g; y0 = pt.y - h / 2; }
            else if (o[1] < 0) { x0 = pt.x - g - w; y0 = pt.y - h / 2; }
            else if (o[2] < 0) { x0 = pt.x - w / 2; y0 = pt.y - g - h; }
            else { x0 = pt.x - w / 2; y0 = pt.y + g; }
            var b = [x0 - margin, y0 - margin, x0 + w + margin, y0 + h + margin];
            if (b[0] < 0 || b[1] < 0 || b[2] > size.x || b[3] > size.y) continue;
            if (placed.hits(b) || (tries[t] && tries[t].hits(b))) continue;
            box = b; side = o[0];
            break;
          }
        }
      }
      if (!box) continue;
      placed.add(box);
      count += 1;
      if (kind === "country" || kind === "sea" || c[0] === incident) named[kind + "|" + c[1]] = pt;
      var at = map.containerPointToLayerPoint([box[0] + margin, box[1] + margin]);
      var dot = point && c[0] !== incident ? [pt.x - box[0] - margin, pt.y - box[1] - margin] : null;
      html.push('<div class="gm-label gm-lk-' + kind + " gm-p" + side + '" style="transform:translate(' +
        Math.round(at.x) + "px," + Math.round(at.y) + "px)" +
        (dot ? ";--dx:" + Math.round(dot[0]) + "px;--dy:" + Math.round(dot[1]) + "px" : "") + '">' + c[1] + "</div>");
      shown.push(c);
    }
    labelPane.querySelectorAll(".gm-label:not(.gm-probe)").forEach(function (el) { el.remove(); });
    labelPane.insertAdjacentHTML("beforeend", html.join(""));
    // the browser's own measure is the last word: drop any label that still touches an earlier one
    var kept = [];
    labelPane.querySelectorAll(".gm-label:not(.gm-probe)").forEach(function (el) {
      var b = el.getBoundingClientRect(), box = [b.left, b.top, b.right, b.bottom];
      if (overlaps(box, kept)) el.remove(); else kept.push(box);
    });
    labelPane.style.visibility = "";
    passes += 1;
    document.body.setAttribute("data-labels", passes);
  }
  var bmGroup = null;
  function showUntil(last) {
    cut = last;
    incidentCache = null;
    layers.forEach(function (l) { if (l.group._map) l.sync(); });
    later_layout();
  }
  function slider(map) {
    var input = document.getElementById("gm-slider"), label = document.getElementById("gm-slider-label");
    if (!input) return;
    var last = +input.max;
    function show() { label.textContent = +input.value === last ? "all dates" : "up to " + D.d[+input.value]; }
    input.addEventListener("input", show);
    input.addEventListener("change", function () {
      map.closePopup();
      show();
      showUntil(+input.value === last ? Infinity : +input.value);
    });
    show();
  }
  function later(f) {
    return function () { var args = arguments; queue.push(function () { f.apply(null, args); }); };
  }
  function ready(map) {
    var t0 = performance.now(), timings = window.geomapTimings = [];
    theMap = window.geomapMap = map;
    function lap(what) { timings.push([what, Math.round(performance.now() - t0)]); }
    load().then(function (data) {
      D = data;
      lap("data");
      prepare();
      lap("prepare");
      queue.forEach(function (f, i) { f(); lap("layer " + i); });
      slider(map);
      map.attributionControl.addAttribution(D.credits);
      layoutLabels();
      lap("labels");
      window.geomapReady = true;
      document.body.setAttribute("data-ready", "1");
    }).catch(function (e) { console.error("geomap: cannot read the map's data: " + e); });
  }
  function basemap(map, group, style) { bmGroup = group; addBasemap(map, group, style); }
  return {addIncidents: later(addIncidents), addPlaces: later(addPlaces), addRegions: later(addRegions),
          addBasemap: later(basemap), popupHtml: popupHtml, showUntil: showUntil, ready: ready,
          layoutLabels: layoutLabels};
})();
