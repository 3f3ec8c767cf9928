"use strict";
// Insights page: where PR time goes, from /api/metrics/summary and /api/metrics/prs. Charts are Chart.js (lib/chart.js,
// served by Pulse); every chart's numbers are also a table in the DOM, with the API's exact values as data attributes.
const HOUR = 3600;
// Cycle times span minutes to months, so the histogram's bins grow roughly geometrically; the last bin is open-ended.
const CYCLE_BIN_EDGES_HOURS = [0, 1, 4, 12, 24, 48, 96, 168, 336, 720];
const PHASES = [
  { key: "coding_seconds", label: "Coding", color: "#2f6fed" },
  { key: "pickup_seconds", label: "Pickup", color: "#c77c02" },
  { key: "review_seconds", label: "Review", color: "#1f9d55" },
];
const insights = { charts: {}, repositories: null, sequence: 0 };

async function loadInsights() {
  await fillRepositoryFilter();
  const sequence = ++insights.sequence;
  const filter = insightsFilter();
  const summaryQuery = new URLSearchParams(filter); summaryQuery.set("by", "week");
  const prsQuery = new URLSearchParams(filter); prsQuery.set("state", "MERGED"); prsQuery.set("on", "merged");
  const [summary, prs] = await Promise.all([api(`/api/metrics/summary?${summaryQuery}`), api(`/api/metrics/prs?${prsQuery}`)]);
  if (sequence !== insights.sequence) return; // a newer filter's answer is on its way; never draw a stale one over it
  renderBreakdown(summary.groups);
  renderCycleHistogram(prs);
  renderWaiting(summary.waiting);
  // The filter these numbers answer: lets a reader (and the browser test) know the page has caught up.
  $("#page-insights").dataset.query = filter.toString();
}

function insightsFilter() {
  const f = new FormData($("#insights-filters"));
  const filter = new URLSearchParams();
  if (f.get("repository")) filter.set("repository", f.get("repository"));
  // Whole UTC days, both ends included: the API reads a bare date as the day's first instant and its `to` is exclusive,
  // so the period ends where the day after the last one starts.
  if (f.get("from")) filter.set("from", f.get("from"));
  if (f.get("to")) filter.set("to", nextDay(f.get("to")));
  return filter;
}

function nextDay(isoDate) {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function fillRepositoryFilter() {
  if (insights.repositories) return;
  insights.repositories = (await api("/api/repositories")).map((r) => r.full_name).sort();
  $("#insights-filters select[name=repository]").replaceChildren(h("option", { value: "" }, "all repositories"),
    ...insights.repositories.map((name) => h("option", { value: name }, name)));
}

const hours = (seconds) => seconds === null || seconds === undefined ? null : seconds / HOUR;
const hoursText = (seconds) => seconds === null || seconds === undefined ? "—" : (seconds / HOUR).toFixed(1);
function ageText(seconds) {
  const d = Math.floor(seconds / 86400), hr = Math.floor((seconds % 86400) / HOUR), m = Math.floor((seconds % HOUR) / 60);
  return d > 0 ? `${d}d ${hr}h` : hr > 0 ? `${hr}h ${m}m` : `${m}m`;
}
// A cell that shows hours and keeps the API's exact seconds ("" for null) for whoever reads the DOM.
const secondsCell = (seconds) => h("td", { "data-seconds": seconds ?? "" }, hoursText(seconds));

// Draws into the canvas once, then updates in place: Chart.js keeps one instance per canvas.
function drawChart(id, config) {
  const chart = insights.charts[id];
  if (chart) { chart.data = config.data; chart.update(); return; }
  insights.charts[id] = new Chart($(`#${id}`), { ...config, options: { animation: false, maintainAspectRatio: false, ...config.options } });
}

function renderBreakdown(groups) {
  const weeks = [...groups].sort((a, b) => a.key.localeCompare(b.key));
  $("#breakdown-empty").hidden = weeks.length > 0;
  drawChart("breakdown-chart", {
    type: "bar",
    data: {
      labels: weeks.map((w) => w.key),
      datasets: PHASES.map((p) => ({ label: `${p.label} (p50)`, backgroundColor: p.color, data: weeks.map((w) => hours(w.durations[p.key].p50)) })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "hours (p50)" } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y.toFixed(1)} h` } } },
    },
  });
  $("#breakdown-data").replaceChildren(...weeks.map((w) => h("tr", { "data-key": w.key, "data-count": w.count },
    h("td", {}, w.key), h("td", {}, w.count), ...PHASES.map((p) => secondsCell(w.durations[p.key].p50)), secondsCell(w.durations.cycle_seconds.p50))));
}

function cycleBins(prs) {
  const edges = CYCLE_BIN_EDGES_HOURS.map((e) => e * HOUR);
  const bins = edges.map((lower, i) => ({ lower, upper: edges[i + 1] ?? null, count: 0 }));
  for (const pr of prs) {
    if (pr.author_is_bot || pr.cycle_seconds === null) continue; // the same PRs the summary counts: merged, not bots'
    bins.findLast((b) => pr.cycle_seconds >= b.lower).count += 1;
  }
  return bins;
}
const binLabel = (b) => b.upper === null ? `≥ ${durationLabel(b.lower)}` : `${durationLabel(b.lower)}–${durationLabel(b.upper)}`;
const durationLabel = (s) => s >= 86400 && s % 86400 === 0 ? `${s / 86400}d` : `${s / HOUR}h`;

function renderCycleHistogram(prs) {
  const bins = cycleBins(prs);
  const counted = bins.reduce((n, b) => n + b.count, 0);
  $("#histogram-note").textContent = `${counted} merged pull requests; ${prs.length - counted} by bots or without a cycle time left out.`;
  drawChart("histogram-chart", {
    type: "bar",
    data: { labels: bins.map(binLabel), datasets: [{ label: "merged pull requests", backgroundColor: "#6366f1", data: bins.map((b) => b.count) }] },
    options: { scales: { x: { title: { display: true, text: "cycle time" } }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  $("#histogram-data").replaceChildren(...bins.map((b) => h("tr", { "data-lower-seconds": b.lower, "data-upper-seconds": b.upper ?? "", "data-count": b.count },
    h("td", {}, binLabel(b)), h("td", {}, b.count))));
}

function renderWaiting(waiting) {
  $("#waiting-empty").hidden = waiting.length > 0;
  $("#waiting").replaceChildren(...waiting.map((w) => h("tr", { "data-repository": w.repository, "data-number": w.number, "data-age-seconds": w.age_seconds },
    h("td", {}, h("a", { href: w.url, target: "_blank", rel: "noopener" }, `${w.repository}#${w.number}`)),
    h("td", {}, w.title),
    h("td", { "data-ready-at": w.ready_at }, when(w.ready_at)),
    h("td", { class: "age" }, ageText(w.age_seconds)),
    h("td", { class: "reviewers" }, w.requested_reviewers.length ? w.requested_reviewers.join(", ") : "—"))));
}

$("#insights-filters").addEventListener("submit", (e) => { e.preventDefault(); loadInsights().catch((err) => toast(err.message)); });
$("#insights-filters").addEventListener("change", () => loadInsights().catch((err) => toast(err.message)));
pageLoaders.insights = loadInsights;
