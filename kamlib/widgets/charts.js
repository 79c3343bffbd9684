// Static charts for dashboards (browser side): Vega-Lite specs drawn with vega-embed, bundled with
// Vega by vl-convert (kamlib/widgets/charts.py), so nothing is loaded from the internet. Voilà does not
// run scripts in a notebook's HTML outputs, so dashboards show charts through this widget instead.
// `vegaEmbed` is provided by the bundle (vl-convert), not imported.

async function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "kamlib-charts";
  el.appendChild(box);
  let views = [];

  async function draw() {
    views.forEach((view) => view.finalize());
    views = [];
    box.replaceChildren();
    for (const spec of model.get("specs")) {
      const holder = document.createElement("div");
      holder.className = "kamlib-chart";
      box.appendChild(holder);
      const options = { ...(spec.usermeta?.embedOptions || {}), actions: { export: true, source: false, compiled: false, editor: false } };
      const result = await vegaEmbed(holder, spec, options);
      views.push(result.view);
      holder.dataset.rendered = "true";
    }
    box.dataset.rendered = "true";
  }

  model.on("change:specs", draw);
  await draw();
  return () => views.forEach((view) => view.finalize());
}

export default { render };
