// The live account matrix (browser side). Bundled with Vega, Vega-Lite and vega-embed by
// vl-convert (kamlib/widgets/matrix.py), so it loads nothing from the internet.
//
// Every slider move recomputes both composites here, with exactly kamlib.scoring's rule:
//   composite = 10 * sum(w_i * n_i) / sum(w_i) over the axis's criteria scored for the account,
//   rounded to 9 decimals; a composite on its cut line counts as high / strong.
// With criteria per segment each account is weighed with its segment group's weights (a segment picker
// chooses whose weights the sliders move); its scores arrive normalised on its segment's scales.
// The results stream into the chart's named datasets; the kernel only hears about the new
// state afterwards (for autosave and scenarios), so a slider never waits on it. On render it tells the
// kernel it is displayed ({event: "displayed"}): that is when the kernel restores the autosave.

const QUADRANTS = ["invest", "selective", "maintain", "milk"];
const AXES = ["potential", "position"];
const SYNC_MS = 150;

function round9(x) {
  return Math.round(x * 1e9) / 1e9;
}

export function composites(norm, weights, axes, groups) {
  // norm: per account an array of normalised scores (null = not scored); axes: per criterion; weights: per
  // criterion, or with `groups` (each account's segment group) per group an array per criterion.
  const out = new Array(norm.length);
  for (let a = 0; a < norm.length; a++) {
    const row = norm[a];
    const w = groups ? weights[groups[a]] : weights;
    const num = [0, 0];
    const den = [0, 0];
    for (let i = 0; i < row.length; i++) {
      const n = row[i];
      if (n === null) continue;
      num[axes[i]] += w[i] * n;
      den[axes[i]] += w[i];
    }
    out[a] = [den[0] > 0 ? round9((10 * num[0]) / den[0]) : null, den[1] > 0 ? round9((10 * num[1]) / den[1]) : null];
  }
  return out;
}

export function quadrant(potential, position, cuts) {
  if (potential === null || position === null) return null;
  return QUADRANTS[2 * (potential < cuts.potential ? 1 : 0) + (position < cuts.position ? 1 : 0)];
}

export function placeLabels(points, labelTop, layout) {
  // Greedy placement, largest first; the same rule as kamlib.charts.matrix.place_labels.
  const pxX = layout.width / 10;
  const pxY = layout.height / 10;
  const half = 0.65 * layout.fontSize;
  const boxes = [];
  const kept = [];
  const overlap = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  for (const p of points) {
    if (kept.length >= labelTop) break;
    const radius = Math.sqrt(p.area / Math.PI);
    const width = Math.min(p.name.length * layout.charWidth, layout.limit);
    const x = p.position * pxX;
    const y = (10 - p.potential) * pxY;
    for (const align of ["left", "right"]) {
      const start = align === "left" ? x + radius + layout.gap : x - radius - layout.gap - width;
      const box = [start, y - half, start + width, y + half];
      if (box[0] >= 0 && box[2] <= layout.width && !boxes.some((b) => overlap(box, b))) {
        boxes.push(box);
        const offset = (radius + layout.gap) / pxX;
        kept.push({
          name: p.name,
          potential: p.potential,
          label_x: align === "left" ? p.position + offset : p.position - offset,
          align,
        });
        break;
      }
    }
  }
  return kept;
}

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.appendChild(c);
  return node;
}

