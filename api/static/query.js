// The query page: example questions, run a query through /sparql, show the results as a table.
"use strict";

const examples = JSON.parse(document.getElementById("example-data").textContent);
// IRIs minted under the graph's base resolve on this server (linked data): link them here.
const baseIri = JSON.parse(document.getElementById("base-iri").textContent);
const editor = document.getElementById("query");
const statusLine = document.getElementById("status");
const results = document.getElementById("results");
const downloads = document.getElementById("downloads");

function showExample(example) {
  editor.value = example.query;
}

const list = document.getElementById("examples");
for (const example of examples) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = "#" + example.name;
  link.textContent = example.title;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    showExample(example);
    run();
  });
  item.appendChild(link);
  list.appendChild(item);
}

// Tab inserts two spaces rather than leaving the editor.
editor.addEventListener("keydown", (event) => {
  if (event.key === "Tab") {
    event.preventDefault();
    const start = editor.selectionStart;
    editor.setRangeText("  ", start, editor.selectionEnd, "end");
  } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run();
  }
});

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value.startsWith(baseIri) ? "/" + term.value.slice(baseIri.length) : term.value;
    a.textContent = term.value;
    td.appendChild(a);
  } else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = term.datatype;
  }
  return td;
}

function render(data) {
  results.replaceChildren();
  if ("boolean" in data) {
    const p = document.createElement("p");
    p.className = "boolean";
    p.textContent = String(data.boolean);
    results.appendChild(p);
    return 1;
  }
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) row.appendChild(cell(binding[name]));
  }
  results.appendChild(table);
  return data.results.bindings.length;
}

function updateDownloads(query) {
  for (const link of downloads.querySelectorAll("a")) {
    // The endpoint negotiates on Accept; a download link cannot set it, so it names the format by extension.
    const params = new URLSearchParams({ query: query, format: link.dataset.format });
    link.href = "/sparql?" + params.toString();
  }
  downloads.hidden = false;
}

async function run() {
  const query = editor.value;
  statusLine.textContent = "Running…";
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: query,
    });
    const elapsed = Math.round(performance.now() - started);
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      const problem = type.includes("json") ? (await response.json()).detail : await response.text();
      statusLine.textContent = "Error " + response.status + ": " + problem;
      results.replaceChildren();
      downloads.hidden = true;
      return;
    }
    if (type.includes("sparql-results+json")) {
      const count = render(await response.json());
      statusLine.textContent = count + " result" + (count === 1 ? "" : "s") + " in " + elapsed + " ms";
      updateDownloads(query);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      results.replaceChildren(pre);
      statusLine.textContent = "Graph result in " + elapsed + " ms";
      downloads.hidden = true;
    }
  } catch (error) {
    statusLine.textContent = "Request failed: " + error;
  }
}

document.getElementById("query-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});

const initial = examples.find((e) => "#" + e.name === location.hash) || examples[0];
if (initial) showExample(initial);
