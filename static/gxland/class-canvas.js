/*
 * L.GxClassCanvas: many polygons coloured by class, drawn on one canvas from flat arrays.
 *
 * Leaflet's own GeoJSON layer makes a layer object per feature (its LatLngs, projected points,
 * options, event handlers): at 14,000 parcels that was ~0.3 s of the page's main thread and as
 * much again in garbage collection on every page load. Here the features stay in typed arrays:
 * Web-Mercator coordinates computed once, drawn feature by feature on one canvas (a renderer in a
 * pane of its own, under the map's other vector layers), found under the mouse through a grid of
 * their bounding boxes. The layer behaves as a GeoJSON layer towards streamlit-folium: a click on
 * a feature fires ``click`` with ``e.layer.toGeoJSON()`` (its properties and shape), and a hover
 * shows the tooltip fields and outlines the feature.
 *
 * Data (``layers/canvas.py``, ``canvas_data``): ``{f: [property names], v: [the values of each
 * property, one per feature], k: the class code of each feature, d: [lng, lat, …] of every vertex in
 * millionths of a degree, each the difference from the vertex before, rn: vertices per ring, pn:
 * rings per polygon, gn: polygons per feature}`` — the counts behind ``shapely.to_ragged_array``'s
 * offsets. A column (and ``k``) may come as ``{u: distinct values, i: each feature's position}``.
 *
 * Options: ``colors`` {code: fill colour} in drawing order (later on top), ``fields`` [[property,
 * label]] of the tooltip (labels and values already escaped), ``idField``, ``blank`` (text of a
 * missing value), ``fillOpacity``, ``weight``, ``color`` (outline), ``otherColor`` (a code not in
 * ``colors``).
 */
