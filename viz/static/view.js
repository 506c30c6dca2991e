/* rolegraph view: draws the graph-data JSON with vis-network and wires the controls.
 *
 * Served by the app, the kind, shared-only, limit, role, colour and path controls submit the form
 * (GET /viz?...), so the address is always a shareable link to the view. In a standalone file there is no
 * server: kinds and shared-only filter the embedded data in place, the colour mode and the path switch in
 * place (the file holds every shown role's community and the paths between its roles), and the role choice
 * is fixed by `rolegraph viz --role`.
 * Text from the data is only ever set as textContent, never parsed as HTML (vis-network's "html" labels get
 * escaped text).
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
  var communityById = {};
  if (meta.communities) meta.communities.communities.forEach(function (c) { communityById[c.id] = c; });
  // Nodes not on the path, while one is drawn: faded, like the neighbours of nothing when one is selected.
  var DIM = 0.16;
  var edgeColor = data.options.edges.color.color;
  var edgeOpacity = data.options.edges.color.opacity;
  var edgeWidth = data.options.edges.width;
  var FADED_TEXT = "#b3bcc6";
  var FADED_ROLE_TEXT = "#616e7c";
  // Path steps: at least this size and label size (canvas pixels), so that their numbers read zoomed out.
  var STEP_SIZE = 20;
  var STEP_FONT = 26;
  var STEP_MASS = 3;

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
  function escapeHtml(text) { return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
  function communityText(c) { return c.label + " (" + plural(c.size, "role") + ")"; }
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
      var c = communityById[node.community];
      if (c) tip.appendChild(el("div", "Community: " + communityText(c)));
      var links = data.edges.filter(function (e) { return e.from === node.id; }).length;
      tip.appendChild(el("div", plural(links, "item") + " drawn; click for details"));
      return tip;
    }
    var step = stepByNode[node.id];
    if (step) {
      tip.appendChild(el("div", "Step " + step.n + " of the path", "tip-step"));
      tip.appendChild(el("div", step.why, "tip-why"));
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

  // -- colour mode and path: what is drawn over the nodes ------------------------------------------------------
  var state = {
    kinds: meta.kinds.slice(),
    sharedOnly: meta.shared_only,
    color: meta.color === "community" && meta.communities ? "community" : "kind",
    path: meta.path && data.paths[meta.path] ? meta.path : null,
  };
  var stepByNode = {};  // view node id -> step of the path drawn
  var pathEnds = {};    // "role/<id>" -> "Start" or "Goal"
  function currentPath() { return state.path ? data.paths[state.path] : null; }
  function indexPath() {
    var path = currentPath();
    stepByNode = {};
    pathEnds = {};
    if (!path) return;
    path.steps.forEach(function (s) { stepByNode[s.node] = s; });
    pathEnds["role/" + path.from] = "Start";
    pathEnds["role/" + path.to] = "Goal";
  }
  indexPath();

  function roleColors(background, border) {
    return {
      background: background,
      border: border,
      highlight: { background: background, border: meta.path_color },
      hover: { background: background, border: meta.path_color },
    };
  }

  // A copy of a node option: vis-data's update merges into the objects it was given, so the page's data must
  // never be handed over itself (a faded label colour would stick to it).
  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  // The node vis-network draws: the page's data, restyled for the colour mode and the path. Every option a
  // mode changes is set (never left out), so that switching back in place restores it.
  function visNode(node) {
    var copy = Object.assign({}, node, { title: tooltip(node) });
    var step = stepByNode[node.id];
    var end = pathEnds[node.id];
    var community = state.color === "community" ? communityById[node.community] : null;
    var font = Object.assign(clone(node.font), { multi: false });
    copy.color = clone(node.color);
    copy.borderWidth = node.borderWidth;
    if (node.type === "role") {
      if (community) {
        copy.color = roleColors(community.color, community.color);
        // Large boxes carry their name inside; small squares (many roles) keep dark text beside them.
        if (node.shape === "box") font.color = community.text;
      }
      if (end) {
        copy.borderWidth = 4;
        copy.color = Object.assign({}, copy.color, { border: meta.path_color });
      }
    } else if (state.color === "community") {
      var neutral = meta.neutral_item;
      copy.color = Object.assign(clone(node.color), {
        background: neutral,
        highlight: { background: neutral, border: meta.path_color },
        hover: { background: neutral, border: meta.path_color },
      });
    }
    var label = escapeHtml(node.label);
    var bold = node.shared && node.type !== "role";
    copy.size = node.size;
    copy.mass = node.mass;
    if (step) {
      // Numbered, ringed, larger and named at every zoom: the steps are what the path view is about.
      copy.color = Object.assign({}, copy.color, { border: meta.path_color });
      copy.borderWidth = 3;
      copy.size = Math.max(node.size, STEP_SIZE);
      // Heavier: they push each other (and their labels) further apart while the layout settles.
      copy.mass = Math.max(node.mass || 1, STEP_MASS);
      font.size = Math.max(font.size, STEP_FONT);
      font.multi = "html";
      font.bold = { color: font.color, size: font.size };
      copy.label = "<b>" + step.n + ".</b> " + (bold ? "<b>" + label + "</b>" : label);
    } else if (bold) {
      font.multi = "html";
      copy.label = "<b>" + label + "</b>";
    } else {
      copy.label = node.label;
    }
    if (end) copy.label = end + ": " + node.label;
    copy.opacity = baseOpacity(node.id);
    if (copy.opacity < 1) {
      // vis-network fades a node's shape, not its label: fade the label too, or the faded items still shout
      // (and a faded role box would leave its white name on white).
      var faded = node.type === "role" ? FADED_ROLE_TEXT : FADED_TEXT;
      font.color = faded;
      font.bold = Object.assign({}, font.bold, { color: faded });
    }
    copy.font = font;
    copy.step = step ? step.n : null;
    return copy;
  }

  function baseOpacity(id) {
    if (!currentPath()) return 1;
    return stepByNode[id] || pathEnds[id] ? 1 : DIM;
  }

  // -- which nodes are drawn: all of the data when served; the standalone filters keep a subset ---------------
  function wanted(node) {
    if (node.type === "role") return true;
    if (state.kinds.indexOf(node.type) < 0) return false;
    return !(state.sharedOnly && node.roles.length < 2);
  }

  var container = $("network");
  var nodes = new vis.DataSet(data.nodes.filter(wanted).map(visNode));
  var edges = new vis.DataSet(data.edges.filter(function (e) { return nodes.get(e.to) && nodes.get(e.from); })
    .map(function (e) { return Object.assign({}, e, edgeLook(e, null)); }));
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
    fitPath(false);
    view.stabilized = true;
    document.body.dataset.stabilized = "true";
  });
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked } });
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  // With a path drawn, the view frames the two roles and the steps drawn (the rest stays around them, faded).
  function fitPath(animate) {
    var path = currentPath();
    if (!path) return;
    var ids = Object.keys(pathEnds).concat(Object.keys(stepByNode)).filter(function (id) { return nodes.get(id); });
    if (ids.length > 1) network.fit({ nodes: ids, animation: animate ? { duration: 400 } : false });
  }

  // -- selection: highlight the neighbours, open the details ---------------------------------------------------
  var details = $("details");
  var pathPanel = $("path-panel");
  // The look of an edge: along the selected node's links when one is selected, else along the path (the goal
  // role's links to the steps) when one is drawn, else the default.
  function edgeLook(e, id) {
    if (id !== null) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: edgeColor, opacity: on ? 0.95 : 0.04 }, width: on ? 2 : edgeWidth };
    }
    var path = currentPath();
    if (path) {
      var step = e.from === "role/" + path.to && stepByNode[e.to];
      // Visible but light: they run under the steps' labels.
      return { id: e.id, color: { color: step ? meta.path_color : edgeColor, opacity: step ? 0.4 : 0.05 },
               width: step ? 1.6 : edgeWidth };
    }
    return { id: e.id, color: { color: edgeColor, opacity: edgeOpacity }, width: edgeWidth };
  }
  function highlight(id) {
    var keep = {};
    if (id !== null) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    }
    nodes.update(nodes.getIds().map(function (n) {
      return { id: n, opacity: id === null ? baseOpacity(n) : keep[n] ? 1 : 0.15 };
    }));
    edges.update(edges.get().map(function (e) { return edgeLook(e, id); }));
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
    var step = stepByNode[id];
    if (step) shared.appendChild(el("span", " · step " + step.n + " of the path: " + step.why));
    var c = node.type === "role" ? communityById[node.community] : null;
    if (c) shared.appendChild(el("span", " Community: " + communityText(c)));
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
    updateSide();
  }

  function closeDetails() {
    details.hidden = true;
    updateSide();
  }

  // The right-hand column holds the details of the selected node, else the path's steps, else nothing.
  function updateSide() {
    pathPanel.hidden = !details.hidden || !currentPath();
    document.querySelector("main.viz").classList.toggle("with-details", !details.hidden || !pathPanel.hidden);
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
  // The words of `text` in lines no wider than `width`, as measured in the context's current font.
  function wrapText(ctx, text, width) {
    var lines = [];
    text.split(/\s+/).forEach(function (word) {
      var last = lines.length - 1;
      var joined = last >= 0 ? lines[last] + " " + word : word;
      if (last >= 0 && ctx.measureText(joined).width <= width) lines[last] = joined; else lines.push(word);
    });
    return lines;
  }

  $("export-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    var ctx = out.getContext("2d");
    // With O*NET data, CC BY 4.0 asks for the attribution on anything that shows it, the image too: it goes in a
    // band of its own under the graph (never over a node), in the footer's small muted text. Sizes are in canvas
    // pixels, so scaled by the canvas's pixel ratio. Without O*NET data there is no band.
    var ratio = canvas.clientWidth ? canvas.width / canvas.clientWidth : 1;
    var font = 12 * ratio, pad = 8 * ratio, lineHeight = 16 * ratio;
    var lines = [];
    if (meta.attribution) {
      ctx.font = font + "px sans-serif";
      lines = wrapText(ctx, meta.attribution, canvas.width - 2 * pad);
    }
    out.width = canvas.width;
    out.height = canvas.height + (lines.length ? lines.length * lineHeight + 2 * pad : 0);
    // (Sizing the canvas resets its context: the font is set again below.)
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    ctx.fillStyle = "#616e7c";  // --muted in view.css
    ctx.font = font + "px sans-serif";
    ctx.textBaseline = "top";
    lines.forEach(function (line, i) { ctx.fillText(line, pad, canvas.height + pad + i * lineHeight); });
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
    meta.roles.slice(0, 12).forEach(function (r) {
      var li = el("li", roleName(r));
      li.dataset.role = r;
      shown.appendChild(li);
    });
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

  function buildColorControls() {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=color]"), function (radio) {
      radio.checked = radio.value === state.color;
      // A saved file holds every shown role's community; a served page asks the server for them.
      radio.disabled = meta.standalone && radio.value === "community" && !meta.communities;
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        if (!meta.standalone) {
          submit();
          return;
        }
        state.color = radio.value;
        restyle();
      });
    });
  }

  function buildPathControls() {
    var path = currentPath();
    ["path-from", "path-to"].forEach(function (name) {
      var select = $(name);
      select.appendChild(new Option("—", ""));
      meta.roles.forEach(function (r) { select.appendChild(new Option(roleName(r), r)); });
      select.value = path ? (name === "path-from" ? path.from : path.to) : "";
    });
    var message = $("path-message");
    $("show-path").addEventListener("click", function () {
      var from = $("path-from").value, to = $("path-to").value;
      message.className = "message";
      if (!from || !to || from === to) {
        message.textContent = "Choose two different roles: the path goes from the first to the second.";
        return;
      }
      message.textContent = "";
      if (!meta.standalone) {
        submit();
        return;
      }
      var key = from + ">" + to;
      if (!data.paths[key]) {
        message.textContent = "This saved view holds no path from " + roleName(from) + " to " + roleName(to) +
          " (a saved file holds the paths between its roles when it shows at most " + meta.path_roles_max + ").";
        return;
      }
      showPath(key);
    });
    $("clear-path").addEventListener("click", clearPath);
    $("close-path").addEventListener("click", clearPath);
    if (meta.standalone && !Object.keys(data.paths).length) {
      message.className = "message ok";
      message.textContent = "This saved view holds no paths (it shows more than " + meta.path_roles_max + " roles).";
    }
  }

  function clearPath() {
    $("path-from").value = "";
    $("path-to").value = "";
    $("path-message").textContent = "";
    if (!meta.standalone) {
      if (state.path) submit();
      return;
    }
    showPath(null);
  }

  // Standalone only: draw another path (or none) in place.
  function showPath(key) {
    state.path = key;
    indexPath();
    restyle();
    if (key) fitPath(true); else network.fit({ animation: { duration: 400 } });
  }

  // Standalone only: the colour mode or the path changed; restyle the drawn nodes where they are.
  function restyle() {
    nodes.update(nodes.getIds().map(function (id) {
      var node = visNode(byId[id]);
      delete node.x;
      delete node.y;
      return node;
    }));
    network.unselectAll();
    highlight(null);
    closeDetails();
    buildLegend();
    paintShownRoles();
    buildPathPanel();
    summarise();
  }

  // -- the path panel: every step in order, with why; the ones not drawn say why not --------------------------
  function hiddenBecause(step) {
    if (nodes.get(step.node)) return null;
    var node = byId[step.node];
    if (!node) return step.hidden || "not drawn";
    // In the data but filtered out in place (a saved file's kind and shared-only filters).
    if (state.kinds.indexOf(node.type) < 0) return "its kind is not shown";
    return "linked to one role only (shared items only)";
  }

  function buildPathPanel() {
    var path = currentPath();
    var list = $("path-steps");
    list.textContent = "";
    updateSide();
    if (!path) return;
    $("path-title").textContent = path.from_label + " → " + path.to_label;
    var hidden = 0;
    path.steps.forEach(function (step) {
      var why = hiddenBecause(step);
      if (why) hidden += 1;
      var li = el("li", null, "step" + (why ? " not-drawn" : ""));
      li.dataset.node = step.node;
      li.appendChild(el("span", String(step.n), "num"));
      var body = el("div", null, "body");
      var head = el("div", null, "head");
      if (why) {
        head.appendChild(el("span", step.label, "name"));
      } else {
        var go = el("button", step.label, "name link");
        go.type = "button";
        go.title = "Show " + step.label + " in the graph";
        go.addEventListener("click", function () {
          network.selectNodes([step.node]);
          network.focus(step.node, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
        });
        head.appendChild(go);
      }
      head.appendChild(el("span", step.kind + (step.tool_kind ? " · " + step.tool_kind.replace(/-/g, " ") : ""), "tag"));
      if (step.essential) head.appendChild(el("span", "essential", "tag essential"));
      if (step.partial) head.appendChild(el("span", "partly covered", "tag partial"));
      body.appendChild(head);
      body.appendChild(el("p", step.why, "why"));
      if (why) body.appendChild(el("p", "Hidden in the graph: " + why + ".", "hidden-note"));
      li.appendChild(body);
      list.appendChild(li);
    });
    var s = path.summary;
    var drawn = path.steps.length - hidden;
    $("path-summary").textContent = plural(path.steps.length, "step") + ": " + plural(s.skills, "skill") + ", then " +
      plural(s.tools, "tool") + " (" + s.partial + " partly covered). " +
      (hidden ? drawn + " drawn and numbered, " + hidden + " hidden (listed, not drawn)." : "All drawn and numbered.") +
      " Already shared: " + plural(s.shared_skills, "skill") + ", " + plural(s.shared_tools, "tool") + ".";
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
    var implicit = !rolesTouched && meta.roles_requested.length === 0;
    if (implicit) {
      Array.prototype.forEach.call(roles, function (b) { b.disabled = true; });
    }
    if (!checkedKinds().length) return;
    // A path goes between two of the roles shown: left out when unfinished or when a role of it is dropped.
    var from = $("path-from"), to = $("path-to");
    var kept = implicit ? meta.roles : Array.prototype.filter.call(roles, function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    if (!from.value || !to.value || from.value === to.value || kept.indexOf(from.value) < 0 ||
        kept.indexOf(to.value) < 0) {
      from.disabled = to.disabled = true;
    }
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
    edges.add(data.edges.filter(function (e) { return keep[e.from] && keep[e.to] && !edges.get(e.id); })
      .map(function (e) { return Object.assign({}, e); }));
    highlight(null);
    closeDetails();
    buildPathPanel();
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

  // The squares before the shown roles' names take their community's colour in that mode.
  function paintShownRoles() {
    Array.prototype.forEach.call($("shown-roles").querySelectorAll("li[data-role]"), function (li) {
      var c = state.color === "community" ? communityById[byId["role/" + li.dataset.role].community] : null;
      if (c) li.style.setProperty("--swatch", c.color); else li.style.removeProperty("--swatch");
    });
  }

  function legendEntry(list, svg, text, cls, title) {
    var li = el("li", null, cls);
    li.appendChild(svg);
    li.appendChild(el("span", text));
    if (title) li.title = title;
    list.appendChild(li);
    return li;
  }

  function buildLegend() {
    var list = $("legend");
    list.textContent = "";
    var byCommunity = state.color === "community";
    meta.legend.forEach(function (l) {
      if (l.type === "role" && byCommunity) {
        var head = el("li", "Roles by community, named after their most typical item:", "legend-head");
        head.title = "Communities: " + meta.communities.method;
        list.appendChild(head);
        meta.communities.communities.forEach(function (c) {
          var shown = c.shown < c.size ? ", " + c.shown + " shown" : "";
          legendEntry(list, swatch("role", c.color, l.shape, false), c.label + " · " + plural(c.size, "role") + shown,
            "community", "Community " + c.id + ", named after its most characteristic item");
        });
        if (meta.communities.method.indexOf("none") === 0) {
          list.appendChild(el("li", "One community: " + meta.communities.method.replace(/^none: /, "") +
            " in the graph.", "muted"));
        }
        list.appendChild(el("li", "Items (kinds by shape):", "legend-head"));
        return;
      }
      if (l.type !== "role" && meta.kinds.indexOf(l.type) < 0) return;
      legendEntry(list, swatch(l.type, byCommunity && l.type !== "role" ? meta.neutral_item : l.color, l.shape, false),
        l.legend);
    });
    legendEntry(list, swatch("shared", "#9aa5b1", "dot", true), "Shared by every role shown (bold label)");
    if (currentPath()) {
      var ring = swatch("step", byCommunity ? meta.neutral_item : "#9aa5b1", "dot", false);
      ring.firstChild.setAttribute("stroke", meta.path_color);
      ring.firstChild.setAttribute("stroke-width", "3");
      legendEntry(list, ring, "Path step, numbered in order (the rest is faded)");
    }
    list.appendChild(el("li", "Larger items: linked to more of the roles shown.", "muted"));
  }

  function summarise() {
    var items = nodes.getIds().filter(function (id) { return byId[id].type !== "role"; });
    var shared = items.filter(function (id) { return byId[id].shared; }).length;
    var text = plural(meta.roles.length, "role") + " · " + plural(items.length, "item") + " (" +
      shared + " shared by all) · " + plural(edges.length, "link");
    var path = currentPath();
    if (path) {
      var drawn = path.steps.filter(function (s) { return nodes.get(s.node); }).length;
      text += " · path: " + plural(path.steps.length, "step") + ", " + drawn + " drawn";
    }
    $("summary").textContent = text;
  }

  function buildNotes() {
    var notes = $("notes");
    meta.notes.forEach(function (text) { notes.appendChild(el("p", text)); });
  }

  if (meta.standalone) $("site-nav").hidden = true;
  buildRoleControls();
  buildKindControls();
  buildColorControls();
  buildPathControls();
  buildPathPanel();
  buildLegend();
  paintShownRoles();
  buildNotes();
  refreshSearchOptions();
  summarise();
})();
