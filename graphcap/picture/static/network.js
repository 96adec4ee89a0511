/* graphcap network view: draws a payload built by graphcap.ui.render with vis-network.
 *
 * Every text from the data (names, types, tooltips, legend) goes into the page as a text node
 * (textContent) or onto the canvas as a label; nothing from the data is ever parsed as HTML.
 * After the first settled drawing the root element carries data-drawn-nodes / data-drawn-edges
 * and window.graphcapState holds the counts and the time it took (used by tests and benchmarks).
 */
function graphcapDraw(root, data, onSelect) {
  "use strict";
  const t0 = performance.now();
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  root.textContent = "";
  const wrap = el("div");
  wrap.id = "gc-wrap";
  if (data.title) { const h = el("div", null, data.title); h.id = "gc-title"; wrap.appendChild(h); }
  if (data.note) { const n = el("div", null, data.note); n.id = "gc-note"; wrap.appendChild(n); }
  const stage = el("div");
  stage.style.position = "relative";
  const box = el("div");
  box.id = "gc-net";
  box.style.height = (data.height || 650) + "px";
  stage.appendChild(box);
  const legend = el("div");
  legend.id = "gc-legend";
  const info = el("div");
  info.id = "gc-info";
  const T = Object.assign({
    drawing: "drawing {n} stakeholders …", stakeholders: "Stakeholders",
    relationships: "Relationships", edge_count: "{n} relationships",
    mean_strength: "mean strength {s}", strength: "strength {s}",
    drawn: "{nodes} stakeholders, {edges} relationships drawn", decimal: ".", locale: "en-US",
    open_hint: "Use 'Open a stakeholder of this view' below the network.",
  }, data.texts || {});
  // the page's own words come translated in the payload; numbers go in after translation
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  const count = (n) => n.toLocaleString(T.locale);
  const status = el("div", null, say(T.drawing, { n: count(data.nodes.length) }));
  status.id = "gc-status";
  stage.appendChild(legend);
  stage.appendChild(info);
  stage.appendChild(status);
  wrap.appendChild(stage);
  root.appendChild(wrap);

  const lg = data.legend || {};
  if ((lg.nodes || []).length) {
    legend.appendChild(el("div", "gc-head", lg.nodes_title || T.stakeholders));
    for (const item of lg.nodes) {
      const row = el("div", "gc-row");
      const dot = el("span", "gc-dot");
      dot.style.background = item.color;
      row.appendChild(dot);
      row.appendChild(el("span", null, item.label));
      legend.appendChild(row);
    }
  }
  if ((lg.edges || []).length) {
    legend.appendChild(el("div", "gc-head", T.relationships));
    for (const item of lg.edges) {
      const row = el("div", "gc-row");
      const line = el("span", "gc-line");
      line.style.borderTopColor = item.color;
      line.style.borderTopStyle = item.dashes ? "dashed" : "solid";
      row.appendChild(line);
      row.appendChild(el("span", null, item.label));
      legend.appendChild(row);
    }
  }
  if (lg.size_note) legend.appendChild(el("div", null, lg.size_note));
  if (!legend.childNodes.length) legend.style.display = "none";

  const big = data.nodes.length > 1500;
  const theme = data.theme || { text: "#111827", background: "#ffffff" };
  const styles = (lg.edges || []);
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label, x: n.x, y: n.y, size: n.size,
    font: { size: Math.round(9 + n.size * 0.4) },
    color: { background: n.color, border: n.border || n.color,
             highlight: { background: n.color, border: theme.text },
             hover: { background: n.color, border: theme.text } },
    borderWidth: n.border ? 3 : 1,
    shape: "dot",
  })));
  // edge rows: [from, to, style index, strength or null, number of relationships]
  const edges = new vis.DataSet(data.edges.map((e, i) => {
    const st = styles[e[2]] || { color: "#94a3b8", dashes: false };
    return {
      id: i, from: e[0], to: e[1], width: e[3] === null ? 1.2 : 0.6 + 5 * e[3],
      color: { color: st.color, highlight: theme.text, hover: theme.text, opacity: 0.75 },
      dashes: st.dashes || false,
    };
  }));
  const physics = !!data.physics;
  const options = {
    autoResize: true,
    nodes: { font: { size: 12, face: "system-ui, sans-serif", color: theme.text, strokeWidth: 3, strokeColor: theme.background },
             scaling: { label: { enabled: false, drawThreshold: 6 } } },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 0.5,
             arrows: { to: { enabled: !!data.arrows, scaleFactor: 0.45 } } },
    physics: physics
      ? { enabled: true, solver: "barnesHut", barnesHut: { gravitationalConstant: -4000, springLength: 110, avoidOverlap: 0.2 },
          stabilization: { enabled: true, iterations: 200, fit: true } }
      : { enabled: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   navigationButtons: false, keyboard: false, multiselect: false },
    layout: { improvedLayout: false, randomSeed: 7 },
  };
  const network = new vis.Network(box, { nodes: nodes, edges: edges }, options);
  const byId = new Map(data.nodes.map((n) => [n.id, n]));

  // Hover texts: one tooltip element, filled with textContent (never HTML) on hover.
  const tipBox = el("div", "vis-tooltip");
  tipBox.id = "gc-tip";
  stage.appendChild(tipBox);
  const edgeText = (i) => {
    const e = data.edges[i];
    const a = byId.get(e[0]), b = byId.get(e[1]);
    const lines = [(a ? a.label : e[0]) + " → " + (b ? b.label : e[1]),
                   (styles[e[2]] || { label: "" }).label];
    if (e[4]) lines.push(say(T.edge_count, { n: count(e[4]) }));
    if (e[3] !== null) {
      const s = e[3].toFixed(2).replace(".", T.decimal);
      lines.push(say(e[4] ? T.mean_strength : T.strength, { s: s }));
    }
    return lines.join("\n");
  };
  const showTip = (text, pointer) => {
    tipBox.textContent = text;
    tipBox.style.left = (pointer.DOM.x + 14) + "px";
    tipBox.style.top = (pointer.DOM.y + 14) + "px";
    tipBox.style.visibility = "visible";
  };
  const hideTip = () => { tipBox.style.visibility = "hidden"; };
  network.on("hoverNode", (p) => { const n = byId.get(p.node); if (n) showTip((n.tip || [n.label]).join("\n"), p.pointer); });
  network.on("hoverEdge", (p) => showTip(edgeText(p.edge), p.pointer));
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    const ms = Math.round(performance.now() - t0);
    root.dataset.drawnNodes = String(nodes.length);
    root.dataset.drawnEdges = String(edges.length);
    root.dataset.drawMs = String(ms);
    status.textContent = say(T.drawn, { nodes: count(nodes.length), edges: count(edges.length) });
    window.graphcapState = { drawn: true, nodes: nodes.length, edges: edges.length, ms: ms };
    window.graphcapNetwork = network;
    if (physics) network.setOptions({ physics: { enabled: false } });
  };
  if (physics) {
    network.once("stabilizationIterationsDone", () => network.once("afterDrawing", finish));
  } else {
    network.once("afterDrawing", finish);
  }
  if (!physics) network.fit({ animation: false });

  network.on("click", (params) => {
    if (!params.nodes.length) { info.style.display = "none"; return; }
    const node = byId.get(params.nodes[0]);
    if (!node) return;
    info.textContent = (node.tip || [node.label]).join("\n");
    if (data.select_hint) info.appendChild(el("div", null, data.select_hint));
    info.style.display = "block";
    if (onSelect) onSelect(node.id);
  });
  network.on("doubleClick", (params) => {
    if (!params.nodes.length || !data.select_page || window.parent === window) return;
    // Inside the Streamlit app: open the stakeholder's page in the app (same origin).
    try {
      const target = new URL(data.select_page, window.parent.location.href);
      target.search = new URLSearchParams({ [data.select_param || "id"]: String(params.nodes[0]) }).toString();
      window.parent.history.pushState({}, "", target.toString());
      window.parent.dispatchEvent(new PopStateEvent("popstate", { state: {} }));
    } catch (err) {
      info.appendChild(el("div", null, T.open_hint));
    }
  });
  if (data.focus && byId.has(data.focus)) {
    network.once("afterDrawing", () => {
      network.selectNodes([data.focus]);
      network.focus(data.focus, { scale: 1.2, animation: false });
    });
  }
  return network;
}