(function () {
  "use strict";
  if (!window.L || L.GxClassCanvas) { return; }

  var PANE = "gxClassCanvas";
  var DEG = Math.PI / 180, MAX_LAT = 85.0511287798;
  // Features per path drawn (see _draw).
  var CHUNK = 32;

  // Leaflet's EPSG:3857 at zoom 0 with a 1-unit world: pixel = unit × 256 × 2^zoom.
  function unitX(lng) { return lng / 360 + 0.5; }
  function unitY(lat) {
    var s = Math.sin(Math.max(Math.min(MAX_LAT, lat), -MAX_LAT) * DEG);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  // Counts as offsets (n + 1, from 0).
  function offsets(counts) {
    var out = new Int32Array(counts.length + 1);
    for (var i = 0; i < counts.length; i++) { out[i + 1] = out[i] + counts[i]; }
    return out;
  }
  // A column as sent: its values, or {u: distinct values, i: each row's position among them}.
  function column(c) {
    if (Array.isArray(c)) { return c.slice(); }
    return c.i.map(function (j) { return c.u[j]; });
  }

  var style = document.createElement("style");
  style.textContent = ".gx-class-tip table{margin:auto}.gx-class-tip tr{text-align:left}" +
    ".gx-class-tip th{padding:2px;padding-right:8px}";
  document.head.appendChild(style);

  L.GxClassCanvas = L.Canvas.extend({
    options: {
      pane: PANE, padding: 0.1, colors: {}, fields: [], idField: "parcel_id", blank: "—",
      fillOpacity: 0.6, weight: 1, color: "#444444", otherColor: "#bdbdbd", hoverWeight: 3
    },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._n = 0;
      this._hover = -1;
      this._codes = Object.keys(this.options.colors);
      this._pending = null;
    },

    onAdd: function (map) {
      if (!map.getPane(PANE)) {
        var pane = map.createPane(PANE);
        pane.style.zIndex = 350; // over the tiles (200), under the other vectors and the tooltips (400+)
        pane.style.pointerEvents = "none";
      }
      L.Canvas.prototype.onAdd.call(this, map);
      map.on("mousemove", this._onMove, this);
      map.on("mouseout", this._onOut, this);
      map.on("click", this._onMapClick, this);
    },

    onRemove: function (map) {
      map.off("mousemove", this._onMove, this);
      map.off("mouseout", this._onOut, this);
      map.off("click", this._onMapClick, this);
      this._onOut();
      L.Canvas.prototype.onRemove.call(this, map);
    },

    _initContainer: function () {
      var c = this._container = document.createElement("canvas");
      c.style.pointerEvents = "none"; // the map takes the mouse; features are found by position
      this._ctx = c.getContext("2d");
    },

    _destroyContainer: function () {
      L.Util.cancelAnimFrame(this._redrawRequest);
      delete this._ctx;
      L.DomUtil.remove(this._container);
      delete this._container;
    },

    // No Leaflet paths on this renderer: a moved or zoomed map is drawn again from the arrays.
    _updatePaths: function () { this._redraw(); },
    _redrawSoon: function () {
      if (this._map) { this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this); }
    },

    /** The features: the data described at the top of this file. */
    setData: function (raw) {
      var n = raw.gn.length, i, j, ax = 0, ay = 0;
      var g = offsets(raw.gn), p = offsets(raw.pn), r = offsets(raw.rn), dd = raw.d, nv = dd.length / 2;
      var lng = new Float64Array(nv), lat = new Float64Array(nv), ux = new Float64Array(nv), uy = new Float64Array(nv);
      for (i = 0; i < nv; i++) {
        ax += dd[2 * i]; ay += dd[2 * i + 1];
        lng[i] = ax / 1e6; lat[i] = ay / 1e6;
        ux[i] = unitX(lng[i]); uy[i] = unitY(lat[i]);
      }
      var d = {f: raw.f, v: raw.f.map(function (_, at) { return column(raw.v[at]); }), k: column(raw.k),
               g: g, p: p, r: r, lng: lng, lat: lat};
      var box = new Float64Array(4 * n);
      for (i = 0; i < n; i++) {
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (j = r[p[g[i]]]; j < r[p[g[i + 1]]]; j++) {
          if (ux[j] < x0) { x0 = ux[j]; } if (ux[j] > x1) { x1 = ux[j]; }
          if (uy[j] < y0) { y0 = uy[j]; } if (uy[j] > y1) { y1 = uy[j]; }
        }
        box[4 * i] = x0; box[4 * i + 1] = y0; box[4 * i + 2] = x1; box[4 * i + 3] = y1;
      }
      // Drawing order: by class, as the colours are listed (one layer per class drew them so).
      var rankOf = {}, fill = new Array(n), order = new Int32Array(n), seen = 0;
      this._codes.forEach(function (c, at) { rankOf[c] = at; });
      var byClass = this._codes.map(function () { return []; }), other = [];
      for (i = 0; i < n; i++) {
        var c = d.k[i];
        fill[i] = this.options.colors[c] || this.options.otherColor;
        (rankOf[c] === undefined ? other : byClass[rankOf[c]]).push(i);
      }
      byClass.concat([other]).forEach(function (list) { list.forEach(function (f) { order[seen++] = f; }); });
      var drawnAt = new Int32Array(n);
      for (i = 0; i < n; i++) { drawnAt[order[i]] = i; }
      this._d = d; this._n = n; this._ux = ux; this._uy = uy; this._box = box;
      this._drawn = fill; this._fill = fill.slice(); this._order = order; this._rank = drawnAt;
      this._grid();
      this._mask = null;
      if (this._shownSpec) { this.gxShown.apply(this, this._shownSpec); }
      if (this._pending) { this.gxRestyle.apply(this, this._pending); }
      this._redrawSoon();
      return this;
    },

    // A grid over the features' extent, each cell listing the features whose box meets it.
    _grid: function () {
      var n = this._n, box = this._box, i, a, b, cx, cy;
      var X0 = Infinity, Y0 = Infinity, X1 = -Infinity, Y1 = -Infinity;
      for (i = 0; i < n; i++) {
        X0 = Math.min(X0, box[4 * i]); Y0 = Math.min(Y0, box[4 * i + 1]);
        X1 = Math.max(X1, box[4 * i + 2]); Y1 = Math.max(Y1, box[4 * i + 3]);
      }
      var side = Math.max(1, Math.min(512, Math.ceil(Math.sqrt(n))));
      var sx = (X1 - X0) / side || 1, sy = (Y1 - Y0) / side || 1;
      var cell = function (v, v0, s) { return Math.max(0, Math.min(side - 1, Math.floor((v - v0) / s))); };
      var count = new Int32Array(side * side + 1), span = new Int32Array(4 * n);
      for (i = 0; i < n; i++) {
        span[4 * i] = cell(box[4 * i], X0, sx); span[4 * i + 1] = cell(box[4 * i + 1], Y0, sy);
        span[4 * i + 2] = cell(box[4 * i + 2], X0, sx); span[4 * i + 3] = cell(box[4 * i + 3], Y0, sy);
        for (b = span[4 * i + 1]; b <= span[4 * i + 3]; b++) {
          for (a = span[4 * i]; a <= span[4 * i + 2]; a++) { count[b * side + a + 1]++; }
        }
      }
      for (i = 1; i <= side * side; i++) { count[i] += count[i - 1]; }
      var at = count.slice(0, side * side), items = new Int32Array(count[side * side]);
      for (i = 0; i < n; i++) {
        for (cy = span[4 * i + 1]; cy <= span[4 * i + 3]; cy++) {
          for (cx = span[4 * i]; cx <= span[4 * i + 2]; cx++) { items[at[cy * side + cx]++] = i; }
        }
      }
      this._g = {x0: X0, y0: Y0, sx: sx, sy: sy, side: side, start: count, items: items};
    },

    _draw: function () {
      if (!this._n || !this._map) { return; }
      var ctx = this._ctx, o = this.options, box = this._box, order = this._order, fill = this._fill, mask = this._mask;
      var S = 256 * Math.pow(2, this._map.getZoom()), po = this._map.getPixelOrigin(), b = this._bounds;
      var bx0 = b.min.x + po.x, by0 = b.min.y + po.y, bx1 = b.max.x + po.x, by1 = b.max.y + po.y;
      var k, i, cur = null, shown = [], inPath = 0;
      // ``ctx`` is translated to the renderer's bounds (layer points): a vertex at S·u − pixel origin.
      // Features go into a path CHUNK at a time, of one colour: a path per feature cost ~4 times as
      // much in Chromium's software canvas, one path for all ~60 times (14,000 parcels: 0.1 s, 0.75 s,
      // against 0.025 s). Rings are wound exterior one way, holes the other (``layers/canvas.py``):
      // the nonzero rule fills overlapping parcels of a chunk whole and leaves holes empty.
      ctx.save();
      ctx.globalAlpha = o.fillOpacity;
      ctx.beginPath();
      for (k = 0; k < this._n; k++) {
        i = order[k];
        if ((mask && !mask[i]) || box[4 * i + 2] * S < bx0 || box[4 * i] * S > bx1 || box[4 * i + 3] * S < by0 || box[4 * i + 1] * S > by1) {
          continue;
        }
        shown.push(i);
        if (fill[i] !== cur || inPath === CHUNK) {
          if (inPath) { ctx.fill(); ctx.beginPath(); }
          ctx.fillStyle = cur = fill[i];
          inPath = 0;
        }
        this._path(ctx, i, S, po);
        inPath++;
      }
      if (inPath) { ctx.fill(); }
      // The outlines over the fills, a chunk at a time.
      ctx.globalAlpha = 1;
      ctx.lineWidth = o.weight;
      ctx.strokeStyle = o.color;
      ctx.lineJoin = ctx.lineCap = "round";
      for (k = 0; k < shown.length; k += CHUNK) {
        ctx.beginPath();
        for (i = k; i < Math.min(k + CHUNK, shown.length); i++) { this._path(ctx, shown[i], S, po); }
        ctx.stroke();
      }
      ctx.restore();
    },

    // Feature ``i``'s rings as a path in layer points.
    _path: function (ctx, i, S, po) {
      var d = this._d, r = d.r, p = d.p, g = d.g, ux = this._ux, uy = this._uy, q, j, s;
      for (q = p[g[i]]; q < p[g[i + 1]]; q++) {
        s = r[q];
        ctx.moveTo(ux[s] * S - po.x, uy[s] * S - po.y);
        for (j = s + 1; j < r[q + 1]; j++) { ctx.lineTo(ux[j] * S - po.x, uy[j] * S - po.y); }
        ctx.closePath();
      }
    },

    /** The feature under ``latlng`` (the one drawn last where several overlap), or -1. */
    featureAt: function (latlng) {
      var G = this._g;
      if (!this._n || !G) { return -1; }
      var x = unitX(latlng.lng), y = unitY(latlng.lat);
      var cx = Math.floor((x - G.x0) / G.sx), cy = Math.floor((y - G.y0) / G.sy);
      if (cx < 0 || cy < 0 || cx >= G.side || cy >= G.side) { return -1; }
      var c = cy * G.side + cx, best = -1, box = this._box, k, i;
      for (k = G.start[c]; k < G.start[c + 1]; k++) {
        i = G.items[k];
        if ((this._mask && !this._mask[i]) || x < box[4 * i] || x > box[4 * i + 2] || y < box[4 * i + 1] || y > box[4 * i + 3]) { continue; }
        if ((best < 0 || this._rank[i] > this._rank[best]) && this._inside(i, x, y)) { best = i; }
      }
      return best;
    },

    // Even-odd rule over every ring of feature ``i`` (holes and parts alike), as it is filled.
    _inside: function (i, x, y) {
      var d = this._d, r = d.r, p = d.p, g = d.g, ux = this._ux, uy = this._uy, inside = false, q, j, k;
      for (q = p[g[i]]; q < p[g[i + 1]]; q++) {
        for (j = r[q], k = r[q + 1] - 1; j < r[q + 1]; k = j++) {
          if ((uy[j] > y) !== (uy[k] > y) && x < (ux[k] - ux[j]) * (y - uy[j]) / (uy[k] - uy[j]) + ux[j]) {
            inside = !inside;
          }
        }
      }
      return inside;
    },

    /** Feature ``i`` as GeoJSON: its properties and its (multi)polygon. */
    feature: function (i) {
      var d = this._d, r = d.r, p = d.p, g = d.g, props = {}, polys = [], q, s, j;
      d.f.forEach(function (name, at) { props[name] = d.v[at][i]; });
      for (var a = g[i]; a < g[i + 1]; a++) {
        var rings = [];
        for (q = p[a]; q < p[a + 1]; q++) {
          var ring = [];
          for (j = r[q]; j < r[q + 1]; j++) { ring.push([d.lng[j], d.lat[j]]); }
          rings.push(ring);
        }
        polys.push(rings);
      }
      s = polys.length === 1 ? {type: "Polygon", coordinates: polys[0]} : {type: "MultiPolygon", coordinates: polys};
      return {type: "Feature", properties: props, geometry: s};
    },

    _tip: function (i) {
      var d = this._d, o = this.options, h = "<table>";
      o.fields.forEach(function (f) {
        var at = d.f.indexOf(f[0]), v = at < 0 ? null : d.v[at][i];
        h += "<tr><th>" + f[1] + "</th><td>" + (v === null || v === undefined || v === "" ? o.blank : v) + "</td></tr>";
      });
      return h + "</table>";
    },

    _onMove: function (e) {
      var i = this.featureAt(e.latlng), map = this._map;
      if (i !== this._hover) {
        this._hover = i;
        if (this._outline) { map.removeLayer(this._outline); this._outline = null; }
        if (i >= 0) {
          this._outline = L.geoJSON(this.feature(i), {
            interactive: false, style: {color: this.options.color, weight: this.options.hoverWeight, fill: false}
          }).addTo(map);
          this._tooltip = this._tooltip || L.tooltip({className: "gx-class-tip", direction: "auto", opacity: 0.9});
          this._tooltip.setContent(this._tip(i));
        }
        this._cursor(i >= 0);
      }
      if (i >= 0) { this._tooltip.setLatLng(e.latlng); if (!map.hasLayer(this._tooltip)) { map.openTooltip(this._tooltip); } }
      else if (this._tooltip && map.hasLayer(this._tooltip)) { map.closeTooltip(this._tooltip); }
    },

    _onOut: function () {
      var map = this._map;
      this._hover = -1;
      if (!map) { return; }
      if (this._outline) { map.removeLayer(this._outline); this._outline = null; }
      if (this._tooltip && map.hasLayer(this._tooltip)) { map.closeTooltip(this._tooltip); }
      this._cursor(false);
    },

    // A pointer while the mouse is over a feature of any such layer of the map.
    _cursor: function (over) {
      var map = this._map, on = map.__gxOver = map.__gxOver || {}, id = L.Util.stamp(this);
      if (over) { on[id] = 1; } else { delete on[id]; }
      map.getContainer().style.cursor = Object.keys(on).length ? "pointer" : "";
    },

    _onMapClick: function (e) {
      var i = this.featureAt(e.latlng);
      if (i < 0) { return; }
      var f = this.feature(i);
      this.fire("click", {latlng: e.latlng, layer: {feature: f, toGeoJSON: function () { return f; }}, gxIndex: i});
    },

    /**
     * Recolour in place: ``changes`` {id: [fill colour, label]} of the features whose class
     * differs from the one the map was drawn with; every other feature goes back to its drawn
     * colour and label. ``labelField``: the property holding the class's label (its tooltip).
     */
    gxRestyle: function (changes, labelField) {
      if (!this._n) { this._pending = [changes, labelField]; return; }
      var any = false;
      for (var c in changes) { any = true; break; }
      if (!any && !this._restyled) { return; }
      this._restyled = any;
      var d = this._d, ids = d.v[d.f.indexOf(this.options.idField)], at = labelField ? d.f.indexOf(labelField) : -1;
      if (at >= 0 && !this._drawnLabels) { this._drawnLabels = d.v[at].slice(); }
      for (var i = 0; i < this._n; i++) {
        var w = changes[String(ids[i])];
        this._fill[i] = w ? w[0] : this._drawn[i];
        if (at >= 0) { d.v[at][i] = w ? w[1] : this._drawnLabels[i]; }
      }
      this._pending = null;
      this._redrawSoon();
    },

    /**
     * Which features are shown (the others are not drawn and take no hover or click): every one
     * (``list`` null), or all but the listed ones (``hide``), or only the listed ones. ``list``: the
     * positions ascending, as the gaps between them (the first from -1).
     */
    gxShown: function (hide, list) {
      this._shownSpec = [hide, list];
      if (!this._n) { return; }
      var mask = null, at = -1, k;
      if (list) {
        mask = new Uint8Array(this._n).fill(hide ? 1 : 0);
        for (k = 0; k < list.length; k++) { at += list[k]; mask[at] = hide ? 0 : 1; }
      }
      this._mask = mask;
      if (this._hover >= 0 && mask && !mask[this._hover]) { this._onOut(); }
      this._redrawSoon();
    },

    /** Container points of the features' box centres inside the map (a test clicks there). */
    gxSpots: function () {
      var out = [], map = this._map, size = map.getSize();
      for (var i = 0; i < this._n; i++) {
        var c = this.feature(i).geometry, ring = c.type === "Polygon" ? c.coordinates[0] : c.coordinates[0][0];
        var pt = map.latLngToContainerPoint(L.latLngBounds(ring.map(function (v) { return [v[1], v[0]]; })).getCenter());
        if (pt.x > 10 && pt.y > 10 && pt.x < size.x - 10 && pt.y < size.y - 10 && this.featureAt(map.containerPointToLatLng(pt)) === i) {
          out.push([pt.x, pt.y]);
        }
      }
      return out;
    }
  });

  L.gxClassCanvas = function (options) { return new L.GxClassCanvas(options); };
})();
