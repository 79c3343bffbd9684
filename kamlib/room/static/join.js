// The join page (/join?k=KEY[&side=customer]): a name, an optional code, and off to one's own page.
"use strict";
(function () {
  const { el, t, api, params } = window.kam;
  const main = document.getElementById("main");
  const key = params.get("k") || "";
  const customer = params.get("side") === "customer";
  const MAX_NAME = 80;

  const name = el("input", {
    id: "join-name", type: "text", name: "name", required: true, maxlength: MAX_NAME,
    autocomplete: "name", autocapitalize: "words", spellcheck: "false", "aria-describedby": "join-message",
  });
  const code = el("input", {
    id: "join-code", type: "text", name: "code", maxlength: 16, autocomplete: "off", autocapitalize: "none",
    spellcheck: "false", inputmode: "text",
  });
  const message = el("p", { id: "join-message", class: "error", role: "alert" });
  const button = el("button", { type: "submit", class: "primary" }, t({ es: "Unirse", en: "Join" }));
  const form = el("form", { class: "join-form", novalidate: true },
    el("div", { class: "field" },
      el("label", { for: "join-name" }, t({ es: "Su nombre", en: "Your name" })),
      name),
    el("div", { class: "field" },
      el("label", { for: "join-code" }, t({ es: "Código", en: "Code" }),
        el("span", { class: "optional" }, " ", t({ es: "(si le dieron uno)", en: "(if you were given one)" }))),
      code),
    button,
    message);

  main.append(
    el("p", { class: "lead" }, t({
      es: "Escriba su nombre para entrar en el taller. Recibirá su propio enlace: guárdelo para volver a entrar.",
      en: "Type your name to join the workshop. You will get a link of your own: keep it to come back.",
    })),
    form);
  if (customer) {
    form.before(el("p", { class: "note" }, t({
      es: "Entra como cliente: puntuará la posición de su proveedor tal como usted la ve.",
      en: "You are joining as the customer: you will score your supplier's position as you see it.",
    })));
  }

  if (!key) {
    message.textContent = t({ es: "Este enlace no es válido: vuelva a escanear el código de la pantalla.",
      en: "This join link is not valid: scan the code on the screen again." });
    button.disabled = true;
  }

  let busy = false;
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (busy || !key) return;
    const given = name.value.trim();
    message.textContent = "";
    if (!given) {
      message.textContent = t({ es: "Escriba su nombre.", en: "Please type your name." });
      name.focus();
      return;
    }
    if (given.length > MAX_NAME) {
      message.textContent = t({ es: "El nombre admite hasta 80 caracteres.", en: "The name allows up to 80 characters." });
      name.focus();
      return;
    }
    const body = { key: key, name: given };
    const codeGiven = code.value.trim();
    if (codeGiven) body.code = codeGiven;
    if (customer) body.side = "customer";
    busy = true;
    button.disabled = true;
    button.textContent = t({ es: "Entrando…", en: "Joining…" });
    try {
      const reply = await api("/api/join", body);
      if (reply.status === 200 && reply.data && typeof reply.data.link === "string" && reply.data.link.startsWith("/p?")) {
        window.location.replace(reply.data.link);
        return;
      }
      if (reply.status === 429) {
        message.textContent = t({ es: "Demasiados intentos: espere un momento y vuelva a probar.",
          en: "Too many tries: wait a moment and try again." });
      } else {
        message.textContent = (reply.data && reply.data.error) ||
          t({ es: "No se pudo entrar (error " + reply.status + ").", en: "Could not join (error " + reply.status + ")." });
      }
    } catch (e) {
      message.textContent = t({ es: "Sin conexión con el servidor: compruebe la red y vuelva a probar.",
        en: "No connection to the server: check the network and try again." });
    }
    busy = false;
    button.disabled = false;
    button.textContent = t({ es: "Unirse", en: "Join" });
  });

  name.focus();
})();
