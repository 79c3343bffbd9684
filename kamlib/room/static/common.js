// What every workshop page shares: its token, the server's JSON, and building the page from data without ever
// reading data as HTML (names and labels come from a client's file: they are always text nodes).
"use strict";
window.kam = (function () {
  const lang = document.body.dataset.lang === "en" ? "en" : "es";
  const params = new URLSearchParams(window.location.search);
  const token = params.get("t") || "";

  // el("p", {class: "x", onclick: f}, "text", child, …): an element; strings become text nodes, never markup.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // SVG elements (the facilitator's matrix), attributes as given.
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // api("/api/p/state") GETs; api(path, body) POSTs JSON. Resolves {status, data}; data is null for 204.
  async function api(path, body) {
    const options = { headers: { "X-Kam-Token": token }, cache: "no-store" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    return { status: response.status, data: data };
  }

  // t(words): the words of the page's language, from {es: "…", en: "…"}.
  function t(words) { return words[lang]; }

  return { lang: lang, token: token, params: params, el: el, svg: svg, api: api, t: t };
})();
