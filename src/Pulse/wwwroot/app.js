"use strict";
// Pulse dashboard: plain JS, no build step. Jobs update live from /ws/jobs; everything else is REST.
const state = { key: localStorage.getItem("pulse.apiKey"), jobs: new Map(), socket: null, retries: 0, poll: null, prPage: 1 };
const $ = (sel) => document.querySelector(sel);
const LABELS = { READY: "Ready", RUNNING: "Running", FINISHED: "Finished", FAILED: "Failed", RATE_LIMITED: "Rate Limited" };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(path, options = {}) {
  const res = await fetch(path, {
    ...options,
    headers: { "Authorization": "Bearer " + state.key, ...(options.body ? { "Content-Type": "application/json" } : {}) },
  });
  if (res.status === 401) { signOut(); throw new Error("Please sign in again."); }
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error((body && body.error) || res.statusText);
  return body;
}

function toast(message) {
  const t = $("#toast");
  t.textContent = message; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

const when = (iso) => iso ? new Date(iso).toLocaleString() : "—";
function ago(iso) {
  if (!iso) return "never";
  const s = Math.round((Date.now() - new Date(iso)) / 1000);
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : s < 86400 ? `${Math.floor(s / 3600)}h ago` : `${Math.floor(s / 86400)}d ago`;
}
function countdown(iso) {
  if (!iso) return "—";
  const s = Math.round((new Date(iso) - Date.now()) / 1000);
  const fmt = (n) => n >= 3600 ? `${Math.floor(n / 3600)}h ${Math.floor((n % 3600) / 60)}m` : `${Math.floor(n / 60)}m ${n % 60}s`;
  return s > 0 ? fmt(s) : s > -5 ? "Starting now…" : `Overdue by ${fmt(-s)}`;
}

// ---- sign-in ----
function signOut() {
  localStorage.removeItem("pulse.apiKey"); state.key = null;
  if (state.socket) { state.socket.onclose = null; state.socket.close(); state.socket = null; }
  show();
}
$("#login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  state.key = $("#api-key").value.trim();
  try {
    await api("/api/me");
    localStorage.setItem("pulse.apiKey", state.key);
    $("#login-error").textContent = "";
    show(); connect();
  } catch (err) { state.key = null; $("#login-error").textContent = "That key was not accepted."; }
});
$("#signout").addEventListener("click", signOut);

// ---- routing ----
// One loader per page; a page in its own file (insights.js) adds itself here.
const pageLoaders = { jobs: loadJobs, integrations: loadIntegrations, repositories: loadRepositories, prs: loadPrs, search: async () => {} };
function show() {
  const signedIn = !!state.key;
  $("#login").hidden = signedIn; $("#signout").hidden = !signedIn;
  const page = (location.hash || "#jobs").slice(1);
  document.querySelectorAll(".page").forEach((p) => { p.hidden = !signedIn || p.id !== "page-" + page; });
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === page));
  if (!signedIn) return;
  (pageLoaders[page] || loadJobs)().catch((err) => toast(err.message));
}
window.addEventListener("hashchange", show);

