var gm = (function () {
  var D, S, R = __ROW_FIELDS__, queue = [], icons, buckets = {}, layers = [], cut = Infinity, MANY = 100;
  var popup = L.popup({maxWidth: 380});
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
    var where = [S[p[2]], S[p[3]], S[p[4]]].filter(Boolean).join(", ");
    var f = r[R.fatalities], fat = "";
    if (f !== null) {
      var q = S[r[R.fatalities_qualifier]];
      fat = (q && q !== "exact" ? q + " " : "") + f + note(S[r[R.fatalities_parts]]);
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
    return '<div class="gm-many"><h3>' + rows.length + " incidents at " + S[p[2]] +
      (rows.length > MANY ? ", the latest " + MANY + " below" : "") + "</h3>" +
      latest.slice(0, MANY).map(popupHtml).join("<hr>") + "</div>";
  }
  function clusterIcon(colour) {
    return function (c) {
      var n = c.getAllChildMarkers().reduce(function (sum, m) { return sum + m.options.rows.length; }, 0);
      var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
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
  // Markers go into a cluster group that is already on the map: filling one that is not
  // takes MarkerCluster minutes at 100,000 markers (it checks each against all before it).
  function addIncidents(map, parent, key, colour) {
    var group = L.markerClusterGroup({maxClusterRadius: 45, showCoverageOnHover: false,
                                      iconCreateFunction: clusterIcon(colour)});
    var layer = {timed: key !== "h", shown: null};
    layer.sync = function () {
      var until = layer.timed ? cut : Infinity;
      if (layer.shown === until) return;
      layer.shown = until;
      group.clearLayers();
      group.addLayers(markersOf(key, until));
    };
    group.on("add", layer.sync);  // a hidden layer catches up when it is switched on
    group.on("click", function (e) {
      popup.setLatLng(e.layer.getLatLng()).setContent(popupFor(e.layer.options.rows)).openOn(map);
    });
    layers.push({group: group, sync: layer.sync});
    parent.addLayer(group);
  }
  function addPlaces(parent) {
    D.pl.forEach(function (p) {
      L.circleMarker([p[0], p[1]], {radius: Math.min(4 + 2.5 * Math.sqrt(p[3]), 28), color: "#333",
        weight: 1, fillColor: "#fff", fillOpacity: 0.6, className: "gm-place"})
        .bindTooltip(p[2]).addTo(parent);
    });
  }
  function addRegions(parent) {
    var most = Math.max.apply(null, D.rg.features.map(function (f) { return f.properties.n; }).concat([1]));
    L.geoJson(D.rg, {
      style: function (f) {
        var n = f.properties.n;
        return {color: "#b2182b", weight: n ? 2 : 1, dashArray: n ? null : "4 4",
                fillColor: "#b2182b", fillOpacity: n ? 0.15 + 0.35 * n / most : 0.03};
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(f.properties.name + ": " + f.properties.n + " region-level incident" + (f.properties.n === 1 ? "" : "s"));
      }
    }).addTo(parent);
  }
  function addBasemap(layer) { layer.addData(D.bm); }
  function showUntil(last) {
    cut = last;
    layers.forEach(function (l) { if (l.group._map) l.sync(); });
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
    function lap(what) { timings.push([what, Math.round(performance.now() - t0)]); }
    load().then(function (data) {
      D = data;
      lap("data");
      prepare();
      lap("prepare");
      queue.forEach(function (f, i) { f(); lap("layer " + i); });
      slider(map);
      map.attributionControl.addAttribution(D.credits);
      window.geomapReady = true;
      document.body.setAttribute("data-ready", "1");
    }).catch(function (e) { console.error("geomap: cannot read the map's data: " + e); });
  }
  return {addIncidents: later(addIncidents), addPlaces: later(addPlaces), addRegions: later(addRegions),
          addBasemap: later(addBasemap), popupHtml: popupHtml, showUntil: showUntil, ready: ready};
})();
