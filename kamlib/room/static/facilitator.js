// The facilitator's screen: what to ask (accounts × criteria, pairs, 100-point allocations), the answers as
// they arrive, where the group disagrees, the matrix, the weights and the rounds. It polls the board every 0.3 s
// and updates in place; every name and label is a text node (they come from a client's file), numbers for
// reading come as text.
"use strict";
(function () {
  const kam = window.kam;
  const el = kam.el;
  const svg = kam.svg;
  const w = (es, en) => kam.t({ es: es, en: en });
  // n and the word for one or for several: count(1, ["pregunta", "preguntas"], ["question", "questions"]).
  const count = (n, es, en) => `${n} ${w(...[es, en].map((forms) => forms[n === 1 ? 0 : 1]))}`;

  const POLL_MS = 300;
  const SHARES = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4];
  const QUADRANTS = {
    invest: [w("Invertir", "Invest"), "high", "high"],
    selective: [w("Inversión selectiva", "Selective investment"), "high", "low"],
    maintain: [w("Mantener", "Maintain"), "low", "high"],
    milk: [w("Ordeñar", "Milk"), "low", "low"],
  };
  const STATES = {
    pending: w("sin abrir", "not opened"),
    open: w("abierta", "open"),
    closed: w("cerrada", "closed"),
    revealed: w("revelada", "revealed"),
  };
  const STATUS = {
    resolved: w("resuelto", "resolved"),
    persisting: w("persiste", "persists"),
    arisen: w("surge", "arisen"),
    agreed: w("de acuerdo", "agreed"),
    before_only: w("solo 1.ª ronda", "round 1 only"),
    after_only: w("solo última ronda", "latest round only"),
  };
  const AXES = { potential: w("Potencial", "Potential"), position: w("Posición", "Position") };
  const axisName = (axis) => AXES[axis] || axis;

  const ui = {
    board: null,
    selection: new Set(),
    tab: "control",
    qrShown: true,
    inflight: false,
    stopped: false,
    keys: {},
    onlyContested: false,
    timer: null,
    cells: new Map(), // item id → <td> of the control grid
  };

  // ---- the skeleton (built once)

  const header = document.querySelector("header");
  const main = document.getElementById("main");
  const peopleBox = el("div", { class: "f-people" });
  const qrImg = el("img", { class: "f-qr", alt: w("Código QR para unirse", "QR code to join") });
  const qrToggle = el("button", { type: "button", class: "f-qr-toggle", onclick: toggleQr });
  const joinUrl = el("p", { class: "f-url" });
  const joinBox = el("div", { class: "f-join" }, el("div", { class: "f-join-text" }, joinUrl, qrToggle), qrImg);
  const headMain = el("div", { class: "f-head-main" });
  while (header.firstChild) headMain.append(header.firstChild);
  header.append(headMain, peopleBox, joinBox);

  const status = el("div", { class: "f-status", role: "status" });
  const tabs = [
    ["control", w("Preguntas", "Questions")],
    ["results", w("Acuerdo y matriz", "Agreement & matrix")],
    ["weights", w("Pesos", "Weights")],
    ["rounds", w("Rondas y aceptar", "Rounds & accept")],
  ];
  const tabButtons = {};
  const tabBar = el(
    "nav",
    { class: "f-tabs", role: "tablist" },
    tabs.map(([id, label]) => {
      tabButtons[id] = el(
        "button",
        { type: "button", role: "tab", id: `tab-${id}`, "aria-controls": `pane-${id}`, onclick: () => showTab(id) },
        label,
        el("span", { class: "f-badge" })
      );
      return tabButtons[id];
    })
  );

  // control: grid + live answers
  const gridBox = el("div", { class: "f-grid-box" });
  const pairsBox = el("div", { class: "f-pairs-box" });
  const selInfo = el("span", { class: "f-selinfo" });
  const actionButtons = {};
  const ACTIONS = [
    ["open", w("Abrir", "Open"), ["pending", "closed"]],
    ["close", w("Cerrar", "Close"), ["open"]],
    ["reveal", w("Revelar", "Reveal"), ["open", "closed"]],
    ["reopen", w("Nueva ronda", "New round"), ["closed", "revealed"]],
  ];
  const TIPS = {
    open: w("Abrir las elegidas (sin abrir o cerradas) para responder", "Open the selected (not opened or closed) for answers"),
    close: w("Cerrar las elegidas abiertas: no más respuestas", "Close the selected open ones: no more answers"),
    reveal: w("Mostrar a todos las respuestas del grupo", "Show everyone the group's answers"),
    reopen: w("Reabrir las cerradas o reveladas en una nueva ronda", "Reopen the closed or revealed ones in a new round"),
  };
  const toolbar = el(
    "div",
    { class: "f-toolbar" },
    ACTIONS.map(([action, label]) => {
      actionButtons[action] = el(
        "button",
        {
          type: "button",
          class: `f-act f-act-${action}`,
          title: TIPS[action],
          onclick: () => act(action),
        },
        label,
        el("span", { class: "f-count" })
      );
      return actionButtons[action];
    }),
    el("span", { class: "f-sep" }),
    el("button", { type: "button", class: "f-small", onclick: selectOpen }, w("Elegir abiertas", "Select open")),
    el("button", { type: "button", class: "f-small", onclick: clearSelection }, w("Ninguna", "None"))
  );
  const legend = el(
    "p",
    { class: "f-legend" },
    Object.entries(STATES).map(([s, word]) => el("span", { class: `f-key s-${s}` }, word)),
    el("span", { class: "f-key f-key-sel" }, w("elegida", "selected")),
    selInfo,
    el(
      "span",
      { class: "muted" },
      w(
        "Pulse una cuenta, un criterio o una casilla para elegir · n/N: respuestas/presentes",
        "Click an account, a criterion or a cell to select · n/N: answers/present"
      )
    )
  );
  const live = el("div", { class: "f-live-body" });
  const controlPane = el(
    "section",
    { class: "f-pane f-pane-control", id: "pane-control", role: "tabpanel", "aria-labelledby": "tab-control" },
    el(
      "div",
      { class: "f-panel f-panel-grid" },
      el("h2", {}, w("Qué preguntar", "What to ask")),
      toolbar,
      legend,
      pairsBox,
      gridBox
    ),
    el("div", { class: "f-panel f-panel-live" }, el("h2", {}, w("Respuestas en directo", "Live answers")), live)
  );

  // results: agreement + matrix
  const shareSelect = el("select", { id: "f-share", onchange: setShare });
  const onlyBox = el("input", {
    type: "checkbox",
    id: "f-only",
    onchange: () => {
      ui.onlyContested = onlyBox.checked;
      ui.keys.agreement = null;
      render();
    },
  });
  const agreementBody = el("div", { class: "f-agree-body" });
  const agreementNote = el("p", { class: "f-agree-note muted" });
  const matrixBody = el("div", { class: "f-matrix-body" });
  const resultsPane = el(
    "section",
    { class: "f-pane f-pane-results", id: "pane-results", role: "tabpanel", "aria-labelledby": "tab-results" },
    el(
      "div",
      { class: "f-panel f-panel-agree" },
      el("h2", {}, w("Acuerdo", "Agreement")),
      el(
        "div",
        { class: "f-agree-tools" },
        el("label", { for: "f-share" }, w("Umbral de desacuerdo", "Disagreement threshold")),
        shareSelect,
        el("label", { class: "f-check" }, onlyBox, w("solo en desacuerdo", "contested only"))
      ),
      agreementNote,
      agreementBody
    ),
    el("div", { class: "f-panel f-panel-matrix" }, el("h2", {}, w("Matriz de cuentas", "Account matrix")), matrixBody)
  );

  const weightsBody = el("div", { class: "f-weights-body" });
  const weightsPane = el(
    "section",
    { class: "f-pane", id: "pane-weights", role: "tabpanel", "aria-labelledby": "tab-weights" },
    el("div", { class: "f-panel" }, el("h2", {}, w("Pesos de los criterios", "Criteria weights")), weightsBody)
  );
  const roundsBody = el("div", { class: "f-rounds-body" });
  const roundsPane = el(
    "section",
    { class: "f-pane", id: "pane-rounds", role: "tabpanel", "aria-labelledby": "tab-rounds" },
    el(
      "div",
      { class: "f-panel" },
      el("h2", {}, w("Rondas: la primera frente a la última", "Rounds: the first against the latest")),
      roundsBody
    ),
    acceptPanel()
  );
  const panes = { control: controlPane, results: resultsPane, weights: weightsPane, rounds: roundsPane };
  main.append(tabBar, status, controlPane, resultsPane, weightsPane, roundsPane);
  showTab("control");
  setQr(true);
  // The header's height (the QR code comes and goes) for the boxes that fill the rest of the screen.
  const sizeHeader = () => document.body.style.setProperty("--head-h", `${header.offsetHeight}px`);
  if (window.ResizeObserver) new ResizeObserver(sizeHeader).observe(header);
  sizeHeader();

  // ---- a new link for someone who lost theirs: printed where kam workshop runs, never on the projector

  async function reissue(person) {
    const ask = w(
      `¿Un enlace nuevo para ${person.name}? El actual deja de valer; el nuevo se muestra en la ventana de kam workshop.`,
      `A new link for ${person.name}? The current one stops working; the new one shows in the kam workshop window.`
    );
    if (!window.confirm(ask)) return;
    const { status: code, data } = await kam.api("/api/f/reissue", { code: person.code });
    if (code === 200) say("ok", data.said);
    else say("error", (data && data.error) || `HTTP ${code}`);
  }

  // ---- accept: the room's scores into the workbook as a new period, its weights as a scenario

  function acceptPanel() {
    const period = el("input", { type: "text", id: "accept-period", maxlength: 40, required: true, autocomplete: "off" });
    const name = el("input", { type: "text", id: "accept-weights", maxlength: 80, autocomplete: "off" });
    const said = el("p", { class: "f-accept-said", role: "status" });
    const button = el("button", { type: "submit", class: "f-act f-accept-go" }, w("Aceptar", "Accept"));
    async function accept(event) {
      event.preventDefault();
      button.disabled = true;
      said.className = "f-accept-said";
      said.textContent = w("Escribiendo…", "Writing…");
      try {
        const reply = await kam.api("/api/f/accept", { period: period.value.trim(), weights: name.value.trim() || null });
        const ok = reply.status === 200 && reply.data;
        said.className = `f-accept-said ${ok ? "ok" : "error"}`;
        said.textContent = ok ? reply.data.said : (reply.data && reply.data.error) || `HTTP ${reply.status}`;
      } catch (e) {
        said.className = "f-accept-said error";
        said.textContent = w("Sin conexión con el servidor: no se ha escrito nada.", "No connection to the server: nothing was written.");
      } finally {
        button.disabled = false;
      }
    }
    return el(
      "div",
      { class: "f-panel f-accept" },
      el("h2", {}, w("Aceptar lo acordado", "Accept what the room agreed")),
      el(
        "p",
        { class: "muted" },
        w(
          "Las puntuaciones de la ronda actual pasan al libro como un periodo nuevo (una fila por participante; el cliente no cuenta) y, con un nombre, los pesos del grupo pasan a ser un escenario. Se guarda una copia del libro.",
          "The current round's scores go into the workbook as a new period (one row per participant; the customer does not count) and, with a name, the group's weights become a scenario. A copy of the workbook is kept."
        )
      ),
      el(
        "form",
        { class: "f-accept-form", onsubmit: accept },
        el("label", { for: "accept-period" }, w("Periodo nuevo", "New period")),
        period,
        el("label", { for: "accept-weights" }, w("Escenario de pesos (opcional)", "Weights scenario (optional)")),
        name,
        button
      ),
      said
    );
  }

  // ---- small helpers

  function replaceKeepingScroll(box, ...children) {
    const top = box.scrollTop;
    const left = box.scrollLeft;
    box.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
    box.scrollTop = top;
    box.scrollLeft = left;
  }

  function changed(name, value) {
    const key = JSON.stringify(value);
    if (ui.keys[name] === key) return false;
    ui.keys[name] = key;
    return true;
  }

  function say(kind, text) {
    status.className = `f-status ${kind || ""}`;
    status.textContent = text || "";
  }

  function showTab(id) {
    ui.tab = id;
    for (const [key, button] of Object.entries(tabButtons)) {
      button.setAttribute("aria-selected", key === id ? "true" : "false");
      panes[key].hidden = key !== id;
    }
  }

  function toggleQr() {
    setQr(!ui.qrShown);
  }

  function setQr(shown) {
    ui.qrShown = shown;
    qrImg.hidden = !shown;
    joinBox.classList.toggle("f-join-hidden", !shown);
    qrToggle.textContent = shown ? w("Ocultar QR", "Hide QR") : w("Mostrar QR", "Show QR");
    qrToggle.setAttribute("aria-pressed", shown ? "true" : "false");
  }

  async function loadQr() {
    try {
      const response = await fetch("/api/f/qr.svg", { headers: { "X-Kam-Token": kam.token }, cache: "no-store" });
      if (!response.ok) return;
      const text = await response.text();
      const bytes = new TextEncoder().encode(text);
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      qrImg.src = "data:image/svg+xml;base64," + btoa(binary);
    } catch (e) {
      /* the link as text is still there */
    }
  }

  const accountName = (id) => (ui.accountNames && ui.accountNames.get(id)) || id;
  const criterion = (id) => (ui.criteria && ui.criteria.get(id)) || { id: id, label: id, axis: "" };

  function itemLabel(item) {
    if (item.kind === "pair") {
      return `${axisName(item.axis)}: ${criterion(item.a).label} ↔ ${criterion(item.b).label}`;
    }
    if (item.kind === "share") return `${w("Reparto", "Allocation")} · ${criterion(item.criterion).label}`;
    return `${accountName(item.account)} · ${criterion(item.criterion).label}`;
  }

  // How many could answer an item (the server counts those present who may: the customer's people score only our
  // position).
  function expected(item) {
    return item.eligible || 0;
  }

  // A participant's name for their code (their code where they have none yet, or the workshop is anonymous).
  function personName(code, board) {
    const people = board.participants.people || [];
    const found = people.find((p) => p.code === code);
    return (found && found.name) || code;
  }

  // ---- polling

  // poll(): the regular look, skipped while one is in flight; poll(true) after an action: as soon as possible.
  async function poll(soon) {
    if (ui.stopped) return;
    if (ui.inflight) {
      if (soon === true) ui.again = true;
      return;
    }
    ui.again = false;
    ui.inflight = true;
    try {
      const { status: code, data } = await kam.api("/api/f/board");
      if (code === 403) {
        ui.stopped = true;
        clearInterval(ui.timer);
        say("error", (data && data.error) || w("Acceso denegado.", "Access denied."));
        return;
      }
      if (code !== 200 || !data) {
        if (code !== 429) say("warn", (data && data.error) || w("Sin respuesta del servidor…", "No answer from the server…"));
        return;
      }
      if (status.classList.contains("warn")) say("", "");
      ui.board = data;
      render();
    } catch (e) {
      say("warn", w("Sin conexión con el servidor; reintentando…", "No connection to the server; retrying…"));
    } finally {
      ui.inflight = false;
      if (ui.again) poll(true);
    }
  }

  function render() {
    const board = ui.board;
    if (!board) return;
    if (changed("lookups", [board.accounts, board.criteria])) {
      ui.accountNames = new Map(board.accounts.map((a) => [a.id, a.name]));
      ui.criteria = new Map(board.criteria.map((c) => [c.id, c]));
      ui.keys.grid = null;
    }
    renderHeader(board);
    renderGrid(board);
    renderLive(board);
    renderAgreement(board);
    renderMatrix(board);
    renderWeights(board);
    renderRounds(board);
  }

  // ---- 1. the top bar

  function renderHeader(board) {
    const p = board.participants;
    if (changed("people", [p, board.anonymous])) {
      const joined = Array.isArray(p.people) && !board.anonymous ? p.people.filter((x) => x.name) : null;
      replaceKeepingScroll(
        peopleBox,
        el(
          "p",
          { class: "f-joined" },
          el("strong", {}, String(p.joined)),
          ` ${w("de", "of")} ${p.total} `,
          w("se han unido", "have joined")
        ),
        joined && joined.length
          ? el(
              "ul",
              { class: "f-names" },
              joined.map((person) =>
                el(
                  "li",
                  {},
                  el(
                    "button",
                    {
                      type: "button",
                      class: "f-person",
                      title: w("Enlace nuevo (si lo ha perdido)", "New link (if lost)"),
                      onclick: () => reissue(person),
                    },
                    person.name
                  )
                )
              )
            )
          : null,
        board.anonymous ? el("p", { class: "f-anon" }, w("Taller anónimo", "Anonymous workshop")) : null
      );
    }
    if (joinUrl.textContent !== board.join_url) {
      joinUrl.textContent = board.join_url;
      loadQr();
    }
  }

  // ---- 2. what to ask

  function renderGrid(board) {
    if (changed("grid", [board.accounts, board.criteria, board.items.map((i) => [i.item, i.kind, i.axis, i.a, i.b, i.criterion])])) {
      buildGrid(board);
    }
    const byId = new Map();
    for (const item of board.items) {
      byId.set(item.item, item);
      const ref = ui.cells.get(item.item);
      if (!ref) continue;
      const td = ref.td;
      const n = expected(item);
      const text = item.state === "pending" && !item.answered ? "" : `${item.answered}/${n}`;
      const cls = `f-cell s-${item.state}${ui.selection.has(item.item) ? " sel" : ""}${item.round > 1 ? " r2" : ""}`;
      if (td.className !== cls) td.className = cls;
      if (ref.n.textContent !== text) ref.n.textContent = text;
      const round = item.round > 1 ? `R${item.round}` : "";
      if (ref.r.textContent !== round) ref.r.textContent = round;
      const title = `${itemLabel(item)} — ${STATES[item.state] || item.state}, ${w("ronda", "round")} ${item.round}: ${
        item.answered
      }/${n}`;
      if (td.title !== title) td.title = title;
    }
    for (const id of [...ui.selection]) if (!byId.has(id)) ui.selection.delete(id);
    ui.items = byId;
    renderSelection(board);
  }

  function buildGrid(board) {
    ui.cells = new Map();
    const criteria = board.criteria;
    const number = new Map(criteria.map((c, i) => [c.id, i + 1]));
    const scoreAt = new Map();
    const pairsByAxis = new Map();
    const sharesByAxis = new Map();
    for (const item of board.items) {
      if (item.kind === "score") scoreAt.set(`${item.account}\u0000${item.criterion}`, item.item);
      else {
        const byAxis = item.kind === "share" ? sharesByAxis : pairsByAxis;
        if (!byAxis.has(item.axis)) byAxis.set(item.axis, []);
        byAxis.get(item.axis).push(item);
      }
    }
    const cell = (id) => {
      const n = el("span", { class: "f-n" });
      const r = el("sup");
      const td = el("td", { class: "f-cell", dataset: { item: id } }, n, r);
      ui.cells.set(id, { td: td, n: n, r: r });
      return td;
    };
    // axis groups over the columns
    const groups = [];
    for (const c of criteria) {
      const last = groups[groups.length - 1];
      if (last && last.axis === c.axis) last.n += 1;
      else groups.push({ axis: c.axis, n: 1 });
    }
    const table = el(
      "table",
      { class: "f-grid" },
      el(
        "thead",
        {},
        el(
          "tr",
          { class: "f-axes" },
          el(
            "th",
            { rowspan: 2, class: "f-corner", dataset: { all: "1" }, title: w("Elegir todo / nada", "Select all / none") },
            w("Cuenta \\ criterio", "Account \\ criterion")
          ),
          groups.map((g) => el("th", { colspan: g.n, class: `f-axis ax-${g.axis}` }, axisName(g.axis)))
        ),
        el(
          "tr",
          {},
          criteria.map((c) =>
            el(
              "th",
              { class: `f-crit ax-${c.axis}`, dataset: { criterion: c.id }, title: c.label, scope: "col" },
              el("span", { class: "f-vert" }, `${number.get(c.id)}. ${c.label}`)
            )
          )
        )
      ),
      el(
        "tbody",
        {},
        board.accounts.map((a) =>
          el(
            "tr",
            {},
            el("th", { class: "f-acc", dataset: { account: a.id }, scope: "row", title: a.name }, a.name),
            criteria.map((c) => {
              const id = scoreAt.get(`${a.id}\u0000${c.id}`);
              return id === undefined ? el("td", { class: "f-none" }) : cell(id);
            })
          )
        )
      )
    );
    table.addEventListener("click", onGridClick);
    replaceKeepingScroll(gridBox, table);

    const rows = [...pairsByAxis.entries()].map(([axis, items]) =>
      el(
        "tr",
        {},
        el(
          "th",
          { class: "f-acc", dataset: { axis: axis }, scope: "row" },
          `${w("Pares", "Pairs")} · ${axisName(axis)}`
        ),
        items.map((item) => {
          const td = cell(item.item);
          td.prepend(el("span", { class: "f-pairname" }, `${number.get(item.a)}–${number.get(item.b)}`));
          return td;
        })
      )
    );
    // the 100-point allocations: an item per criterion of the axis, opened and closed together
    for (const [axis, items] of sharesByAxis) {
      rows.push(
        el(
          "tr",
          { class: "f-share-row" },
          el(
            "th",
            { class: "f-acc", dataset: { shareAxis: axis }, scope: "row", title: w("Reparto de 100 puntos", "100-point allocation") },
            `${w("Reparto 100", "100 points")} · ${axisName(axis)}`
          ),
          items.map((item) => {
            const td = cell(item.item);
            const c = criterion(item.criterion);
            td.prepend(el("span", { class: "f-pairname" }, number.has(item.criterion) ? String(number.get(item.criterion)) : c.label));
            return td;
          })
        )
      );
    }
    if (rows.length) {
      const pairs = el("table", { class: "f-grid f-pairs" }, el("tbody", {}, rows));
      pairs.addEventListener("click", onGridClick);
      pairsBox.replaceChildren(pairs);
    } else pairsBox.replaceChildren();
  }

  function onGridClick(event) {
    const target = event.target.closest("td, th");
    if (!target || !ui.board) return;
    const items = ui.board.items;
    let ids = [];
    const d = target.dataset;
    if (d.item) {
      const item = items.find((i) => i.item === Number(d.item));
      // an allocation's items go together: a cell of it chooses its whole axis
      ids = item && item.kind === "share"
        ? items.filter((i) => i.kind === "share" && i.axis === item.axis).map((i) => i.item)
        : [Number(d.item)];
    }
    else if (d.account) ids = items.filter((i) => i.kind === "score" && i.account === d.account).map((i) => i.item);
    else if (d.criterion) ids = items.filter((i) => i.kind === "score" && i.criterion === d.criterion).map((i) => i.item);
    else if (d.axis) ids = items.filter((i) => i.kind === "pair" && i.axis === d.axis).map((i) => i.item);
    else if (d.shareAxis) ids = items.filter((i) => i.kind === "share" && i.axis === d.shareAxis).map((i) => i.item);
    else if (d.all) {
      if (ui.selection.size) ui.selection.clear();
      else items.forEach((i) => ui.selection.add(i.item));
      renderGrid(ui.board);
      renderLive(ui.board);
      return;
    } else return;
    const all = ids.every((id) => ui.selection.has(id));
    for (const id of ids) {
      if (all) ui.selection.delete(id);
      else ui.selection.add(id);
    }
    renderGrid(ui.board);
    renderLive(ui.board);
  }

  function applicable(action) {
    const from = ACTIONS.find((a) => a[0] === action)[2];
    const ids = [];
    for (const id of ui.selection) {
      const item = ui.items && ui.items.get(id);
      if (item && from.includes(item.state)) ids.push(id);
    }
    return ids;
  }

  function renderSelection(board) {
    for (const [action] of ACTIONS) {
      const n = applicable(action).length;
      const button = actionButtons[action];
      button.disabled = n === 0;
      const text = n ? ` (${n})` : "";
      if (button.lastChild.textContent !== text) button.lastChild.textContent = text;
    }
    const open = board.items.filter((i) => i.state === "open").length;
    const text = `${w("Elegidas", "Selected")}: ${ui.selection.size} · ${w("abiertas", "open")}: ${open}`;
    if (selInfo.textContent !== text) selInfo.textContent = text;
  }

  async function act(action) {
    const ids = applicable(action);
    if (!ids.length) return;
    for (const b of Object.values(actionButtons)) b.disabled = true;
    try {
      const { status: code, data } = await kam.api("/api/f/items", { action: action, items: ids });
      if (code === 200 && data) {
        say("ok", `${ACTIONS.find((a) => a[0] === action)[1]}: ${count(data.moved, ["pregunta", "preguntas"], ["question", "questions"])}`);
      } else {
        say("error", (data && data.error) || `${w("Error", "Error")} ${code}`);
      }
    } catch (e) {
      say("error", w("No se pudo enviar; compruebe la conexión.", "Could not send; check the connection."));
    }
    poll(true);
  }

  function selectOpen() {
    if (!ui.board) return;
    ui.selection.clear();
    ui.board.items.filter((i) => i.state === "open").forEach((i) => ui.selection.add(i.item));
    render();
  }

  function clearSelection() {
    ui.selection.clear();
    if (ui.board) render();
  }

  // ---- 3. answers live

  function renderLive(board) {
    const chosen = ui.selection.size
      ? board.items.filter((i) => ui.selection.has(i.item))
      : board.items.filter((i) => i.state === "open");
    const shown = chosen.slice(0, 80);
    const data = shown.map((i) => [i.item, i.state, i.round, i.answered, i.dont_know, i.who]);
    if (!changed("live", [data, chosen.length, board.participants.joined, board.customers, board.anonymous])) return;
    if (!chosen.length) {
      replaceKeepingScroll(
        live,
        el(
          "p",
          { class: "muted" },
          w(
            "No hay preguntas abiertas ni elegidas. Elija casillas a la izquierda y pulse «Abrir».",
            "No open or selected questions. Select cells on the left and press “Open”."
          )
        )
      );
      return;
    }
    let answered = 0;
    let possible = 0;
    for (const i of chosen) {
      answered += i.answered;
      possible += expected(i);
    }
    const summary = el(
      "p",
      { class: "f-live-sum" },
      ui.selection.size ? w("Elegidas", "Selected") : w("Abiertas", "Open"),
      `: ${chosen.length} · `,
      el("strong", {}, `${answered} ${w("de", "of")} ${possible}`),
      ` ${w("respuestas", "answers")}`
    );
    const list = el(
      "ul",
      { class: "f-live-list" },
      shown.map((item) => {
        const n = expected(item);
        const bar = el("span", { class: "f-bar" }, el("span", { class: "f-bar-fill" }));
        bar.firstChild.style.width = `${n ? Math.min(100, (100 * item.answered) / n) : 0}%`;
        const who =
          !board.anonymous && Array.isArray(item.who) && item.who.length
            ? item.who.map((code) => personName(code, board)).join(", ")
            : null;
        return el(
          "li",
          { class: `f-live-item s-${item.state}` },
          el(
            "div",
            { class: "f-live-head" },
            el("span", { class: "f-live-label" }, itemLabel(item)),
            el("span", { class: `f-state s-${item.state}` }, STATES[item.state] || item.state),
            item.round > 1 ? el("span", { class: "f-round" }, `${w("ronda", "round")} ${item.round}`) : null
          ),
          el(
            "div",
            { class: "f-live-count" },
            bar,
            el("span", { class: "f-live-n", dataset: { item: item.item } }, `${item.answered} ${w("de", "of")} ${n}`),
            item.dont_know ? el("span", { class: "f-dk" }, `${item.dont_know} ${w("no sabe", "don't know")}`) : null
          ),
          who ? el("p", { class: "f-who" }, `${w("Han respondido", "Answered")}: ${who}`) : null
        );
      }),
      chosen.length > shown.length
        ? el("li", { class: "muted" }, `… ${w("y", "and")} ${chosen.length - shown.length} ${w("más", "more")}`)
        : null
    );
    replaceKeepingScroll(live, summary, list);
  }

  // ---- 4. agreement

  async function setShare() {
    const share = Number(shareSelect.value);
    try {
      const { status: code, data } = await kam.api("/api/f/threshold", { share: share });
      if (code !== 200) say("error", (data && data.error) || `${w("Error", "Error")} ${code}`);
      else say("", "");
    } catch (e) {
      say("error", w("No se pudo enviar; compruebe la conexión.", "Could not send; check the connection."));
    }
    poll(true);
  }

  function renderAgreement(board) {
    const share = board.threshold.share;
    if (changed("shares", share)) {
      const values = SHARES.includes(share) ? SHARES : [...SHARES, share].sort((a, b) => a - b);
      shareSelect.replaceChildren(
        ...values.map((v) =>
          el("option", { value: v, selected: Math.abs(v - share) < 1e-9 }, `${Math.round(v * 1000) / 10} %`)
        )
      );
      shareSelect.value = String(share);
    }
    const cells = board.cells || [];
    const contested = cells.filter((c) => c.contested);
    const badge = tabButtons.results.lastChild;
    const badgeText = contested.length ? String(contested.length) : "";
    if (badge.textContent !== badgeText) badge.textContent = badgeText;
    if (!changed("agreement", [cells, share, board.anonymous, ui.onlyContested])) return;
    agreementNote.textContent = `${count(
      cells.length,
      ["casilla con respuestas", "casillas con respuestas"],
      ["cell with answers", "cells with answers"]
    )} · ${contested.length} ${w("en desacuerdo", "contested")} · ${w(
      "en desacuerdo: el rango supera el umbral (en puntos de cada escala)",
      "contested: the range exceeds the threshold (in points of each scale)"
    )}`;
    const shown = ui.onlyContested ? contested : cells;
    if (!shown.length) {
      replaceKeepingScroll(
        agreementBody,
        el("p", { class: "muted" }, w("Aún no hay puntuaciones.", "No scores yet."))
      );
      return;
    }
    const rows = shown.map((c) => {
      const bar = el("span", { class: "f-spread" }, el("span", { class: "f-spread-fill" }), el("span", { class: "f-spread-cut" }));
      bar.children[0].style.width = `${Math.min(100, c.range_share * 100)}%`;
      bar.children[1].style.left = `${Math.min(100, share * 100)}%`;
      const outliers =
        !board.anonymous && Array.isArray(c.outliers) && c.outliers.length
          ? c.outliers.map((code) => personName(code, board)).join(", ")
          : "";
      return el(
        "tr",
        { class: c.contested ? "f-contested" : "" },
        el("th", { scope: "row" }, el("span", { class: "f-acc-name" }, accountName(c.account)), el("span", { class: "f-crit-name" }, c.label)),
        el("td", { class: "f-num" }, String(c.n)),
        el("td", { class: "f-num" }, c.mean, el("span", { class: "f-minmax" }, `${c.min} – ${c.max}`)),
        el(
          "td",
          {},
          bar,
          c.contested
            ? el("span", { class: "f-flag" }, `${w("rango", "range")} ${c.range} > ${c.threshold}`)
            : el("span", { class: "f-range" }, `${w("rango", "range")} ${c.range} ≤ ${c.threshold}`)
        ),
        el("td", { class: "f-outliers" }, outliers)
      );
    });
    replaceKeepingScroll(
      agreementBody,
      el(
        "table",
        { class: "f-table f-agree" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, w("Cuenta · criterio", "Account · criterion")),
            el("th", { scope: "col", class: "f-num" }, "n"),
            el("th", { scope: "col", class: "f-num" }, w("media", "mean"), el("span", { class: "f-minmax" }, w("mín – máx", "min – max"))),
            el("th", { scope: "col" }, w("dispersión", "spread")),
            el("th", { scope: "col" }, board.anonymous ? "" : w("atípicos", "outliers"))
          )
        ),
        el("tbody", {}, rows)
      )
    );
  }

  // ---- 5. the matrix

  function renderMatrix(board) {
    const m = board.matrix;
    if (!m || !changed("matrix", m)) return;
    const L = 70;
    const T = 20;
    const S = 600;
    const x = (v) => L + (Math.max(0, Math.min(10, v)) / 10) * S;
    const y = (v) => T + (1 - Math.max(0, Math.min(10, v)) / 10) * S;
    const cx = x(m.cuts.potential);
    const cy = y(m.cuts.position);
    const g = svg("g", {});
    // quadrants
    const area = {
      high: [cx, x(10)],
      low: [x(0), cx],
    };
    const vert = { high: [y(10), cy], low: [cy, y(0)] };
    const seen = new Set(m.accounts.map((a) => a.quadrant));
    for (const id of Object.keys(QUADRANTS).concat([...seen].filter((q) => !QUADRANTS[q]))) {
      const spec = QUADRANTS[id];
      if (!spec) continue;
      const [name, px, py] = spec;
      const [x0, x1] = area[px];
      const [y0, y1] = vert[py];
      g.append(svg("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: `q q-${id}` }));
      g.append(
        svg(
          "text",
          {
            x: px === "high" ? x1 - 10 : x0 + 10,
            y: py === "high" ? y0 + 28 : y1 - 14,
            "text-anchor": px === "high" ? "end" : "start",
            class: "q-name",
          },
          name
        )
      );
    }
    // axes and ticks
    g.append(svg("rect", { x: L, y: T, width: S, height: S, class: "frame" }));
    for (let v = 0; v <= 10; v += 2) {
      g.append(svg("text", { x: x(v), y: T + S + 24, "text-anchor": "middle", class: "tick" }, String(v)));
      g.append(svg("text", { x: L - 10, y: y(v) + 6, "text-anchor": "end", class: "tick" }, String(v)));
    }
    g.append(svg("line", { x1: cx, y1: T, x2: cx, y2: T + S, class: "cut" }));
    g.append(svg("line", { x1: L, y1: cy, x2: L + S, y2: cy, class: "cut" }));
    g.append(svg("text", { x: L + S / 2, y: T + S + 52, "text-anchor": "middle", class: "axis-name" }, `${AXES.potential} →`));
    g.append(
      svg(
        "text",
        { x: 0, y: 0, transform: `translate(22 ${T + S / 2}) rotate(-90)`, "text-anchor": "middle", class: "axis-name" },
        `${AXES.position} →`
      )
    );
    // accounts: faded first, emphasised on top
    const ordered = [...m.accounts].sort((a, b) => Number(a.scored_here || a.ring) - Number(b.scored_here || b.ring));
    const labels = [];
    for (const a of ordered) {
      const strong = a.scored_here || a.ring;
      const group = svg("g", { class: `acct ${strong ? "strong" : "faded"} q-${a.quadrant}` });
      const px = x(a.potential);
      const py = y(a.position);
      if (Array.isArray(a.cross) && a.cross.length === 4) {
        const [p0, p1, s0, s1] = a.cross;
        if (p1 > p0) group.append(svg("line", { x1: x(p0), y1: py, x2: x(p1), y2: py, class: "cross" }));
        if (s1 > s0) group.append(svg("line", { x1: px, y1: y(s0), x2: px, y2: y(s1), class: "cross" }));
      }
      if (a.customer_position !== null && a.customer_position !== undefined) {
        const dy = y(a.customer_position);
        group.append(svg("line", { x1: px, y1: py, x2: px, y2: dy, class: "cust-line" }));
        group.append(
          svg("polygon", { points: `${px},${dy - 8} ${px + 8},${dy} ${px},${dy + 8} ${px - 8},${dy}`, class: "cust" })
        );
      }
      if (a.ring) group.append(svg("circle", { cx: px, cy: py, r: 15, class: "ring" }));
      group.append(
        svg(
          "circle",
          { cx: px, cy: py, r: strong ? 8 : 6, class: "dot" },
          svg("title", {}, `${a.name}: ${a.text}${QUADRANTS[a.quadrant] ? " · " + QUADRANTS[a.quadrant][0] : ""}`)
        )
      );
      g.append(group);
      if (strong) labels.push({ a: a, px: px, py: py });
    }
    // names of the emphasised accounts, nudged apart vertically
    labels.sort((p, q) => p.py - q.py);
    const placed = [];
    for (const l of labels) {
      const right = l.px < L + S * 0.62;
      let ly = l.py + 6;
      for (const other of placed) {
        if (other.right === right && Math.abs(other.px - l.px) < 220 && Math.abs(other.ly - ly) < 20) ly = other.ly + 20;
      }
      placed.push({ px: l.px, ly: ly, right: right });
      g.append(
        svg(
          "text",
          { x: right ? l.px + 14 : l.px - 14, y: ly, "text-anchor": right ? "start" : "end", class: "acct-name" },
          l.a.name
        )
      );
    }
    const chart = svg(
      "svg",
      {
        viewBox: `0 0 ${L + S + 20} ${T + S + 64}`,
        class: "f-matrix",
        role: "img",
        "aria-label": w("Matriz: potencial frente a posición", "Matrix: potential against position"),
      },
      g
    );
    const sym = (...children) => svg("svg", { viewBox: "0 0 40 24", class: "f-sym", "aria-hidden": "true" }, ...children);
    const legend = el(
      "ul",
      { class: "f-matrix-legend" },
      el(
        "li",
        {},
        sym(svg("circle", { cx: 20, cy: 12, r: 6, class: "dot strong-dot" })),
        w("puntuada en este taller", "scored in this workshop")
      ),
      el(
        "li",
        {},
        sym(svg("circle", { cx: 20, cy: 12, r: 5, class: "dot faded-dot" })),
        w("puntuaciones previas del libro", "earlier scores from the workbook")
      ),
      el(
        "li",
        {},
        sym(
          svg("line", { x1: 4, y1: 12, x2: 36, y2: 12, class: "cross" }),
          svg("line", { x1: 20, y1: 1, x2: 20, y2: 23, class: "cross" }),
          svg("circle", { cx: 20, cy: 12, r: 4, class: "dot strong-dot" })
        ),
        w("cruz: de quien la ve más baja a quien la ve más alta", "cross: from the lowest to the highest view")
      ),
      el(
        "li",
        {},
        sym(svg("circle", { cx: 20, cy: 12, r: 9, class: "ring" }), svg("circle", { cx: 20, cy: 12, r: 4, class: "dot strong-dot" })),
        w("anillo: su cuadrante depende de a quién se pregunte", "ring: its quadrant depends on who is asked")
      ),
      el(
        "li",
        {},
        sym(
          svg("line", { x1: 8, y1: 12, x2: 30, y2: 12, class: "cust-line" }),
          svg("polygon", { points: "30,5 37,12 30,19 23,12", class: "cust" })
        ),
        w("rombo: la visión del cliente (posición)", "diamond: the customer's view (position)")
      )
    );
    replaceKeepingScroll(matrixBody, el("div", { class: "f-matrix-wrap" }, chart), legend);
  }

  // ---- 6. weights

  function renderWeights(board) {
    const weights = board.weights || {};
    if (!changed("weights", [weights, board.anonymous, board.participants.people])) return;
    const axes = Object.entries(weights).filter(([, data]) => data && Array.isArray(data.criteria) && data.criteria.length > 1);
    if (!axes.length) {
      replaceKeepingScroll(
        weightsBody,
        el("p", { class: "muted" }, w("No hay comparaciones por pares ni repartos.", "No pairwise comparisons or allocations."))
      );
      return;
    }
    const blocks = axes.map(([axis, data]) => {
      // an axis compared in pairs has its AHP part ("complete"); one only allocated in 100 points has not
      const ahp = "complete" in data || data.group ? ahpWeights(axis, data, board) : [el("h3", {}, axisName(axis))];
      return el("div", { class: "f-weights-axis" }, ahp, data.allocation ? allocationWeights(data, board) : null);
    });
    replaceKeepingScroll(weightsBody, blocks);
  }

  // The group's weights of an axis as bars, the longest full width, each with its percentage as the server wrote it.
  function weightBars(criteria, values, texts, label, className) {
    const given = values || {};
    const top = Math.max(0.0001, ...Object.values(given));
    return el(
      "div",
      { class: className },
      criteria.map((c) => {
        const bar = el("span", { class: "f-wbar" }, el("span", { class: "f-wbar-fill" }));
        bar.firstChild.style.width = `${(100 * (given[c.id] || 0)) / top}%`;
        return el(
          "div",
          { class: "f-wrow" },
          el("span", { class: "f-wlabel" }, label(c)),
          bar,
          el("span", { class: "f-wtext" }, (texts || {})[c.id] || "")
        );
      })
    );
  }

  // An axis's 100-point allocation: the group's mean weights, its homogeneity S, each participant's points.
  function allocationWeights(data, board) {
    const alloc = data.allocation;
    const number = new Map(board.criteria.map((c, i) => [c.id, i + 1]));
    const label = (c) => `${number.has(c.id) ? number.get(c.id) + ". " : ""}${c.label}`;
    const bars = weightBars(data.criteria, alloc.group_values, alloc.group, label, "f-wbars f-alloc-bars");
    const people = Array.isArray(alloc.participants) ? alloc.participants : [];
    const table = people.length
      ? el(
          "div",
          { class: "f-alloc-table-box" },
          el(
            "table",
            { class: "f-table f-alloc" },
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                el("th", { scope: "col" }, w("Participante", "Participant")),
                data.criteria.map((c) =>
                  el("th", { scope: "col", class: "f-num", title: c.label }, number.has(c.id) ? String(number.get(c.id)) : c.label)
                )
              )
            ),
            el(
              "tbody",
              {},
              people.map((p, i) =>
                el(
                  "tr",
                  {},
                  el("th", { scope: "row" }, !board.anonymous && p.code ? personName(p.code, board) : `#${i + 1}`),
                  data.criteria.map((c) => el("td", { class: "f-num" }, (p.points || {})[c.id] ?? "—"))
                )
              )
            )
          )
        )
      : null;
    return el(
      "div",
      { class: "f-alloc-weights" },
      el(
        "h4",
        {},
        w("Reparto de 100 puntos", "100-point allocation"),
        el(
          "span",
          { class: "f-complete" },
          ` · ${count(alloc.complete || 0, ["persona ha repartido", "personas han repartido"], ["person allocated", "people allocated"])}`
        )
      ),
      bars,
      el(
        "p",
        { class: "f-consensus" },
        `${w("Homogeneidad", "Homogeneity")} S: `,
        alloc.consensus
          ? el("strong", {}, alloc.consensus)
          : el("span", { class: "muted" }, w("hacen falta al menos 2 repartos", "needs at least 2 allocations"))
      ),
      table
    );
  }

  // An axis compared in pairs (AHP): the group's weights, its consensus S*, each participant's consistency ratio.
  function ahpWeights(axis, data, board) {
    const head = el(
      "h3",
      {},
      axisName(axis),
      el(
        "span",
        { class: "f-complete" },
        ` · ${data.complete || 0} ${w(
          data.complete === 1 ? "comparación completa" : "comparaciones completas",
          data.complete === 1 ? "complete set" : "complete sets"
        )}`
      )
    );
    if (!data.group || !data.complete) {
      return [
        head,
        el(
          "p",
          { class: "muted" },
          w(
            "Los pesos del grupo aparecen cuando alguien ha respondido todos los pares de este eje.",
            "The group's weights appear once someone has answered every pair of this axis."
          )
        ),
      ];
    }
    const bars = weightBars(data.criteria, data.group_values, data.group, (c) => c.label, "f-wbars");
    const people = Array.isArray(data.participants) ? data.participants : [];
    const crTable = people.length
      ? el(
          "table",
          { class: "f-table f-cr" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", { scope: "col" }, w("Participante", "Participant")),
              el("th", { scope: "col", class: "f-num" }, w("RC", "CR")),
              el("th", { scope: "col" }, w("Consistencia", "Consistency"))
            )
          ),
          el(
            "tbody",
            {},
            people.map((p, i) =>
              el(
                "tr",
                { class: p.consistent ? "" : "f-inconsistent" },
                el("th", { scope: "row" }, !board.anonymous && p.code ? p.code : `#${i + 1}`),
                el("td", { class: "f-num" }, p.cr),
                el(
                  "td",
                  {},
                  p.consistent
                    ? el("span", { class: "f-okmark" }, `✓ ${w("consistente", "consistent")}`)
                    : el("span", { class: "f-warnmark" }, `⚠ ${w("inconsistente", "inconsistent")}`),
                  Array.isArray(p.worst) && p.worst.length && !p.consistent
                    ? el("span", { class: "f-worst" }, `${w("revisar", "check")}: ${p.worst.join("; ")}`)
                    : null
                )
              )
            )
          )
        )
      : null;
    return [
      head,
      bars,
      data.consensus
        ? el("p", { class: "f-consensus" }, `${w("Consenso", "Consensus")} S*: `, el("strong", {}, data.consensus))
        : null,
      crTable,
    ];
  }

  // ---- 7. rounds

  function renderRounds(board) {
    const rounds = board.rounds || [];
    const badge = tabButtons.rounds.lastChild;
    const text = rounds.length ? String(rounds.length) : "";
    if (badge.textContent !== text) badge.textContent = text;
    if (!changed("rounds", rounds)) return;
    if (!rounds.length) {
      replaceKeepingScroll(
        roundsBody,
        el(
          "p",
          { class: "muted" },
          w(
            "Aún no hay segundas rondas: elija preguntas reveladas o cerradas y pulse «Nueva ronda».",
            "No second rounds yet: select revealed or closed questions and press “New round”."
          )
        )
      );
      return;
    }
    replaceKeepingScroll(
      roundsBody,
      el(
        "table",
        { class: "f-table f-rounds" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, w("Criterio", "Criterion")),
            el("th", { scope: "col" }, w("Cuenta", "Account")),
            el("th", { scope: "col" }, w("Rango 1.ª → última", "Range 1st → latest")),
            el("th", { scope: "col" }, w("Mediana 1.ª → última", "Median 1st → latest")),
            el("th", { scope: "col" }, w("Estado", "Status"))
          )
        ),
        el(
          "tbody",
          {},
          rounds.map((r) =>
            el(
              "tr",
              {},
              el("th", { scope: "row" }, r.label),
              el("td", {}, accountName(r.account)),
              el("td", { class: "f-num" }, `${r.before ?? "—"} → ${r.after ?? "—"}`),
              el("td", { class: "f-num" }, `${r.median_before ?? "—"} → ${r.median_after ?? "—"}`),
              el("td", {}, el("span", { class: `f-status-word st-${r.status}` }, STATUS[r.status] || r.status))
            )
          )
        )
      )
    );
  }

  poll();
  ui.timer = setInterval(() => poll(false), POLL_MS);
})();