// ---- jobs ----
async function loadJobs() {
  const jobs = await api("/api/jobs");
  state.jobs = new Map(jobs.map((j) => [j.id, j]));
  renderJobs();
}
function renderJobs() {
  const box = $("#jobs");
  $("#jobs-empty").hidden = state.jobs.size > 0;
  for (const job of state.jobs.values()) {
    const card = renderCard(job);
    const old = box.querySelector(`[data-job-id="${job.id}"]`);
    if (old) old.replaceWith(card); else box.append(card);
  }
}
// The embed stage of a step: texts done / queued, with the rate since this page first saw it under way and the time left.
const embedSeen = new Map();
function embedRow(job, step, p) {
  if (!p || !p.total) return null;
  const key = `${job.status.run_id}/${step}`, now = Date.now();
  if (!embedSeen.has(key)) embedSeen.set(key, { at: now, done: p.done });
  const first = embedSeen.get(key), rate = (p.done - first.done) / Math.max((now - first.at) / 1000, 1e-9);
  const left = rate > 0 && p.done < p.total ? ` · ${rate.toFixed(1)}/s · ${Math.ceil((p.total - p.done) / rate)} s left` : "";
  return h("div", { class: "embed", "data-embed": step },
    h("span", { class: "name" }, "embed"), h("progress", { max: p.total, value: p.done }),
    h("span", { class: "count" }, `${p.done} / ${p.total}${left}`));
}
function overallOf(job) { return job.active && job.integration_active ? job.status.overall : "INACTIVE"; }
function renderCard(job) {
  const overall = overallOf(job);
  const steps = Object.entries(job.status.steps).sort((a, b) => a[1].order - b[1].order);
  const runnable = overall !== "RUNNING" && overall !== "INACTIVE" && !job.running;
  return h("article", { class: "card", "data-job-id": job.id, "data-overall": overall },
    h("h3", {}, h("span", {}, `GitHub PRs · ${job.integration_owner}`), h("span", { class: `badge ${overall}`, "data-testid": "badge" }, LABELS[overall] || "Inactive")),
    overall === "RATE_LIMITED" && job.rate_limit_resume_at ? h("div", { class: "notice" }, `Rate limited · auto-resumes at ${when(job.rate_limit_resume_at)}`) : null,
    job.error ? h("div", { class: "notice err", title: job.error }, `⚠ ${job.error}${job.retry_count ? ` (retries: ${job.retry_count})` : ""}`) : null,
    h("div", { class: "steps" }, steps.map(([name, s]) => h("div", { class: "step", "data-step": name },
      h("span", { class: "name" }, `${s.order}. ${s.display_name}`),
      h("span", { class: "dots" }, ["extraction", "transform", "embedding"].map((stage) =>
        h("span", { class: `dot ${s[stage]}`, "data-stage": stage, title: `${stage}: ${s[stage]}` }))),
      h("progress", { max: Math.max(s.progress.total, 1), value: s.progress.done }),
      h("span", { class: "count" }, `${s.progress.done} / ${s.progress.total}`),
      embedRow(job, name, s.embedding_progress)))),
    h("div", { class: "meta" },
      h("span", {}, "Schedule"), h("span", {}, `every ${job.schedule_interval_minutes} min (retry ${job.retry_interval_minutes} min)`),
      h("span", {}, "Last run"), h("span", {}, job.last_run_started_at ? `${ago(job.last_run_started_at)}` : "never"),
      h("span", {}, "Next run"), h("span", { "data-next": job.next_run || "" }, job.next_run ? when(job.next_run) : "—"),
      h("span", {}, "Countdown"), h("span", { class: "countdown", "data-next": job.next_run || "" }, countdown(job.next_run))),
    h("div", { class: "actions" },
      h("button", { class: "primary", "data-action": "run-now", disabled: !runnable, onclick: () => runNow(job) }, "Run Now"),
      h("button", { onclick: () => openSettings(job) }, "Settings"),
      h("button", { onclick: () => openDetails(job) }, "Details"),
      h("label", {}, h("input", { type: "checkbox", checked: job.active, onchange: (e) => toggleJob(job, e.target.checked) }), " On")));
}
async function runNow(job) {
  const optimistic = { ...job, running: true, status: { ...job.status, overall: "RUNNING" } };
  state.jobs.set(job.id, optimistic); renderJobs();
  try { const res = await api(`/api/jobs/${job.id}/run-now`, { method: "POST" }); state.jobs.set(job.id, res.job); renderJobs(); toast("Run started."); }
  catch (err) { state.jobs.set(job.id, job); renderJobs(); toast(err.message); }
}
async function toggleJob(job, active) {
  try { state.jobs.set(job.id, await api(`/api/jobs/${job.id}/toggle-active`, { method: "POST", body: JSON.stringify({ active }) })); renderJobs(); }
  catch (err) { toast(err.message); renderJobs(); }
}
function openDialog(...content) { $("#dialog-body").replaceChildren(...content); $("#dialog").showModal(); }
function openSettings(job) {
  const schedule = h("input", { type: "number", min: 1, value: job.schedule_interval_minutes });
  const retry = h("input", { type: "number", min: 1, value: job.retry_interval_minutes });
  const error = h("p", { class: "error" });
  const presets = (input, values) => h("span", {}, values.map(([label, v]) => h("button", { type: "button", onclick: () => { input.value = v; } }, label)));
  openDialog(h("h3", {}, "Settings"),
    h("label", {}, "Schedule interval (minutes) ", schedule), presets(schedule, [["1h", 60], ["4h", 240], ["6h", 360], ["12h", 720], ["24h", 1440]]),
    h("br"), h("label", {}, "Retry interval (minutes) ", retry), presets(retry, [["5m", 5], ["15m", 15], ["30m", 30], ["60m", 60]]),
    error,
    h("button", { type: "button", class: "primary", onclick: async () => {
      try {
        const body = { schedule_interval_minutes: Number(schedule.value), retry_interval_minutes: Number(retry.value) };
        state.jobs.set(job.id, await api(`/api/jobs/${job.id}/settings`, { method: "POST", body: JSON.stringify(body) }));
        renderJobs(); $("#dialog").close(); toast("Settings saved.");
      } catch (err) { error.textContent = err.message; }
    } }, "Save"));
}
async function openDetails(job) {
  try {
    const [detail, runs] = await Promise.all([api(`/api/jobs/${job.id}`), api(`/api/jobs/${job.id}/runs`)]);
    const j = detail.job;
    openDialog(h("h3", {}, `Job ${j.id} · ${LABELS[j.status.overall] || j.status.overall}`),
      h("div", { class: "meta" },
        h("span", {}, "Retries"), h("span", {}, j.retry_count),
        h("span", {}, "Last run started"), h("span", {}, when(j.last_run_started_at)),
        h("span", {}, "Last run finished"), h("span", {}, when(j.last_run_finished_at)),
        h("span", {}, "Duration"), h("span", {}, j.last_run_seconds != null ? `${j.last_run_seconds.toFixed(1)} s` : "—"),
        h("span", {}, "Last success (synced up to)"), h("span", {}, when(j.last_sync_date)),
        h("span", {}, "Completeness"), h("span", {}, `${j.completeness.done} / ${j.completeness.total} (${j.completeness.percent}%)`),
        h("span", {}, "Error"), h("span", {}, j.error || "—")),
      h("h4", {}, "Runs"),
      h("table", {}, h("tbody", {}, runs.map((r) => h("tr", {}, h("td", {}, r.id), h("td", {}, r.status), h("td", {}, when(r.started_at)),
        h("td", {}, r.finished_at ? when(r.finished_at) : "—"), h("td", {}, `${r.points} pts`))))),
      h("p", {}, h("button", { type: "button", onclick: async () => {
        try { state.jobs.set(job.id, await api(`/api/jobs/${job.id}/reset`, { method: "POST" })); renderJobs(); $("#dialog").close(); toast("Job reset."); }
        catch (err) { toast(err.message); }
      } }, "Reset job")));
  } catch (err) { toast(err.message); }
}
setInterval(() => document.querySelectorAll(".countdown").forEach((el) => { el.textContent = countdown(el.dataset.next); }), 1000);