function formatNumber(value, lang, digits = 0) {
  return new Intl.NumberFormat(lang === "es" ? "es-ES" : "en-GB", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

async function render({ model, el: root }) {
  const data = model.get("data");
  const criteria = data.criteria;
  const accounts = data.accounts;
  const axes = criteria.map((c) => c.axis);
  const segments = data.segments;
  const layout = model.get("geometry");
  const copySegments = (given) => Object.fromEntries(Object.entries(given).map(([k, v]) => [k, { ...v }]));
  const state = {
    weights: { ...model.get("weights") },
    segmentWeights: copySegments(model.get("segment_weights")),
    segment: 0,
    cuts: { ...model.get("cuts") },
    filters: { ...model.get("filters") },
    lang: model.get("lang"),
    sizeBy: model.get("size_by"),
  };
  const T = () => model.get("texts")[state.lang];

  const app = el("div", { class: "kam-app" });
  const controls = el("div", { class: "kam-controls" });
  const chartBox = el("div", { class: "kam-chart" });
  const side = el("div", { class: "kam-side" });
  app.append(controls, chartBox, side);
  root.appendChild(app);

  // The weights of a segment group: the default rows' (group 0), or a segment's own.
  const weightsOf = (group) => (group === 0 ? state.weights : state.segmentWeights[segments[group].name]);

  // ---- controls
  const sliders = {};
  const everyWeight = [model.get("default_weights"), ...Object.values(model.get("default_segment_weights"))];
  const maxWeight = Math.max(1, ...everyWeight.flatMap((w) => Object.values(w).map(Number))) * 2;
  const weightStep = maxWeight / 200;
  const axisBoxes = AXES.map((axis) => el("div", { class: "kam-axis", "data-axis": axis }));
  const cutBox = el("div", { class: "kam-cuts" });
  const filterBox = el("div", { class: "kam-filters" });
  const buttons = el("div", { class: "kam-buttons" });
  const segmentSelect = el("select", { "data-segment": "1" });
  const segmentLabel = el("span", { class: "kam-label" });
  segmentSelect.addEventListener("change", () => {
    state.segment = Number(segmentSelect.value);
    setSliders();
    writeShares();
  });
  const segmentBox = el("label", { class: "kam-filter kam-segment" }, [segmentLabel, segmentSelect]);
  if (segments.length > 1) controls.append(segmentBox);
  controls.append(...axisBoxes, cutBox, filterBox, buttons);

  function sliderRow(id, min, max, step, value, onInput) {
    const label = el("span", { class: "kam-label" });
    const input = el("input", { type: "range", min, max, step, value, "data-id": id, "aria-label": id });
    const shown = el("span", { class: "kam-value" });
    const share = el("span", { class: "kam-share" });
    const row = el("label", { class: "kam-slider" }, [label, input, shown, share]);
    input.addEventListener("input", () => onInput(Number(input.value)));
    return { row, input, label, shown, share };
  }

  criteria.forEach((c) => {
    const s = sliderRow(c.id, 0, maxWeight, weightStep, state.weights[c.id] ?? 0, (v) => {
      weightsOf(state.segment)[c.id] = v;
      refresh();
    });
    sliders[c.id] = s;
    axisBoxes[c.axis].appendChild(s.row);
  });
  const cutSliders = {};
  AXES.forEach((axis) => {
    const s = sliderRow(`cut_${axis}`, 0, 10, 0.05, state.cuts[axis], (v) => {
      state.cuts[axis] = v;
      refresh();
    });
    cutSliders[axis] = s;
    cutBox.appendChild(s.row);
  });
  const selects = {};
  for (const [column, options] of Object.entries(data.filters)) {
    const select = el("select", { "data-filter": column });
    const label = el("span", { class: "kam-label" });
    select.addEventListener("change", () => {
      state.filters[column] = select.value;
      refresh();
    });
    selects[column] = { select, label, options };
    filterBox.appendChild(el("label", { class: "kam-filter" }, [label, select]));
  }
  const sizeSelect = el("select", { "data-size": "1" });
  const sizeLabel = el("span", { class: "kam-label" });
  sizeSelect.addEventListener("change", () => {
    state.sizeBy = sizeSelect.value;
    refresh();
  });
  filterBox.appendChild(el("label", { class: "kam-filter" }, [sizeLabel, sizeSelect]));
  const reset = el("button", { class: "kam-reset", type: "button" });
  reset.addEventListener("click", () => {
    state.weights = { ...model.get("default_weights") };
    state.segmentWeights = copySegments(model.get("default_segment_weights"));
    setSliders();
    refresh();
  });
  const langButtons = ["es", "en"].map((lang) => {
    const b = el("button", { class: "kam-lang", type: "button", "data-lang": lang, text: lang.toUpperCase() });
    b.addEventListener("click", () => {
      state.lang = lang;
      writeTexts();
      refresh();
    });
    return b;
  });
  buttons.append(reset, ...langButtons);

  function setSliders() {
    const applies = segments[state.segment].applies;
    const weights = weightsOf(state.segment);
    criteria.forEach((c, i) => {
      sliders[c.id].row.style.display = applies[i] ? "" : "none";
      if (applies[i]) sliders[c.id].input.value = weights[c.id];
    });
    AXES.forEach((axis) => (cutSliders[axis].input.value = state.cuts[axis]));
  }

  function writeTexts() {
    const t = T();
    axisBoxes.forEach((box, i) => box.setAttribute("data-title", t.axes[i]));
    cutBox.setAttribute("data-title", t.cuts);
    filterBox.setAttribute("data-title", t.filters);
    criteria.forEach((c) => (sliders[c.id].label.textContent = c[`label_${state.lang}`]));
    AXES.forEach((axis, i) => (cutSliders[axis].label.textContent = t.axes[i]));
    for (const [column, s] of Object.entries(selects)) {
      s.label.textContent = t.filter_names[column];
      const current = state.filters[column] || "";
      s.select.replaceChildren(
        el("option", { value: "", text: t.all }),
        ...s.options.map((o) => el("option", { value: o, text: o })),
      );
      s.select.value = current;
    }
    sizeLabel.textContent = t.size_by;
    sizeSelect.replaceChildren(
      ...Object.keys(data.sizes).map((k) => el("option", { value: k, text: k === "revenue" ? t.revenue : k })),
    );
    sizeSelect.value = state.sizeBy;
    reset.textContent = t.reset;
    segmentLabel.textContent = t.segment;
    segmentSelect.replaceChildren(
      ...segments.map((g, i) => el("option", { value: String(i), text: `${g[`label_${state.lang}`]} (${g.accounts})` })),
    );
    segmentSelect.value = String(state.segment);
    langButtons.forEach((b) => b.classList.toggle("kam-active", b.dataset.lang === state.lang));
  }

  // ---- chart
  let view = null;
  let embedding = null;
  async function embed() {
    const spec = model.get("spec");
    const options = { ...(spec.usermeta?.embedOptions || {}), actions: false };
    const result = await vegaEmbed(chartBox, spec, options);
    if (view) view.finalize();
    view = result.view;
  }

  // ---- recompute and repaint
  let lastComposites = [];
  let rows = [];
  let syncTimer = null;
  function compute() {
    const weights = segments.map((g, group) => {
      const given = weightsOf(group);
      return criteria.map((c, i) => (g.applies[i] ? Number(given[c.id]) || 0 : 0));
    });
    lastComposites = composites(accounts.norm, weights, axes, accounts.group);
    const sizes = data.sizes[state.sizeBy] || data.sizes.revenue;
    const largest = Math.max(0, ...sizes);
    const t = T();
    rows = [];
    for (let a = 0; a < accounts.account_id.length; a++) {
      const [potential, position] = lastComposites[a];
      const q = quadrant(potential, position, state.cuts);
      if (q === null) continue;
      let shown = true;
      for (const column of Object.keys(selects)) {
        const wanted = state.filters[column];
        if (wanted && accounts[column][a] !== wanted) shown = false;
      }
      if (!shown) continue;
      rows.push({
        account_id: accounts.account_id[a],
        name: accounts.name[a],
        potential,
        position,
        quadrant: q,
        strategy: t.strategies[q],
        size: largest > 0 ? sizes[a] / largest : 0,
        size_value: sizes[a],
        revenue: accounts.revenue[a],
        area: largest > 0 ? (sizes[a] / largest) * layout.maxArea : 0,
        strong: accounts[`strong_${state.lang}`][a],
        weak: accounts[`weak_${state.lang}`][a],
        reference: model.get("reference")[accounts.account_id[a]] ?? null,
      });
    }
    rows.sort((x, y) => y.size - x.size);
    return placeLabels(rows, model.get("label_top"), layout);
  }

  function writeShares() {
    const totals = [0, 0];
    const applies = segments[state.segment].applies;
    const weights = weightsOf(state.segment);
    criteria.forEach((c, i) => (totals[c.axis] += applies[i] ? Number(weights[c.id]) || 0 : 0));
    criteria.forEach((c) => {
      const w = Number(weights[c.id]) || 0;
      const s = sliders[c.id];
      s.shown.textContent = formatNumber(w, state.lang, w < 10 ? 1 : 0);
      s.share.textContent = totals[c.axis] > 0 ? `${formatNumber((100 * w) / totals[c.axis], state.lang)} %` : "–";
    });
    AXES.forEach((axis) => (cutSliders[axis].shown.textContent = formatNumber(state.cuts[axis], state.lang, 2)));
  }

  function writeSide() {
    const t = T();
    const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, { n: 0, revenue: 0 }]));
    let revenue = 0;
    for (const r of rows) {
      byQuadrant[r.quadrant].n += 1;
      byQuadrant[r.quadrant].revenue += r.revenue;
      revenue += r.revenue;
    }
    const table = el("table", { class: "kam-quadrants" }, [
      el("tr", {}, [t.strategy, t.accounts, t.revenue, "%"].map((h) => el("th", { text: h }))),
      ...QUADRANTS.map((q) =>
        el("tr", { "data-quadrant": q }, [
          el("td", { text: t.strategies[q], class: `kam-q-${q}` }),
          el("td", { text: formatNumber(byQuadrant[q].n, state.lang) }),
          el("td", { text: formatNumber(byQuadrant[q].revenue, state.lang) }),
          el("td", { text: revenue > 0 ? formatNumber((100 * byQuadrant[q].revenue) / revenue, state.lang) : "–" }),
        ]),
      ),
    ]);
    const movers = rows.filter((r) => r.reference && r.reference !== r.quadrant);
    const list = el(
      "ul",
      { class: "kam-movers" },
      movers.slice(0, 15).map((r) =>
        el("li", { "data-account": r.account_id, text: `${r.name}: ${t.strategies[r.reference]} → ${t.strategies[r.quadrant]}` }),
      ),
    );
    const more = movers.length > 15 ? [el("p", { text: t.more.replace("{n}", movers.length - 15) })] : [];
    side.replaceChildren(
      el("h4", { text: t.per_quadrant }),
      table,
      el("h4", { text: `${t.movers} (${model.get("reference_name")}): ${movers.length}` }),
      movers.length ? list : el("p", { class: "kam-none", text: t.no_movers }),
      ...more,
    );
  }

  async function repaint(labels) {
    if (!view) return;
    view.change("accounts", view.changeset().remove(() => true).insert(rows));
    view.change("labels", view.changeset().remove(() => true).insert(labels));
    view.signal("cut_potential", state.cuts.potential).signal("cut_position", state.cuts.position);
    await view.runAsync();
    app.dataset.rendered = String(Number(app.dataset.rendered || 0) + 1);
  }

  function syncToKernel() {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => {
      model.set("weights", { ...state.weights });
      model.set("segment_weights", copySegments(state.segmentWeights));
      model.set("cuts", { ...state.cuts });
      model.set("filters", { ...state.filters });
      model.set("size_by", state.sizeBy);
      if (model.get("lang") !== state.lang) model.set("lang", state.lang);
      model.save_changes();
    }, SYNC_MS);
  }

  function refresh() {
    const labels = compute();
    writeShares();
    writeSide();
    const done = repaint(labels);
    syncToKernel();
    return done;
  }

  // Python changes the state (a scenario loaded, a reference chosen, the language's spec rebuilt).
  // Our own model.set() also fires these: only a state that differs from the sliders' is news.
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  model.on("change:weights", () => {
    if (same(model.get("weights"), state.weights)) return;
    state.weights = { ...model.get("weights") };
    setSliders();
    refresh();
  });
  model.on("change:segment_weights", () => {
    if (same(model.get("segment_weights"), state.segmentWeights)) return;
    state.segmentWeights = copySegments(model.get("segment_weights"));
    setSliders();
    refresh();
  });
  model.on("change:cuts", () => {
    if (same(model.get("cuts"), state.cuts)) return;
    state.cuts = { ...model.get("cuts") };
    setSliders();
    refresh();
  });
  model.on("change:filters", () => {
    if (same(model.get("filters"), state.filters)) return;
    state.filters = { ...model.get("filters") };
    writeTexts();
    refresh();
  });
  model.on("change:size_by", () => {
    if (model.get("size_by") === state.sizeBy) return;
    state.sizeBy = model.get("size_by");
    writeTexts();
    refresh();
  });
  model.on("change:lang", () => {
    if (model.get("lang") === state.lang) return;
    state.lang = model.get("lang");
    writeTexts();
    refresh();
  });
  model.on("change:reference", () => refresh());
  model.on("change:reference_name", () => refresh());
  model.on("change:spec", async () => {
    await embed();
    refresh();
  });

  // For tests and for people: the current state and the composites the chart shows.
  app.kamlib = {
    get view() {
      return view;
    },
    state,
    spec: () => model.get("spec"),
    composites: () => accounts.account_id.map((id, a) => ({ account_id: id, potential: lastComposites[a][0], position: lastComposites[a][1] })),
    shown: () => rows.map((r) => ({ ...r })),
    refresh,
  };

  // Tell the kernel the matrix is on a page now: it reads the autosave at this moment, not when it ran the
  // notebook (a preheated kernel runs it before anybody opens the page), and sets the state it finds, which
  // the handlers above put on the sliders. The standalone page has no kernel (and no send).
  if (typeof model.send === "function") model.send({ event: "displayed" });

  writeTexts();
  setSliders();
  embedding = embed();
  await embedding;
  await refresh();
  app.classList.add("kam-ready");
  return () => view && view.finalize();
}

export default { render };
