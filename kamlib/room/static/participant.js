// A participant's page (/p?t=TOKEN): the items the facilitator opened, one answer each saved one by one (a 100-point
// allocation saved whole).
//
// The page asks /api/p/state every two seconds with the version it last drew (204: nothing changed) and draws
// each item as a card kept between polls (a card is rebuilt only when its item changes round, state or group), so
// a control someone is touching stays put. An answer is shown as saved only after the server's 200; a network
// failure keeps retrying and says so. Every name and label is a text node (kam.el), never markup.
"use strict";
(function () {
  const { el, t, api, lang } = window.kam;
  const main = document.getElementById("main");
  const POLL_MS = 2000;
  const AXES = {
    potential: { es: "Potencial de negocio de la cuenta", en: "Account business potential" },
    position: { es: "Posición como proveedor", en: "Our position as supplier" },
  };
  const numberFormat = new Intl.NumberFormat(lang === "en" ? "en-GB" : "es-ES", { maximumFractionDigits: 2 });

  // ---- page state
  let version = null;       // the version last drawn (the server's items_version)
  let data = null;          // the last state drawn
  let stopped = false;      // a 403: the link is not valid, nothing more to ask
  let polling = false;
  let pollAgain = false;
  let failures = 0;
  const cards = new Map();  // item id -> card {item, key, node, sync(mine), status(kind, text), ...}
  const groups = new Map(); // account id -> {node, heading, list}
  const saves = new Map();  // item id -> {busy, want}
  const confirmed = new Map(); // item id -> {round, mine, at}: answers the server took, newer than a state read
  const refusals = new Map(); // item id -> the server's message when it refused an answer as closed or moved

  // ---- the page's frame, built once
  const greeting = el("p", { class: "greeting" });
  const sideNote = el("p", { class: "note side-note", hidden: true });
  const connection = el("p", { class: "warn connection", role: "status" });
  const flash = el("p", { class: "error flash", role: "alert" });
  const waiting = el("p", { class: "waiting", hidden: true },
    el("span", { class: "waiting-dot", "aria-hidden": "true" }),
    t({ es: "Esperando a que quien facilita abra preguntas…", en: "Waiting for the facilitator to open items…" }));
  const scoresProgress = el("p", { class: "progress muted" });
  const scoresList = el("div", { class: "accounts" });
  const scoresSection = el("section", { class: "scores", hidden: true, "aria-labelledby": "scores-heading" },
    el("h2", { id: "scores-heading" }, t({ es: "Puntuaciones", en: "Scores" })),
    scoresProgress, scoresList);
  const weightsProgress = el("p", { class: "progress muted" });
  const weightsList = el("div", { class: "axes" });
  const pairsIntro = el("p", { class: "muted intro" }, t({
    es: "Compare los criterios de dos en dos: ¿cuál importa más, y cuántas veces más?",
    en: "Compare the criteria two at a time: which matters more, and how many times more?",
  }));
  const weightsSection = el("section", { class: "weights", hidden: true, "aria-labelledby": "weights-heading" },
    el("h2", { id: "weights-heading" }, t({ es: "Pesos de los criterios", en: "Weights of the criteria" })),
    pairsIntro, weightsProgress, weightsList);
  const axisBlocks = new Map(); // axis -> {node, consistency, list, alloc}
  const allocations = new Map(); // axis -> its 100-point allocation card (the axis's share entries, saved as a whole)
  const loading = el("p", { class: "muted loading" }, t({ es: "Cargando…", en: "Loading…" }));
  main.append(greeting, sideNote, connection, flash, loading, waiting, scoresSection, weightsSection);

  // ---- small helpers
  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  function num(value) { return numberFormat.format(value); }

  // A judgement "a is v times as important as b" as people say it: "3", "1/3".
  function ratioText(value) {
    if (value >= 1) return num(Math.round(value * 100) / 100);
    return "1/" + num(Math.round((1 / value) * 100) / 100);
  }

  function criterionOf(id) {
    return (data && data.criteria.find((c) => c.id === id)) || { id: id, label: id, min: 0, max: 10, anchors: [] };
  }

  function isIntegerScale(c) {
    return Number.isInteger(c.min) && Number.isInteger(c.max) && c.max - c.min <= 10 && c.max > c.min;
  }

  // Keep `parent`'s children as `nodes`, touching the DOM only when they differ (a focused control keeps focus).
  function setChildren(parent, nodes) {
    const now = parent.children;
    if (now.length === nodes.length && nodes.every((n, i) => now[i] === n)) return;
    parent.replaceChildren(...nodes);
  }

  const STATE_WORDS = {
    open: { es: "abierta", en: "open" },
    closed: { es: "cerrada", en: "closed" },
    revealed: { es: "resultados", en: "results" },
  };

  function badge(state) {
    return el("span", { class: "badge badge-" + state }, t(STATE_WORDS[state] || { es: state, en: state }));
  }

  function savedText(mine, show) {
    if (!mine) return "";
    const what = mine.dont_know ? t({ es: "no sé", en: "don't know" }) : show(mine.value);
    return "✓ " + t({ es: "Guardado: ", en: "Saved: " }) + what;
  }

  // ---- saving an answer: the latest choice wins, retried until the server says yes or no
  function submit(card, body) {
    const id = card.item;
    const save = saves.get(id) || { busy: false, want: null };
    saves.set(id, save);
    save.want = Object.assign({ item: id, round: card.round }, body);
    card.status("saving", t({ es: "Guardando…", en: "Saving…" }));
    if (!save.busy) pump(id, save);
  }

  // Post `body` to `path` until the server answers it: no connection or a 5xx is retried with a growing pause, a
  // 429 after a second, and `card()` (the card showing it, or null) says so meanwhile. Resolves the reply, or null
  // when `save.want` changed meanwhile (a newer choice, to be sent instead).
  async function deliver(path, save, want, body, card) {
    let delay = 1000;
    for (;;) {
      let reply = null;
      try { reply = await api(path, body); } catch (e) { reply = null; }
      if (save.want !== want) return null;
      const here = card();
      if (!reply || reply.status >= 500) {
        if (here) here.status("retry", t({ es: "Sin guardar: sin conexión, reintentando…", en: "Not saved: no connection, retrying…" }));
        await sleep(delay);
        delay = Math.min(delay * 2, 8000);
        continue;
      }
      if (reply.status === 429) {
        if (here) here.status("retry", t({ es: "Sin guardar todavía: reintentando…", en: "Not saved yet: retrying…" }));
        await sleep(1000);
        continue;
      }
      return reply;
    }
  }

  async function pump(id, save) {
    save.busy = true;
    while (save.want) {
      const body = save.want;
      const shown = () => {
        const card = cards.get(id);
        return card && card.round === body.round ? card : null;
      };
      const reply = await deliver("/api/p/answer", save, body, body, shown);
      if (reply === null) continue; // a newer choice came meanwhile: send that one
      const here = shown();
      save.want = null;
      if (reply.status === 200 && reply.data) {
        const mine = { value: reply.data.value, dont_know: reply.data.dont_know === true };
        confirmed.set(id, { round: reply.data.round, mine: mine, at: performance.now() });
        remember(id, reply.data.round, mine);
        if (here) here.saved(mine);
        if (here && here.kind === "pair") poll(true); // the consistency ratio is worked out by the server
        break;
      }
      const message = (reply.data && reply.data.error) ||
        t({ es: "No se guardó (error " + reply.status + ").", en: "Not saved (error " + reply.status + ")." });
      if (here) here.refused(message);
      else showFlash(message);
      if (reply.status === 409 || reply.status === 404) {
        refusals.set(id, message); // shown again on the card the refresh draws
        poll(true);
      }
    }
    save.busy = false;
  }

  // Keep the last state's own answer in step with what the server took.
  function remember(id, round, mine) {
    if (!data) return;
    for (const entry of data.scores.concat(data.pairs, data.shares || [])) {
      if (entry.item === id && entry.round === round) entry.mine = mine;
    }
    updateProgress();
  }

  let flashTimer = null;
  function showFlash(text) {
    flash.textContent = text;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => { flash.textContent = ""; }, 8000);
  }

  // ---- the parts every card has
  function cardFrame(entry, kind, title, extra) {
    const status = el("p", { class: "status", role: "status" });
    const node = el("article", { class: "card card-" + kind + " state-" + entry.state, dataset: { item: entry.item } });
    const card = {
      item: entry.item, round: entry.round, state: entry.state, kind: kind, node: node, statusNode: status,
      status: function (how, text) {
        status.className = "status status-" + how;
        status.textContent = text;
      },
    };
    node.append(el("div", { class: "card-head" }, el("h4", {}, title), extra, badge(entry.state)));
    return card;
  }

  function groupStrip(group, mine, show) {
    const values = group.values || [];
    let ownMarked = false;
    const chips = values.map((v) => {
      const own = !ownMarked && mine && !mine.dont_know && mine.value !== null && Math.abs(mine.value - v) < 1e-9;
      if (own) ownMarked = true;
      return el("li", { class: own ? "chip chip-own" : "chip", title: own ? t({ es: "la suya", en: "yours" }) : null }, show(v));
    });
    if (group.dont_know) {
      chips.push(el("li", { class: "chip chip-dk" }, t({ es: "No sé", en: "Don't know" }), " × ", String(group.dont_know)));
    }
    const total = values.length + (group.dont_know || 0);
    return el("div", { class: "group" },
      el("p", { class: "group-head" },
        t({ es: "Respuestas del grupo", en: "The group's answers" }), " ",
        el("span", { class: "muted" }, "(" + total + ")")),
      total ? el("ul", { class: "chips" }, chips)
        : el("p", { class: "muted" }, t({ es: "Nadie respondió.", en: "Nobody answered." })));
  }

  function ownLine(mine, show) {
    const what = !mine ? t({ es: "sin respuesta", en: "no answer" })
      : mine.dont_know ? t({ es: "no sé", en: "don't know" }) : show(mine.value);
    return el("p", { class: "own" }, t({ es: "Su respuesta: ", en: "Your answer: " }), el("strong", {}, what));
  }

  // ---- a score card
  function scoreCard(entry) {
    const c = criterionOf(entry.criterion);
    const scale = el("span", { class: "scale" }, num(c.min) + "–" + num(c.max));
    const card = cardFrame(entry, "score", c.label, scale);
    const anchorItems = c.anchors.map((a) => el("li", { dataset: { score: a.score } },
      el("span", { class: "anchor-score" }, a.score_text), el("span", { class: "anchor-text" }, a.text)));
    const anchors = anchorItems.length ? el("ul", { class: "anchors", "aria-label": t({ es: "Guía de puntuación", en: "Scoring guide" }) }, anchorItems) : null;
    const show = (v) => (v === null || v === undefined ? "" : num(v));
    let current = entry.mine;

    function markAnchors(mine) {
      for (const li of anchorItems) {
        li.classList.toggle("anchor-chosen", !!mine && !mine.dont_know && Number(li.dataset.score) === mine.value);
      }
    }

    if (entry.state !== "open") {
      card.node.append(anchors || "", ownLine(entry.mine, show));
      markAnchors(entry.mine);
      if (entry.state === "revealed" && entry.group) card.node.append(groupStrip(entry.group, entry.mine, show));
      card.node.append(card.statusNode);
      card.sync = function () {};
      return card;
    }

    const dk = el("button", { type: "button", class: "dont-know", "aria-pressed": "false" }, t({ es: "No sé", en: "Don't know" }));
    let buttons = [];
    let field = null;
    let controls;
    if (isIntegerScale(c)) {
      for (let v = c.min; v <= c.max; v++) {
        const b = el("button", { type: "button", class: "point", "aria-pressed": "false", dataset: { value: v },
          "aria-label": c.label + ": " + v }, String(v));
        b.addEventListener("click", () => choose({ value: v, dont_know: false }));
        buttons.push(b);
      }
      controls = el("div", { class: "points", role: "group", "aria-label": c.label }, buttons);
    } else {
      field = el("input", { type: "text", inputmode: "decimal", class: "number", autocomplete: "off",
        "aria-label": c.label + " (" + num(c.min) + "–" + num(c.max) + ")", placeholder: num(c.min) + "–" + num(c.max) });
      const save = el("button", { type: "button", class: "save" }, t({ es: "Guardar", en: "Save" }));
      const go = function () {
        const text = field.value.trim();
        const value = /^[-+]?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(",", ".")) : NaN;
        if (!Number.isFinite(value)) {
          card.status("error", t({ es: "Escriba un número de " + num(c.min) + " a " + num(c.max) + ", o pulse «No sé».",
            en: "Type a number from " + num(c.min) + " to " + num(c.max) + ", or press “Don't know”." }));
          return;
        }
        if (value < c.min || value > c.max) {
          card.status("error", t({ es: "Fuera de la escala: se admite de " + num(c.min) + " a " + num(c.max) + ".",
            en: "Outside the scale: allowed from " + num(c.min) + " to " + num(c.max) + "." }));
          return;
        }
        choose({ value: value, dont_know: false });
      };
      save.addEventListener("click", go);
      field.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); go(); } });
      field.addEventListener("input", () => { field.classList.add("dirty"); });
      controls = el("div", { class: "number-row" }, field, save);
    }
    dk.addEventListener("click", () => choose({ value: null, dont_know: true }));

    function show_(mine) {
      for (const b of buttons) {
        b.setAttribute("aria-pressed", String(!!mine && !mine.dont_know && Number(b.dataset.value) === mine.value));
      }
      dk.setAttribute("aria-pressed", String(!!mine && mine.dont_know));
      markAnchors(mine);
    }

    function choose(mine) {
      show_(mine);
      if (field && mine.dont_know) field.value = "";
      submit(card, mine.dont_know ? { dont_know: true } : { value: mine.value });
    }

    card.saved = function (mine) {
      current = mine;
      show_(mine);
      if (field) {
        field.classList.remove("dirty");
        if (document.activeElement !== field) field.value = mine.dont_know ? "" : String(num(mine.value));
      }
      card.status("saved", savedText(mine, show));
    };
    card.refused = function (message) {
      show_(current);
      card.status("error", message);
    };
    card.sync = function (mine) {
      const save = saves.get(card.item);
      if (save && save.busy) return;
      current = mine;
      show_(mine);
      if (field && document.activeElement !== field && !field.classList.contains("dirty")) {
        field.value = mine && !mine.dont_know ? String(num(mine.value)) : "";
      }
      if (mine) card.status("saved", savedText(mine, show));
      else card.status("none", "");
    };
    card.node.append(anchors || "", el("div", { class: "answer" }, controls, el("div", { class: "dk-row" }, dk)),
      card.statusNode);
    card.sync(entry.mine);
    return card;
  }

  // ---- a pair card: a slider from "A much more important" (left) to "B much more important" (right)
  function position(value) { // a judgement a/b -> the slider's position
    if (value === null || value === undefined) return 0;
    if (value >= 1) return -Math.min(8, Math.round(value) - 1);
    return Math.min(8, Math.round(1 / value) - 1);
  }

  function judgement(pos) { // the slider's position -> a judgement a/b
    if (pos === 0) return 1;
    if (pos < 0) return -pos + 1;
    return 1 / (pos + 1);
  }

  function liveText(pos, a, b) {
    if (pos === 0) return t({ es: a + " y " + b + " son igual de importantes", en: a + " and " + b + " are equally important" });
    const [more, less, k] = pos < 0 ? [a, b, -pos + 1] : [b, a, pos + 1];
    return t({ es: more + " es " + k + " veces más importante que " + less,
      en: more + " is " + k + " times as important as " + less });
  }

  function pairCard(entry) {
    const a = criterionOf(entry.a).label;
    const b = criterionOf(entry.b).label;
    const title = [a, el("span", { class: "vs" }, t({ es: " frente a ", en: " vs " })), b];
    const card = cardFrame(entry, "pair", title, null);
    const show = ratioText;
    if (entry.state !== "open") {
      const own = entry.mine && !entry.mine.dont_know ? el("p", { class: "live" }, liveText(position(entry.mine.value), a, b)) : null;
      card.node.append(ownLine(entry.mine, show), own || "");
      if (entry.state === "revealed" && entry.group) {
        card.node.append(groupStrip(entry.group, entry.mine, show),
          el("p", { class: "muted small" }, t({ es: "Cada número: cuántas veces más importa " + a + " que " + b + ".",
            en: "Each number: how many times " + a + " matters as much as " + b + "." })));
      }
      card.node.append(card.statusNode);
      card.sync = function () {};
      return card;
    }
    let current = entry.mine;
    let dirty = false;
    const live = el("p", { class: "live", "aria-hidden": "true" });
    const range = el("input", { type: "range", min: -8, max: 8, step: 1, value: 0, class: "judge",
      "aria-label": a + t({ es: " frente a ", en: " vs " }) + b });
    const save = el("button", { type: "button", class: "save primary" }, t({ es: "Guardar", en: "Save" }));
    const dk = el("button", { type: "button", class: "dont-know", "aria-pressed": "false" }, t({ es: "No sé", en: "Don't know" }));

    function draw() {
      const pos = Number(range.value);
      const text = liveText(pos, a, b);
      live.textContent = text;
      range.setAttribute("aria-valuetext", text);
      // the filled part of the track, from the middle towards the thumb
      range.style.setProperty("--from", ((Math.min(pos, 0) + 8) / 16 * 100) + "%");
      range.style.setProperty("--to", ((Math.max(pos, 0) + 8) / 16 * 100) + "%");
    }

    function showMine(mine) {
      dk.setAttribute("aria-pressed", String(!!mine && mine.dont_know));
      card.node.classList.toggle("is-dk", !!mine && mine.dont_know);
      if (!dirty) {
        range.value = String(mine && !mine.dont_know ? position(mine.value) : 0);
        draw();
      }
    }

    range.addEventListener("input", () => {
      dirty = true;
      draw();
      card.node.classList.remove("is-dk");
      card.status("dirty", t({ es: "Sin guardar: pulse «Guardar».", en: "Not saved: press “Save”." }));
    });
    save.addEventListener("click", () => {
      const value = judgement(Number(range.value));
      dk.setAttribute("aria-pressed", "false");
      submit(card, { value: value });
    });
    dk.addEventListener("click", () => {
      dirty = false;
      dk.setAttribute("aria-pressed", "true");
      card.node.classList.add("is-dk");
      submit(card, { dont_know: true });
    });

    card.saved = function (mine) {
      current = mine;
      dirty = false;
      showMine(mine);
      card.status("saved", mine.dont_know ? savedText(mine, show) : "✓ " + t({ es: "Guardado", en: "Saved" }));
    };
    card.refused = function (message) {
      showMine(current);
      card.status("error", message);
    };
    card.sync = function (mine) {
      const pending = saves.get(card.item);
      if (pending && pending.busy) return;
      current = mine;
      showMine(mine);
      if (dirty) return;
      if (mine) card.saved(mine);
      else card.status("none", t({ es: "Sin responder todavía.", en: "Not answered yet." }));
    };

    card.node.append(
      el("div", { class: "ends", "aria-hidden": "true" },
        el("span", { class: "end end-a" }, "← " + a),
        el("span", { class: "end end-mid" }, t({ es: "igual", en: "equal" })),
        el("span", { class: "end end-b" }, b + " →")),
      range, live,
      el("div", { class: "actions" }, save, dk),
      card.statusNode);
    card.sync(entry.mine);
    return card;
  }

  // ---- a 100-point allocation: an axis's criteria share 100 points, saved as a whole (one share entry each)
  const TOTAL = 100;
  const STEP = 5;

  function allocationState(entries) {
    if (entries.some((e) => e.state === "open")) return "open";
    return entries.some((e) => e.state === "revealed") ? "revealed" : "closed";
  }

  // The field's points: 0 when empty, NaN when it is no number.
  function fieldPoints(field) {
    if (field.validity && field.validity.badInput) return NaN;
    const text = field.value.trim().replace(",", ".");
    if (text === "") return 0;
    return /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  }

  function submitAllocation(card, body) {
    const key = "alloc:" + card.axis;
    const save = saves.get(key) || { busy: false, want: null };
    saves.set(key, save);
    save.want = {
      body: Object.assign({ axis: card.axis, round: card.round }, body),
      items: card.entries.map((e) => [e.criterion, e.item]),
    };
    card.status("saving", t({ es: "Guardando…", en: "Saving…" }));
    if (!save.busy) pumpAllocation(card.axis, save);
  }

  async function pumpAllocation(axis, save) {
    save.busy = true;
    while (save.want) {
      const want = save.want;
      const body = want.body;
      const shown = () => {
        const card = allocations.get(axis);
        return card && card.round === body.round ? card : null;
      };
      const reply = await deliver("/api/p/allocation", save, want, body, shown);
      if (reply === null) continue; // a newer allocation came meanwhile: send that one
      const here = shown();
      save.want = null;
      if (reply.status === 200 && reply.data) {
        const dk = reply.data.dont_know === true;
        const taken = Array.isArray(reply.data.items) ? new Set(reply.data.items) : null;
        const at = performance.now();
        for (const [criterion, id] of want.items) {
          if (taken && !taken.has(id)) continue;
          const mine = dk ? { value: null, dont_know: true } : { value: body.points[criterion], dont_know: false };
          confirmed.set(id, { round: body.round, mine: mine, at: at });
          remember(id, body.round, mine);
        }
        if (here) here.saved(dk);
        break;
      }
      const message = (reply.data && reply.data.error) ||
        t({ es: "No se guardó (error " + reply.status + ").", en: "Not saved (error " + reply.status + ")." });
      if (here) here.refused(message);
      else showFlash(message);
      if (reply.status === 409 || reply.status === 404) {
        refusals.set("alloc:" + axis, message); // shown again on the card the refresh draws
        poll(true);
      }
    }
    save.busy = false;
  }

  function allocationCard(axis, entries) {
    const state = allocationState(entries);
    const round = (entries.find((e) => e.state === "open") || entries[0]).round;
    const card = cardFrame({ item: "alloc-" + axis, round: round, state: state }, "share",
      t({ es: "Reparto de 100 puntos", en: "100-point allocation" }), null);
    card.axis = axis;
    card.entries = entries;
    const show = (v) => (v === null || v === undefined ? "" : num(v));

    if (state !== "open") {
      const answered = entries.some((e) => e.mine);
      const dk = entries.some((e) => e.mine && e.mine.dont_know);
      const revealed = state === "revealed";
      const group = (entries.find((e) => e.group) || {}).group;
      card.node.append(el("p", { class: "own" }, t({ es: "Su reparto", en: "Your allocation" }),
        answered && !dk ? ":" : el("strong", {}, ": ", !answered ? t({ es: "sin respuesta", en: "no answer" })
          : t({ es: "no sé", en: "don't know" }))));
      if (revealed && group) {
        const people = (group.values || []).length;
        card.node.append(el("p", { class: "group-head" }, t({ es: "Respuestas del grupo", en: "The group's answers" }), " ",
          el("span", { class: "muted" }, "(" + people + (group.dont_know ? t({ es: "; no sabe: ", en: "; don't know: " }) + group.dont_know : "") + ")")),
          el("p", { class: "muted small" }, t({
            es: "Barra gris: la media del grupo; marca azul: sus puntos; debajo, los puntos de cada persona.",
            en: "Grey bar: the group's mean; blue mark: your points; below, each person's points.",
          })));
      }
      const rows = entries.map((entry) => {
        const c = criterionOf(entry.criterion);
        const mine = entry.mine && !entry.mine.dont_know ? entry.mine.value : null;
        const values = (entry.group && entry.group.values) || [];
        const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
        const nums = el("span", { class: "alloc-nums" },
          el("span", { class: "alloc-own" }, el("span", { class: "muted" }, t({ es: "usted ", en: "you " })),
            el("strong", {}, mine === null ? "—" : show(mine))));
        const row = el("li", { class: "alloc-view" }, el("span", { class: "alloc-label" }, c.label), nums);
        if (revealed && entry.group) {
          const bar = el("span", { class: "alloc-bar alloc-bar-group", "aria-hidden": "true" },
            el("span", { class: "alloc-fill" }), mine === null ? null : el("span", { class: "alloc-tick" }));
          bar.firstChild.style.width = Math.min(100, mean || 0) + "%";
          if (mine !== null) bar.lastChild.style.left = Math.min(100, mine) + "%";
          let ownMarked = false;
          const chips = values.map((v) => {
            const own = !ownMarked && mine !== null && Math.abs(mine - v) < 1e-9;
            if (own) ownMarked = true;
            return el("li", { class: own ? "chip chip-own" : "chip", title: own ? t({ es: "el suyo", en: "yours" }) : null }, show(v));
          });
          nums.append(el("span", { class: "alloc-mean" }, el("span", { class: "muted" }, t({ es: "media ", en: "mean " })),
            el("strong", {}, mean === null ? "—" : num(Math.round(mean * 10) / 10))));
          row.append(
            bar,
            chips.length ? el("ul", { class: "chips alloc-chips", "aria-label": t({ es: "Puntos de cada persona", en: "Each person's points" }) }, chips) : null);
        }
        return row;
      });
      card.node.append(el("ul", { class: "alloc-rows alloc-readonly" }, rows), card.statusNode);
      card.sync = function () {};
      return card;
    }

    let dirty = false;
    const intro = el("p", { class: "muted small alloc-intro" }, t({
      es: "Reparta 100 puntos entre los criterios: más puntos, más importa.",
      en: "Share 100 points among the criteria: more points, more weight.",
    }));
    const rows = entries.map((entry) => {
      const c = criterionOf(entry.criterion);
      const field = el("input", { type: "number", min: 0, max: TOTAL, step: 1, inputmode: "numeric", class: "alloc-input",
        autocomplete: "off", placeholder: "0", "aria-label": c.label + t({ es: ": puntos (0–100)", en: ": points (0–100)" }) });
      const minus = el("button", { type: "button", class: "alloc-step", "aria-label": c.label + t({ es: ": 5 puntos menos", en: ": 5 points fewer" }) }, "−5");
      const plus = el("button", { type: "button", class: "alloc-step", "aria-label": c.label + t({ es: ": 5 puntos más", en: ": 5 points more" }) }, "+5");
      const bar = el("span", { class: "alloc-bar", "aria-hidden": "true" }, el("span", { class: "alloc-fill" }));
      const row = el("li", { class: "alloc-row" },
        el("label", { class: "alloc-label" }, c.label),
        el("span", { class: "alloc-controls" }, minus, field, plus), bar);
      row.firstChild.addEventListener("click", () => field.focus());
      const step = (by) => {
        const now = fieldPoints(field);
        field.value = String(Math.max(0, Math.min(TOTAL, Math.round(Number.isFinite(now) ? now : 0) + by)));
        edited();
      };
      minus.addEventListener("click", () => step(-STEP));
      plus.addEventListener("click", () => step(STEP));
      field.addEventListener("input", edited);
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); if (!save.disabled) save.click(); }
      });
      return { criterion: entry.criterion, field: field, row: row, fill: bar.firstChild };
    });
    const total = el("p", { class: "alloc-total", "aria-live": "polite" });
    const save = el("button", { type: "button", class: "save primary" }, t({ es: "Guardar", en: "Save" }));
    const dk = el("button", { type: "button", class: "dont-know", "aria-pressed": "false" }, t({ es: "No sé", en: "Don't know" }));

    // The running total, each row's bar, and Save only at exactly 100.
    function update() {
      let sum = 0;
      let bad = false;
      for (const r of rows) {
        const v = fieldPoints(r.field);
        const wrong = !Number.isFinite(v) || v < 0 || v > TOTAL;
        r.row.classList.toggle("alloc-bad", wrong);
        if (wrong) bad = true;
        else sum += v;
        r.fill.style.width = (wrong ? 0 : v) + "%";
      }
      sum = Math.round(sum * 1000) / 1000;
      const gap = Math.round((TOTAL - sum) * 1000) / 1000;
      let text;
      let how;
      if (bad) {
        text = t({ es: "Revise los puntos: cada criterio de 0 a 100.", en: "Check the points: each criterion from 0 to 100." });
        how = "bad";
      } else if (gap === 0) {
        text = "✓ " + num(TOTAL);
        how = "ok";
      } else {
        text = num(sum) + t({ es: " de ", en: " of " }) + num(TOTAL) + " — " + (gap > 0
          ? t({ es: "faltan " + num(gap), en: num(gap) + " left" })
          : t({ es: "sobran " + num(-gap), en: num(-gap) + " too many" }));
        how = gap > 0 ? "short" : "over";
      }
      total.className = "alloc-total alloc-total-" + how;
      total.replaceChildren(t({ es: "Total: ", en: "Total: " }), el("strong", {}, text));
      save.disabled = bad || gap !== 0;
    }

    function edited() {
      dirty = true;
      update();
      card.node.classList.remove("is-dk");
      dk.setAttribute("aria-pressed", "false");
      card.status("dirty", t({ es: "Sin guardar: pulse «Guardar».", en: "Not saved: press “Save”." }));
    }

    // The fields from the server's answers (not while someone is typing).
    function fill(entries_) {
      const byCriterion = new Map(entries_.map((e) => [e.criterion, e.mine]));
      for (const r of rows) {
        const mine = byCriterion.get(r.criterion);
        const text = mine && !mine.dont_know && mine.value !== null ? String(mine.value) : "";
        if (r.field.value !== text) r.field.value = text;
      }
      const isDk = entries_.some((e) => e.mine && e.mine.dont_know);
      dk.setAttribute("aria-pressed", String(isDk));
      card.node.classList.toggle("is-dk", isDk);
      update();
    }

    save.addEventListener("click", () => {
      update();
      if (save.disabled) return;
      const points = {};
      for (const r of rows) points[r.criterion] = fieldPoints(r.field);
      dk.setAttribute("aria-pressed", "false");
      submitAllocation(card, { points: points });
    });
    dk.addEventListener("click", () => {
      dirty = false;
      dk.setAttribute("aria-pressed", "true");
      card.node.classList.add("is-dk");
      submitAllocation(card, { dont_know: true });
    });

    card.saved = function (isDk) {
      dirty = false;
      dk.setAttribute("aria-pressed", String(isDk));
      card.node.classList.toggle("is-dk", isDk);
      card.status("saved", "✓ " + (isDk ? t({ es: "Guardado: no sé", en: "Saved: don't know" }) : t({ es: "Guardado", en: "Saved" })));
    };
    card.refused = function (message) {
      card.status("error", message);
    };
    card.sync = function (entries_) {
      card.entries = entries_;
      const pending = saves.get("alloc:" + axis);
      if (pending && pending.busy) return;
      if (dirty) return;
      fill(entries_);
      const answered = entries_.every((e) => e.mine);
      if (answered) card.saved(entries_.some((e) => e.mine.dont_know));
      else card.status("none", t({ es: "Sin guardar todavía.", en: "Not saved yet." }));
    };

    card.node.append(intro, el("ul", { class: "alloc-rows" }, rows.map((r) => r.row)), total,
      el("div", { class: "actions" }, save, dk), card.statusNode);
    card.sync(entries);
    return card;
  }

  function allocationFor(axis, entries, started) {
    for (const entry of entries) { // answers the server took, newer than this read
      const taken = confirmed.get(entry.item);
      if (taken && taken.round === entry.round && taken.at > started) entry.mine = taken.mine;
    }
    const key = [axis].concat(entries.map((e) => [e.item, e.criterion, e.round, e.state, JSON.stringify(e.group)].join(":"))).join("|");
    const old = allocations.get(axis);
    if (old && old.key === key) {
      old.sync(entries);
      return old;
    }
    const card = allocationCard(axis, entries);
    card.key = key;
    if (refusals.has("alloc:" + axis)) {
      card.status("error", refusals.get("alloc:" + axis));
      refusals.delete("alloc:" + axis);
    }
    allocations.set(axis, card);
    return card;
  }

  // ---- drawing a state
  function cardFor(entry, kind, started) {
    const key = [entry.item, entry.round, entry.state, JSON.stringify(entry.group)].join("|");
    let mine = entry.mine;
    const taken = confirmed.get(entry.item);
    if (taken && taken.round === entry.round && taken.at > started) mine = taken.mine; // newer than this read
    entry.mine = mine;
    const old = cards.get(entry.item);
    if (old && old.key === key) {
      old.sync(mine);
      return old;
    }
    const card = kind === "score" ? scoreCard(entry) : pairCard(entry);
    card.key = key;
    if (refusals.has(entry.item)) {
      card.status("error", refusals.get(entry.item));
      refusals.delete(entry.item);
    }
    cards.set(entry.item, card);
    return card;
  }

  function accountGroup(id, name) {
    let group = groups.get(id);
    if (!group) {
      const heading = el("h3", {});
      const list = el("div", { class: "cards" });
      group = { node: el("section", { class: "account" }, heading, list), heading: heading, list: list };
      groups.set(id, group);
    }
    if (group.heading.textContent !== name) group.heading.textContent = name;
    return group;
  }

  function axisBlock(axis) {
    let block = axisBlocks.get(axis);
    if (!block) {
      const consistency = el("div", { class: "consistency", role: "status" });
      const list = el("div", { class: "cards" });
      const alloc = el("div", { class: "cards alloc-slot" });
      block = { node: el("section", { class: "axis" }, el("h3", {}, t(AXES[axis] || { es: axis, en: axis })), list, consistency, alloc),
        consistency: consistency, list: list, alloc: alloc };
      axisBlocks.set(axis, block);
    }
    return block;
  }

  function consistencyView(axis, result, open) {
    if (!result) {
      if (!open) return [];
      return [el("p", { class: "muted" }, t({
        es: "Cuando haya respondido todas las comparaciones de este eje verá aquí su consistencia.",
        en: "Once you have answered every comparison of this axis, your consistency shows here.",
      }))];
    }
    const line = t({ es: "Su razón de consistencia: ", en: "Your consistency ratio: " }) + result.cr;
    if (result.consistent) return [el("p", { class: "ok" }, line + " ✓")];
    const out = [el("strong", {}, line + " — " + t({ es: "poco consistente", en: "not consistent" }))];
    if (result.worst) {
      const w = result.worst;
      out.push(el("br"), t({
        es: "Mire de nuevo " + w.a + " frente a " + w.b + ": dijo " + w.said + ", sus otras respuestas sugieren " + w.suggested + ".",
        en: "Look again at " + w.a + " vs " + w.b + ": you said " + w.said + ", your other answers suggest " + w.suggested + ".",
      }));
    }
    return [el("p", { class: "warn" }, out)];
  }

  function updateProgress() {
    if (!data) return;
    const count = (list) => {
      const open = list.filter((e) => e.state === "open");
      return [open.filter((e) => e.mine).length, open.length];
    };
    const [s1, s2] = count(data.scores);
    const [p1, p2] = count(data.pairs);
    const openAxes = new Map(); // axis -> saved (every open share entry of it has an answer of its round)
    for (const e of data.shares || []) {
      if (e.state === "open") openAxes.set(e.axis, (openAxes.has(e.axis) ? openAxes.get(e.axis) : true) && !!e.mine);
    }
    const a2 = openAxes.size;
    const a1 = [...openAxes.values()].filter(Boolean).length;
    scoresProgress.textContent = s2 ? t({ es: "Respondidas " + s1 + " de " + s2 + " abiertas.", en: s1 + " of " + s2 + " open items answered." }) : "";
    weightsProgress.textContent = [
      p2 ? t({ es: "Respondidas " + p1 + " de " + p2 + " abiertas.", en: p1 + " of " + p2 + " open items answered." }) : "",
      a2 ? t({ es: "Repartos guardados: " + a1 + " de " + a2 + ".", en: "Allocations saved: " + a1 + " of " + a2 + "." }) : "",
    ].filter(Boolean).join(" ");
  }

  function render(state, started) {
    const scrollY = window.scrollY;
    data = state;
    loading.remove();
    greeting.textContent = t({ es: "Hola, ", en: "Hello, " }) + state.me.name + ".";
    const customer = state.me.side === "customer";
    sideNote.hidden = !customer;
    sideNote.textContent = customer ? t({
      es: "Usted participa como cliente: puntúe la posición de su proveedor tal como usted la ve.",
      en: "You take part as the customer: score your supplier's position as you see it.",
    }) : "";

    const seen = new Set();
    // scores, by account in the server's order
    const byAccount = new Map();
    for (const entry of state.scores) {
      if (!byAccount.has(entry.account)) byAccount.set(entry.account, []);
      byAccount.get(entry.account).push(entry);
    }
    const accountNodes = [];
    for (const [account, entries] of byAccount) {
      const group = accountGroup(account, (state.accounts && state.accounts[account]) || account);
      const nodes = entries.map((entry) => { seen.add(entry.item); return cardFor(entry, "score", started).node; });
      setChildren(group.list, nodes);
      accountNodes.push(group.node);
    }
    for (const id of [...groups.keys()]) if (!byAccount.has(id)) groups.delete(id);
    setChildren(scoresList, accountNodes);
    scoresSection.hidden = state.scores.length === 0;

    // pairs and 100-point allocations, by axis
    const shares = state.shares || [];
    const byAxis = new Map();
    const sharesByAxis = new Map();
    for (const entry of state.pairs) {
      if (!byAxis.has(entry.axis)) byAxis.set(entry.axis, []);
      byAxis.get(entry.axis).push(entry);
    }
    for (const entry of shares) {
      if (!byAxis.has(entry.axis)) byAxis.set(entry.axis, []);
      if (!sharesByAxis.has(entry.axis)) sharesByAxis.set(entry.axis, []);
      sharesByAxis.get(entry.axis).push(entry);
    }
    const axisNodes = [];
    for (const [axis, entries] of byAxis) {
      const block = axisBlock(axis);
      const own = sharesByAxis.get(axis);
      setChildren(block.alloc, own ? [allocationFor(axis, own, started).node] : []);
      const nodes = entries.map((entry) => { seen.add(entry.item); return cardFor(entry, "pair", started).node; });
      setChildren(block.list, nodes);
      const open = entries.some((e) => e.state === "open");
      const result = (state.consistency || {})[axis];
      block.consistency.replaceChildren(...consistencyView(axis, result, open));
      const worst = result && !result.consistent ? result.worst : null;
      for (const entry of entries) { // mark the judgement that most needs a second look
        const again = !!worst && criterionOf(entry.a).label === worst.a && criterionOf(entry.b).label === worst.b;
        cards.get(entry.item).node.classList.toggle("look-again", again);
      }
      axisNodes.push(block.node);
    }
    for (const axis of [...axisBlocks.keys()]) if (!byAxis.has(axis)) axisBlocks.delete(axis);
    for (const axis of [...allocations.keys()]) if (!sharesByAxis.has(axis)) allocations.delete(axis);
    setChildren(weightsList, axisNodes);
    weightsSection.hidden = state.pairs.length === 0 && shares.length === 0;
    pairsIntro.hidden = state.pairs.length === 0;

    for (const id of [...cards.keys()]) if (!seen.has(id)) cards.delete(id);
    const anyOpen = state.scores.concat(state.pairs, shares).some((e) => e.state === "open");
    waiting.hidden = anyOpen;
    updateProgress();
    if (Math.abs(window.scrollY - scrollY) > 1) window.scrollTo(0, scrollY);
  }

  function fatal(message) {
    stopped = true;
    main.replaceChildren(el("p", { class: "error" }, message),
      el("p", { class: "muted" }, t({ es: "Pida un enlace nuevo a quien facilita.", en: "Ask the facilitator for a new link." })));
  }

  // ---- polling
  async function poll(force) {
    if (stopped) return;
    if (polling) { if (force) pollAgain = true; return; }
    polling = true;
    const started = performance.now();
    try {
      const path = "/api/p/state" + (version !== null && !force ? "?v=" + encodeURIComponent(version) : "");
      const reply = await api(path);
      if (reply.status === 200 && reply.data) {
        failures = 0;
        connection.textContent = "";
        version = reply.data.version;
        render(reply.data, started);
      } else if (reply.status === 204) {
        failures = 0;
        connection.textContent = "";
      } else if (reply.status === 403) {
        fatal((reply.data && reply.data.error) ||
          t({ es: "Este enlace no es válido.", en: "This link is not valid." }));
      } else if (reply.status !== 429) {
        connection.textContent = (reply.data && reply.data.error) ||
          t({ es: "El servidor respondió con un error (" + reply.status + "); reintentando…",
            en: "The server answered with an error (" + reply.status + "); retrying…" });
      }
    } catch (e) {
      failures += 1;
      if (failures >= 2) {
        connection.textContent = t({ es: "Sin conexión con el servidor: reintentando…", en: "No connection to the server: retrying…" });
      }
    }
    polling = false;
    if (pollAgain) { pollAgain = false; poll(true); }
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(false); });
  setInterval(() => { if (!document.hidden) poll(false); }, POLL_MS);
  poll(false);
})();
