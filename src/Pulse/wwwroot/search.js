"use strict";
// The Search page: hybrid search (keyword + vector, fused by reciprocal rank) with its filters; each hit links to its PR.
// Uses $, h and api from app.js.
$("#search-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const q = new URLSearchParams({ q: f.get("q"), limit: 20 });
  for (const k of ["repo", "author", "state", "kind", "since", "until"]) if (f.get(k)) q.set(k, f.get(k));
  try {
    const hits = await api(`/api/search?${q}`);
    $("#search-error").textContent = hits.length ? "" : "No results.";
    $("#search-results").replaceChildren(...hits.map((x) => h("li", { class: "hit", "data-kind": x.kind },
      h("div", {},
        x.pull_request_url
          ? h("a", { href: x.pull_request_url, target: "_blank", rel: "noopener" }, h("strong", {}, `${x.repository}#${x.pull_request_number}`))
          : h("strong", {}, `${x.repository}#${x.pull_request_number}`),
        ` ${x.title} `,
        h("span", { class: "score" }, `${x.kind} · ${x.state.toLowerCase()}${x.author ? " · " + x.author : ""} · score ${x.score}`)),
      h("div", {}, x.snippet))));
  } catch (err) { $("#search-error").textContent = err.message; }
});
