/* ShopStream dashboard: polls dashboard/data every 2 s and redraws the page.
 *
 * Time series are drawn with uPlot (vendored, see vendor/README.md); bars, meters and alert cards
 * are plain HTML. Text from the data (titles, review excerpts) is only ever set as textContent.
 * When the worker has an API token, the page asks for it once and keeps it in this tab's
 * sessionStorage (gone when the tab closes), sending it as a bearer header with every request.
 * window.dashboard exposes the last data, the number of updates and each chart's draw count,
 * for tests and for anyone curious in the browser console.
 */
(function () {
  "use strict";

  const POLL_MS = 2000;
  const HEIGHT = 220;
  const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
  const number = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

  const dashboard = { lastData: null, updates: 0, failures: 0, draws: {}, charts: {} };
  window.dashboard = dashboard;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function formatValue(value) {
    return value === null || value === undefined ? "\u2013" : number.format(value);
  }

  /* One uPlot line chart per panel, rebuilt when its set of series changes. */
  function drawLines(name, container, time, byKey, colorOf) {
    const keys = Object.keys(byKey).sort();
    const data = [time].concat(keys.map(function (key) { return byKey[key]; }));
    let chart = dashboard.charts[name];
    if (chart && chart.keys.join("\u0000") === keys.join("\u0000")) {
      chart.plot.setData(data);
      return;
    }
    if (chart) chart.plot.destroy();
    container.textContent = "";
    dashboard.draws[name] = 0;
    const options = {
      width: Math.max(container.clientWidth, 280),
      height: HEIGHT,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(max || 0, 1)]; } } },
      axes: [{}, { size: 56, values: function (u, splits) { return splits.map(function (v) { return compact.format(v); }); } }],
      series: [{}].concat(keys.map(function (key, i) {
        return { label: key, stroke: colorOf(key, i), width: 2, spanGaps: false,
                 value: function (u, v) { return formatValue(v); } };
      })),
      hooks: { draw: [function () { dashboard.draws[name] += 1; }] },
    };
    chart = { keys: keys, plot: new uPlot(options, data, container) };
    dashboard.charts[name] = chart;
  }

  function paletteColor(key, i) { return COLORS[i % COLORS.length]; }

  function last(values) {
    for (let i = values.length - 1; i >= 0; i -= 1) if (values[i] !== null) return values[i];
    return null;
  }

  /* "key value · key value" of each series' newest value, or ``empty`` when there is no series. */
  function newest(byKey, empty, unit) {
    const keys = Object.keys(byKey).sort();
    if (!keys.length) return empty;
    return keys.map(function (key) { return key + " " + formatValue(last(byKey[key])) + (unit || ""); }).join(" \u00b7 ");
  }

  function drawCharts(series, latencyWindow) {
    drawLines("events", document.getElementById("chart-events"), series.time, series.events_per_s, paletteColor);
    drawLines("lag", document.getElementById("chart-lag"), series.time, series.lag, paletteColor);
    drawLines("dead_letters", document.getElementById("chart-dead-letters"), series.time, series.dead_letters,
              paletteColor);
    drawLines("latency", document.getElementById("chart-latency"), series.time, series.latency_ms,
              function (key) { return key === "p99" ? COLORS[1] : COLORS[0]; });
    document.getElementById("caption-events").textContent = "Now: " + newest(series.events_per_s,
      "no input messages read yet", "/s");
    document.getElementById("caption-lag").textContent = Object.keys(series.lag).length ?
      "Now: " + newest(series.lag, "") + ". Topics that did not lag in these minutes, and table changelogs, " +
      "are not drawn." :
      "No lag in these minutes on any partition of this worker.";
    document.getElementById("caption-dead-letters").textContent = "Total: " + newest(series.dead_letters,
      "none since the worker started");
    document.getElementById("caption-latency").textContent = last(series.latency_ms.p50) === null ?
      "No recommendation made in this process yet: latency is measured where lists are made, so only a " +
      "worker of role all shows it." :
      "From a request's Kafka timestamp to its list, over the newest " + number.format(latencyWindow) +
      " lists. Now: " +
      newest(series.latency_ms, "", " ms");
  }

  function meter(label, share, detail, className) {
    const row = element("div", "meter " + (className || ""));
    row.appendChild(element("div", "meter-label", label));
    const track = element("div", "meter-track");
    const fill = element("div", "meter-fill");
    fill.style.width = share === null ? "0" : Math.min(100, share * 100) + "%";
    track.appendChild(fill);
    row.appendChild(track);
    row.appendChild(element("div", "meter-detail", detail));
    return row;
  }

  function drawSpread(spread) {
    const root = document.getElementById("spread");
    root.textContent = "";
    root.dataset.coverage = spread.coverage === null ? "" : spread.coverage;
    root.dataset.gini = spread.gini === null ? "" : spread.gini;
    if (!spread.users) {
      root.appendChild(element("p", "muted", "No recommendation lists yet."));
      return;
    }
    root.appendChild(meter("Catalog coverage", spread.coverage,
      (spread.coverage === null ? "no catalog yet" : percent.format(spread.coverage)) + " of " +
      number.format(spread.catalog_products) + " catalog products appear in " + number.format(spread.users) +
      " users' newest lists"));
    root.appendChild(meter("Popularity concentration (Gini)", spread.gini,
      (spread.gini === null ? "\u2013" : spread.gini.toFixed(2)) + " (0: spread evenly, 1: all on one product)",
      "concentration"));
    if (spread.truncated) root.appendChild(element("p", "muted", "Partial: only the first keys of each table were read."));
  }

  function drawAlerts(alerts) {
    const root = document.getElementById("alerts");
    root.textContent = "";
    if (!alerts.length) {
      root.appendChild(element("p", "muted", "No active alerts."));
      return;
    }
    alerts.forEach(function (alert) {
      const card = element("article", "alert severity-" + alert.severity);
      card.dataset.product = alert.product_id;
      card.dataset.aspect = alert.aspect;
      const head = element("header");
      head.appendChild(element("span", "badge", alert.severity));
      head.appendChild(element("strong", "title", alert.title || alert.product_id));
      head.appendChild(element("span", "muted", alert.product_id + " \u00b7 " + alert.aspect.replace(/_/g, " ")));
      card.appendChild(head);
      const shares = element("div", "shares");
      shares.appendChild(meter("Negative now", alert.negative_share, percent.format(alert.negative_share), "now"));
      shares.appendChild(meter("Baseline", alert.baseline_share, percent.format(alert.baseline_share), "baseline"));
      card.appendChild(shares);
      card.appendChild(element("p", "counts", alert.negative_count + " of " + alert.total_count +
        " mentions negative in the window \u00b7 " + number.format(alert.ratio) + "\u00d7 the baseline \u00b7 raised " +
        alert.raised_at.replace("T", " ").slice(0, 16) + " UTC"));
      const evidence = element("ul", "evidence");
      alert.evidence.forEach(function (item) {
        const quote = element("li", null, "\u201c" + item.excerpt + "\u201d");
        quote.dataset.review = item.review_id;
        evidence.appendChild(quote);
      });
      card.appendChild(evidence);
      root.appendChild(card);
    });
  }

  function drawTrending(trending) {
    const root = document.getElementById("trending");
    root.textContent = "";
    document.getElementById("trending-window").textContent = trending.window_end ?
      "Interactions in the window " + trending.window_start.slice(0, 16).replace("T", " ") + " \u2013 " +
      trending.window_end.slice(0, 16).replace("T", " ") + " UTC (event time)" : "";
    if (!trending.products.length) {
      root.appendChild(element("p", "muted", "No product interactions yet."));
      return;
    }
    const top = trending.products[0].count;
    trending.products.forEach(function (product) {
      const row = element("div", "bar-row");
      row.dataset.product = product.product_id;
      row.appendChild(element("div", "bar-label", product.title || product.product_id));
      const track = element("div", "bar-track");
      const bar = element("div", "bar");
      bar.style.width = (100 * product.count / top) + "%";
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(element("div", "bar-value", number.format(product.count)));
      root.appendChild(row);
    });
  }

  function drawModels(models, versionsInLists) {
    const root = document.getElementById("models");
    root.textContent = "";
    Object.keys(models).sort().forEach(function (model) {
      root.appendChild(element("dt", null, model));
      root.appendChild(element("dd", null, models[model]));
    });
    Object.keys(versionsInLists).forEach(function (version) {
      root.appendChild(element("dt", null, "in users' newest lists"));
      root.appendChild(element("dd", null, version + " (" + number.format(versionsInLists[version]) + " users)"));
    });
    if (!root.children.length) root.appendChild(element("dd", "muted", "No model served by this process yet."));
  }

  function render(data) {
    const worker = data.worker;
    document.getElementById("worker").textContent = "app " + worker.app_id + " \u00b7 role " + worker.role +
      " \u00b7 " + worker.assigned_partitions + " partitions \u00b7 updated " +
      new Date(data.generated_at * 1000).toLocaleTimeString();
    drawCharts(data.series, data.latency_window);
    drawSpread(data.recommendations);
    drawAlerts(data.alerts);
    drawTrending(data.trending);
    drawModels(data.models, data.recommendations.versions);
  }

  function setStatus(text, failing) {
    const status = document.getElementById("status");
    status.textContent = text;
    status.classList.toggle("failing", failing);
  }

  const TOKEN_KEY = "shopstream-api-token";

  function askForToken(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    const form = document.getElementById("token-form");
    document.getElementById("token-error").textContent = message;
    form.hidden = false;
    form.onsubmit = function (event) {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
      form.hidden = true;
      refresh();
    };
  }

  async function refresh() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    try {
      const headers = token ? { Authorization: "Bearer " + token } : {};
      const response = await fetch("dashboard/data", { cache: "no-store", headers: headers });
      if (response.status === 401) {
        askForToken("That token was refused; enter the worker's API token.");
        return;
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      const data = await response.json();
      render(data);
      dashboard.lastData = data;
      dashboard.updates += 1;
      document.body.dataset.updates = dashboard.updates;
      setStatus("", false);
    } catch (error) {
      dashboard.failures += 1;
      setStatus("Cannot refresh from the worker (" + error.message + "); retrying every 2 s.", true);
      console.error("dashboard refresh failed:", error);
    } finally {
      if (document.getElementById("token-form").hidden) setTimeout(refresh, POLL_MS);  // else: after the form
    }
  }

  window.addEventListener("resize", function () {
    Object.keys(dashboard.charts).forEach(function (name) {
      const plot = dashboard.charts[name].plot;
      plot.setSize({ width: Math.max(plot.root.parentNode.clientWidth, 280), height: HEIGHT });
    });
  });

  async function start() {
    const response = await fetch("dashboard/auth", { cache: "no-store" });
    const auth = await response.json();
    if (auth.token_required && !sessionStorage.getItem(TOKEN_KEY)) {
      askForToken("");
    } else {
      refresh();
    }
  }

  start();
})();
