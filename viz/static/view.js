/* rolegraph view: draws the graph-data JSON with vis-network and wires the controls.
 *
 * Served by the app, the kind, shared-only, limit and role controls submit the form (GET /viz?...), so the
 * address is always a shareable link to the view. In a standalone file there is no server: kinds and
 * shared-only filter the embedded data in place, and the role choice is fixed by `rolegraph viz --role`.
 * Text from the data is only ever set as textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var timings = (window.rolegraphTimings = { start: performance.now() });
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var meta = data.meta;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var roleLabels = {};
  meta.all_roles.forEach(function (r) { roleLabels[r.id] = r.label; });
  var legendByType = {};
  meta.legend.forEach(function (l) { legendByType[l.type] = l; });

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function roleName(id) { return roleLabels[id] || id; }
  function kindText(node) {
    var type = legendByType[node.type] ? legendByType[node.type].legend : node.type;
    return node.kind && node.kind !== node.type ? type + " · " + node.kind.replace(/-/g, " ") : type;
  }
  function sharedText(node) {
    var n = meta.roles.length;
    if (node.type === "role") return "";
    if (node.shared) return n > 1 ? "Shared by all " + n + " roles shown" : "Linked to the role shown";
    return "Linked to " + node.roles.length + " of " + n + " roles shown";
  }

  // -- tooltips: an element, so vis-network shows it as is (a string would be shown as plain text) --------
  function tooltip(node) {
    var tip = el("div", null, "tip");
    tip.appendChild(el("strong", node.label));
    tip.appendChild(el("div", kindText(node), "tip-kind"));
    if (node.type === "role") {
      var links = data.edges.filter(function (e) { return e.from === node.id; }).length;
      tip.appendChild(el("div", plural(links, "item") + " drawn; click for details"));
      return tip;
    }
    var names = node.roles.slice(0, 6).map(roleName).join(", ");
    if (node.roles.length > 6) names += " and " + (node.roles.length - 6) + " more";
    tip.appendChild(el("div", sharedText(node) + ": " + names));
    node.sources.slice(0, 2).forEach(function (s) {
      tip.appendChild(el("q", s.sentence));
    });
    if (node.mentions > 2) tip.appendChild(el("div", plural(node.mentions, "mention") + " in all; click for details", "more"));
    return tip;
  }

  // The label vis-network draws: shared items in bold (vis-network's "html" label mode understands <b>).
  function visNode(node) {
    var copy = Object.assign({}, node, { title: tooltip(node) });
    if (node.shared && node.type !== "role") {
      copy.label = "<b>" + node.label.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</b>";
    }
    return copy;
  }

  // -- which nodes are drawn: all of the data when served; the standalone filters keep a subset ---------------
  var state = { kinds: meta.kinds.slice(), sharedOnly: meta.shared_only };
  function wanted(node) {
    if (node.type === "role") return true;
    if (state.kinds.indexOf(node.type) < 0) return false;
    return !(state.sharedOnly && node.roles.length < 2);
  }

  var container = $("network");
  var nodes = new vis.DataSet(data.nodes.filter(wanted).map(visNode));
  var edges = new vis.DataSet(data.edges.filter(function (e) { return nodes.get(e.to) && nodes.get(e.from); }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = (window.rolegraphView = { network: network, nodes: nodes, edges: edges, data: data, stabilized: false });

  // -- layout: the starting positions are drawn at once; the physics then settles them (drawing is held until
  // it is done, behind a progress bar) and stops, so that nothing drifts while people read. -------------------
  var progress = $("progress");
  var physics = $("physics");
  physics.checked = true;
  network.once("afterDrawing", function () {
    timings.firstDraw = performance.now();
    progress.hidden = false;
    // After this frame is on screen: stabilize() holds the redraws until it is done.
    setTimeout(function () {
      timings.layoutStart = performance.now();
      network.stabilize(data.options.physics.stabilization.iterations);
    }, 0);
  });
  network.on("stabilizationProgress", function (p) {
    progress.hidden = false;
    $("progress-bar").style.width = Math.round((100 * p.iterations) / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    physics.checked = false;
    progress.hidden = true;
    timings.stabilized = performance.now();
    view.stabilized = true;
    document.body.dataset.stabilized = "true";
  });
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked } });
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  // -- selection: highlight the neighbours, open the details ---------------------------------------------------
  var details = $("details");
  var edgeOpacity = data.options.edges.color.opacity;
  function highlight(id) {
    var keep = {};
    if (id !== null) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    }
    nodes.update(nodes.getIds().map(function (n) {
      return { id: n, opacity: id === null || keep[n] ? 1 : 0.15 };
    }));
    edges.update(edges.get().map(function (e) {
      var on = id === null || e.from === id || e.to === id;
      return { id: e.id, color: { opacity: id === null ? edgeOpacity : on ? 0.95 : 0.04 }, width: id !== null && on ? 2 : undefined };
    }));
  }

  function showDetails(id) {
    var node = byId[id];
    $("details-kind").textContent = kindText(node);
    $("details-label").textContent = node.label;
    var shared = $("details-shared");
    shared.textContent = "";
    if (node.shared && node.type !== "role") shared.appendChild(el("span", "shared", "badge"));
    shared.appendChild(document.createTextNode(" " + sharedText(node)));
    var roles = $("details-roles");
    roles.textContent = "";
    var sources = $("details-sources");
    sources.textContent = "";
    if (node.type === "role") {
      var items = network.getConnectedNodes(id).map(function (n) { return byId[n]; });
      roles.appendChild(el("li", node.label));
      $("details-sources-title").textContent = plural(items.length, "item") + " drawn";
      items.sort(function (a, b) { return b.roles.length - a.roles.length || a.label.localeCompare(b.label); });
      items.slice(0, 40).forEach(function (item) { sources.appendChild(el("li", item.label + " (" + kindText(item) + ")")); });
      if (items.length > 40) sources.appendChild(el("li", "and " + (items.length - 40) + " more", "muted"));
    } else {
      node.roles.slice(0, 40).forEach(function (r) { roles.appendChild(el("li", roleName(r))); });
      if (node.roles.length > 40) roles.appendChild(el("li", "and " + (node.roles.length - 40) + " more", "muted"));
      $("details-sources-title").textContent = "Where it is said (" + plural(node.mentions, "mention") + ")";
      node.sources.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("q", s.sentence));
        li.appendChild(el("span", roleName(s.role) + " · " + s.section, "where"));
        sources.appendChild(li);
      });
      if (node.sources.length < node.mentions) {
        sources.appendChild(el("li", "Showing at most two sentences for each of the first roles.", "muted"));
      }
    }
    $("details-aliases").textContent = node.aliases && node.aliases.length ? "Also: " + node.aliases.join(", ") : "";
    $("details-iri").textContent = meta.base + node.id;
    details.hidden = false;
    document.querySelector("main.viz").classList.add("with-details");
  }

  function closeDetails() {
    details.hidden = true;
    document.querySelector("main.viz").classList.remove("with-details");
  }

  function select(id, focus) {
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
    if (focus) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], false);
    } else {
      network.unselectAll();
      highlight(null);
      closeDetails();
    }
  });
  $("close-details").addEventListener("click", function () {
    network.unselectAll();
    highlight(null);
    closeDetails();
  });

  // -- search: exact label or alias first, then prefix, then substring (like /api/search) ---------------------
  function refreshSearchOptions() {
    var list = $("search-options");
    list.textContent = "";
    nodes.get().map(function (n) { return byId[n.id].label; }).sort().forEach(function (label) {
      var option = document.createElement("option");
      option.value = label;
      list.appendChild(option);
    });
  }

  function find(text) {
    var needle = text.trim().replace(/\s+/g, " ").toLowerCase();
    if (!needle) return null;
    var best = null;
    nodes.getIds().forEach(function (id) {
      var node = byId[id];
      [node.label].concat(node.aliases || []).forEach(function (name) {
        var hay = name.toLowerCase();
        var rank = hay === needle ? 0 : hay.indexOf(needle) === 0 ? 1 : hay.indexOf(needle) > 0 ? 2 : -1;
        if (rank < 0) return;
        var key = [rank, name.length, node.label.toLowerCase()];
        if (!best || key[0] < best.key[0] || (key[0] === best.key[0] && (key[1] < best.key[1] ||
            (key[1] === best.key[1] && key[2] < best.key[2])))) {
          best = { id: id, key: key };
        }
      });
    });
    return best && best.id;
  }

  $("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("search").value;
    var status = $("search-status");
    var id = find(text);
    if (id === null) {
      status.className = "message";
      status.textContent = text.trim() ? "Nothing drawn matches “" + text.trim() + "”." : "";
      return;
    }
    status.className = "message ok";
    status.textContent = "Found " + byId[id].label + " (" + kindText(byId[id]) + ").";
    select(id, true);
  });

  // -- export: the canvas as it is now, on white (the canvas itself is transparent) ---------------------------
  $("export-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    var link = document.createElement("a");
    link.href = out.toDataURL("image/png");
    link.download = "rolegraph-" + meta.roles.slice(0, 3).join("-") + ".png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  // -- controls: roles, kinds, shared-only, limit --------------------------------------------------------------
  var form = $("view-form");
  var rolesTouched = false;

  function buildRoleControls() {
    $("role-count").textContent = "(" + meta.roles.length + " of " + meta.all_roles.length + ")";
    var shown = $("shown-roles");
    meta.roles.slice(0, 12).forEach(function (r) { shown.appendChild(el("li", roleName(r))); });
    if (meta.roles.length > 12) shown.appendChild(el("li", "and " + (meta.roles.length - 12) + " more", "muted"));
    var list = $("role-list");
    meta.all_roles.forEach(function (r) {
      var label = el("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "role";
      box.value = r.id;
      box.checked = meta.roles.indexOf(r.id) >= 0;
      box.disabled = meta.standalone;
      box.addEventListener("change", function () { rolesTouched = true; });
      label.appendChild(box);
      label.appendChild(el("span", r.label));
      label.appendChild(el("span", String(r.links), "count"));
      label.title = r.links + " links";
      list.appendChild(label);
    });
    $("role-filter").addEventListener("input", function () {
      var needle = this.value.trim().toLowerCase();
      Array.prototype.forEach.call(list.children, function (label) {
        label.hidden = needle !== "" && label.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
    if (meta.standalone) {
      $("apply-roles").disabled = true;
      $("role-message").className = "message ok";
      $("role-message").textContent = "A saved view: its roles are fixed (rolegraph viz --role …).";
    }
  }

  function buildKindControls() {
    var list = $("kind-list");
    meta.legend.forEach(function (l) {
      if (l.type === "role") return;
      var label = el("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "kind";
      box.value = l.type;
      box.checked = meta.kinds.indexOf(l.type) >= 0;
      // A saved file holds only the kinds it was written with.
      box.disabled = meta.standalone && meta.kinds.indexOf(l.type) < 0;
      box.addEventListener("change", onFilterChange);
      label.appendChild(box);
      label.appendChild(el("span", l.legend));
      list.appendChild(label);
    });
    var shared = $("shared-only");
    shared.checked = meta.shared_only;
    shared.disabled = meta.standalone && meta.shared_only;
    shared.addEventListener("change", onFilterChange);
    var limit = $("limit");
    limit.value = meta.limit;
    limit.max = meta.max_limit;
    limit.disabled = meta.standalone;
    limit.addEventListener("change", function () { if (limit.checkValidity()) submit(); });
  }

  function checkedKinds() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
  }

  function submit() {
    var roles = form.querySelectorAll("input[name=role]");
    var chosen = Array.prototype.filter.call(roles, function (b) { return b.checked; }).length;
    if (chosen === 1) {
      $("role-picker").open = true;
      $("role-message").textContent = "Choose at least two roles (or none for the default view).";
      return;
    }
    // Untouched default roles stay implicit, so the link keeps meaning "the default roles".
    if (!rolesTouched && meta.roles_requested.length === 0) {
      Array.prototype.forEach.call(roles, function (b) { b.disabled = true; });
    }
    if (!checkedKinds().length) return;
    form.submit();
  }

  function onFilterChange() {
    if (!checkedKinds().length) {
      this.checked = true; // at least one kind stays shown
      return;
    }
    if (!meta.standalone) {
      submit();
      return;
    }
    state.kinds = checkedKinds();
    state.sharedOnly = $("shared-only").checked;
    applyFilter();
  }

  // Standalone only: add and remove nodes in place; the ones that stay keep their positions.
  function applyFilter() {
    var positions = network.getPositions();
    var keep = {};
    data.nodes.forEach(function (n) { if (wanted(n)) keep[n.id] = true; });
    nodes.remove(nodes.getIds().filter(function (id) { return !keep[id]; }));
    var missing = data.nodes.filter(function (n) { return keep[n.id] && !nodes.get(n.id); }).map(function (n) {
      var node = visNode(n);
      if (positions[n.id]) { node.x = positions[n.id].x; node.y = positions[n.id].y; }
      return node;
    });
    nodes.add(missing);
    edges.remove(edges.getIds().filter(function (id) { var e = edges.get(id); return !keep[e.from] || !keep[e.to]; }));
    edges.add(data.edges.filter(function (e) { return keep[e.from] && keep[e.to] && !edges.get(e.id); }));
    highlight(null);
    closeDetails();
    refreshSearchOptions();
    summarise();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!meta.standalone) {
      rolesTouched = true;
      submit();
    }
  });

  // -- legend, notes, summary ---------------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(type, color, shape, ring) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "18");
    svg.setAttribute("viewBox", "0 0 22 18");
    svg.setAttribute("aria-hidden", "true");
    var points = {
      diamond: "11,1 20,9 11,17 2,9",
      triangle: "11,1 20,16 2,16",
      hexagon: "6,1.5 16,1.5 21,9 16,16.5 6,16.5 1,9",
    };
    var shapeEl;
    if (shape === "dot") {
      shapeEl = document.createElementNS(SVG, "circle");
      shapeEl.setAttribute("cx", "11"); shapeEl.setAttribute("cy", "9"); shapeEl.setAttribute("r", "7");
    } else if (points[shape]) {
      shapeEl = document.createElementNS(SVG, "polygon");
      shapeEl.setAttribute("points", points[shape]);
    } else {
      shapeEl = document.createElementNS(SVG, "rect");
      var box = shape === "box";
      shapeEl.setAttribute("x", box ? "1" : "3"); shapeEl.setAttribute("y", box ? "3" : "2");
      shapeEl.setAttribute("width", box ? "20" : "14"); shapeEl.setAttribute("height", box ? "12" : "14");
      shapeEl.setAttribute("rx", box ? "3" : "1");
    }
    shapeEl.setAttribute("fill", color);
    shapeEl.setAttribute("stroke", ring ? "#e69f00" : "#ffffff");
    shapeEl.setAttribute("stroke-width", ring ? "3" : "1");
    svg.appendChild(shapeEl);
    return svg;
  }

  function buildLegend() {
    var list = $("legend");
    meta.legend.forEach(function (l) {
      if (l.type !== "role" && meta.kinds.indexOf(l.type) < 0) return;
      var li = el("li");
      li.appendChild(swatch(l.type, l.color, l.shape, false));
      li.appendChild(el("span", l.legend));
      list.appendChild(li);
    });
    var shared = el("li");
    shared.appendChild(swatch("shared", "#9aa5b1", "dot", true));
    shared.appendChild(el("span", "Shared by every role shown (bold label)"));
    list.appendChild(shared);
    list.appendChild(el("li", "Larger items: linked to more of the roles shown.", "muted"));
  }

  function summarise() {
    var items = nodes.getIds().filter(function (id) { return byId[id].type !== "role"; });
    var shared = items.filter(function (id) { return byId[id].shared; }).length;
    $("summary").textContent = plural(meta.roles.length, "role") + " · " + plural(items.length, "item") + " (" +
      shared + " shared by all) · " + plural(edges.length, "link");
  }

  function buildNotes() {
    var notes = $("notes");
    meta.notes.forEach(function (text) { notes.appendChild(el("p", text)); });
  }

  if (meta.standalone) $("site-nav").hidden = true;
  buildRoleControls();
  buildKindControls();
  buildLegend();
  buildNotes();
  refreshSearchOptions();
  summarise();
})();