// ---- live feed ----
function connect() {
  if (!state.key || state.socket) return;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/jobs?access_token=${encodeURIComponent(state.key)}`;
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.onopen = () => { state.retries = 0; setLive(true); clearInterval(state.poll); state.poll = null; };
  socket.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type !== "job_status_update" || !msg.job || !msg.status || !msg.status.steps) return;
    state.jobs.set(msg.job_id, msg.job);
    if (!$("#page-jobs").hidden) renderJobs();
  };
  socket.onclose = () => {
    state.socket = null; setLive(false);
    if (!state.key) return;
    if (!state.poll) state.poll = setInterval(() => { if (!$("#page-jobs").hidden) loadJobs().catch(() => {}); }, 30000);
    state.retries += 1;
    setTimeout(connect, Math.min(30000, 1000 * state.retries));
  };
  socket.onerror = () => {};
}
function setLive(on) { const l = $("#live"); l.textContent = on ? "live" : "offline"; l.classList.toggle("on", on); l.classList.toggle("off", !on); }

// ---- integrations ----
async function loadIntegrations() {
  const list = await api("/api/integrations");
  $("#integrations").replaceChildren(...list.map((i) => h("tr", { "data-integration-id": i.id },
    h("td", {}, i.owner), h("td", {}, i.github_url), h("td", {}, i.auth === "github_app" ? "GitHub App" : "tokens"), h("td", { class: "accounts" }, accountsText(i.accounts)),
    h("td", {}, i.repository_filters.join(", ") || "all"), h("td", {}, i.page_size),
    // Saved on change: the server recomputes the integration's PR metrics with the new list at once.
    h("td", {}, h("input", { name: "bot_logins", value: i.bot_logins.join(", "), placeholder: "none", onchange: async (e) => {
      try { await api(`/api/integrations/${i.id}`, { method: "PUT", body: JSON.stringify({ bot_logins: logins(e.target.value) }) }); toast("Bot logins saved."); }
      catch (err) { toast(err.message); } loadIntegrations().catch(() => {});
    } })),
    h("td", {}, i.has_webhook_secret ? h("code", {}, i.webhook_path) : "", " ", h("button", { onclick: () => setWebhookSecret(i) }, i.has_webhook_secret ? "Change secret" : "Set secret")),
    h("td", {}, h("input", { type: "checkbox", checked: i.active, onchange: async (e) => {
      try { await api(`/api/integrations/${i.id}/toggle-active`, { method: "POST", body: JSON.stringify({ active: e.target.checked }) }); }
      catch (err) { toast(err.message); } loadIntegrations().catch(() => {});
    } })),
    h("td", {}, h("button", { onclick: async () => {
      if (!confirm(`Delete ${i.owner} and everything synced through it?`)) return;
      try { await api(`/api/integrations/${i.id}`, { method: "DELETE" }); toast("Integration deleted."); } catch (err) { toast(err.message); }
      loadIntegrations().catch(() => {});
    } }, "Delete")))));
  await loadDeliveries();
}
// The secret is write-only: it is sent once and never shown again; an empty answer removes it.
async function setWebhookSecret(i) {
  const secret = prompt(`Webhook secret for ${i.owner} (empty removes it):`);
  if (secret === null) return;
  try { await api(`/api/integrations/${i.id}`, { method: "PUT", body: JSON.stringify({ webhook_secret: secret }) }); toast(secret ? "Webhook secret set." : "Webhook secret removed."); }
  catch (err) { toast(err.message); }
  loadIntegrations().catch(() => {});
}
async function loadDeliveries() {
  const list = await api("/api/webhooks/deliveries?limit=50");
  $("#deliveries-empty").hidden = list.length > 0;
  $("#deliveries").replaceChildren(...list.map((d) => h("tr", { "data-delivery": d.delivery_id, class: "delivery-" + d.status },
    h("td", {}, ago(d.received_at)), h("td", {}, d.integration_id), h("td", {}, d.action ? `${d.event}.${d.action}` : d.event),
    h("td", {}, h("code", {}, d.delivery_id)), h("td", { class: "delivery-status" }, d.status), h("td", {}, d.attempts), h("td", {}, d.error || ""))));
}
// Each GitHub account's points left (never a token); Enterprise Server without rate limiting says so.
function accountsText(accounts) {
  if (!accounts || accounts.length === 0) return "—";
  return accounts.map((a) => a.status !== "active" ? `${a.account}: ${a.status}`
    : a.rate_limit === "not enforced" ? `${a.account}: rate limit: not enforced`
    : a.remaining == null ? `${a.account}: not asked yet` : `${a.account}: ${a.remaining} of ${a.limit} left`).join(" · ");
}
function showAuthFields() {
  const kind = $("#auth-kind").value;
  for (const el of document.querySelectorAll("[data-auth]")) el.hidden = el.dataset.auth !== kind;
}
$("#auth-kind").addEventListener("change", showAuthFields);
function logins(text) { return (text || "").split(",").map((s) => s.trim()).filter(Boolean); }
$("#integration-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const auth = f.get("auth") === "github_app"
    ? { app_id: Number(f.get("app_id")), installation_id: Number(f.get("installation_id")), app_private_key: f.get("app_private_key") }
    : { tokens: f.get("tokens").split(/\s+/).filter(Boolean) };
  const body = {
    github_url: f.get("github_url").trim(), owner: f.get("owner").trim(), ...auth,
    repository_filters: f.get("repository_filters").split(",").map((s) => s.trim()).filter(Boolean),
    page_size: Number(f.get("page_size") || 100), bot_logins: logins(f.get("bot_logins")),
  };
  if (f.get("webhook_secret")) body.webhook_secret = f.get("webhook_secret");
  if (f.get("first_sync_days")) body.first_sync_days = Number(f.get("first_sync_days"));
  try {
    await api("/api/integrations", { method: "POST", body: JSON.stringify(body) });
    e.target.reset(); showAuthFields(); $("#integration-error").textContent = ""; toast("Integration added; its job is on the Jobs page.");
    await loadIntegrations();
  } catch (err) { $("#integration-error").textContent = err.message; }
});

// ---- repositories, pull requests (search: search.js) ----
async function loadRepositories() {
  const list = await api("/api/repositories");
  $("#repositories").replaceChildren(...list.map((r) => h("tr", {}, h("td", {}, r.full_name), h("td", {}, r.language || "—"),
    h("td", {}, r.default_branch || "—"), h("td", {}, r.pull_requests), h("td", {}, when(r.pushed_at)))));
}
async function loadPrs() {
  const f = new FormData($("#pr-filters"));
  const q = new URLSearchParams({ page: state.prPage, page_size: 25 });
  for (const k of ["repo", "state", "author", "updated_since"]) if (f.get(k)) q.set(k, f.get(k));
  const page = await api(`/api/prs?${q}`);
  $("#prs").replaceChildren(...page.items.map((p) => h("tr", { onclick: () => showPr(p.id), style: "cursor:pointer" },
    h("td", {}, p.number), h("td", {}, p.title), h("td", {}, p.repository), h("td", {}, p.state), h("td", {}, p.author || "ghost"),
    h("td", {}, when(p.updated_at)), h("td", {}, p.commit_count), h("td", {}, p.review_count), h("td", {}, p.comment_count))));
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  $("#page-info").textContent = `page ${page.page} of ${pages} · ${page.total} pull requests`;
  $("#prev").disabled = page.page <= 1; $("#next").disabled = page.page >= pages;
}
async function showPr(id) {
  try {
    const pr = await api(`/api/prs/${id}`);
    const s = pr.summary;
    $("#pr-detail").replaceChildren(h("h3", {}, `${s.repository}#${s.number} ${s.title}`),
      h("p", {}, `${s.state} · by ${s.author || "ghost"} · ${s.additions}+ ${s.deletions}− · review cycles ${pr.review_cycles ?? "—"}`),
      h("pre", {}, pr.body || "(no description)"),
      h("h4", {}, `Commits (${pr.commits.length})`), h("ul", {}, pr.commits.map((c) => h("li", {}, `${c.oid.slice(0, 7)} ${c.message.split("\n")[0]}`))),
      h("h4", {}, `Reviews (${pr.reviews.length})`), h("ul", {}, pr.reviews.map((r) => h("li", {}, `${r.state} by ${r.author_login || "ghost"}: ${r.body.slice(0, 200)}`))),
      h("h4", {}, `Threads (${pr.threads.length}) and comments (${pr.comments.length})`),
      h("ul", {}, pr.comments.map((c) => h("li", {}, `[${c.comment_type}${c.path ? " " + c.path : ""}] ${c.author_login || "ghost"}: ${c.body.slice(0, 200)}`))));
    $("#pr-detail").scrollIntoView({ behavior: "smooth" });
  } catch (err) { toast(err.message); }
}
$("#pr-filters").addEventListener("submit", (e) => { e.preventDefault(); state.prPage = 1; loadPrs().catch((err) => toast(err.message)); });
$("#prev").addEventListener("click", () => { state.prPage -= 1; loadPrs().catch((err) => toast(err.message)); });
$("#next").addEventListener("click", () => { state.prPage += 1; loadPrs().catch((err) => toast(err.message)); });
// After every page's script has run (they come after this one), so a page opened by its link finds its loader.
document.addEventListener("DOMContentLoaded", () => { show(); connect(); });
