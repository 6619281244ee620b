// The live preview page: draws the state of the last good build, listens for
// server-sent events and redraws only the views whose files changed.
"use strict";

const $ = (id) => document.getElementById(id);
const shown = {};          // view -> the file digest (or derived key) it was drawn from
let state = null;          // the last /api/state
let focus = null;          // the open item being highlighted
let pending = false;       // a refresh is waiting behind the current one
let busy = false;
let completing = false;    // the diagram is new, the other documents are still being updated

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function fileURL(name) {
  return `/files/${name.split("/").map(encodeURIComponent).join("/")}?v=${state.files[name]}`;
}

// ------------------------------------------------------------------ state

async function refresh() {
  if (busy) { pending = true; return; }
  busy = true;
  try {
    state = await getJSON("/api/state");
    await draw();
  } catch (error) {
    setStatus("broken", "The preview lost contact with the server; retrying…");
  } finally {
    busy = false;
    if (pending) { pending = false; refresh(); }
  }
}

async function draw() {
  drawBanner(state.errors);
  const page = state.page;
  if (!page) {
    setStatus("broken", "Nothing to show yet");
    return;
  }
  $("client").textContent = page.client;
  $("meta").textContent = [`Version ${page.version}`, page.meeting, page.date].filter(Boolean).join(" · ");
  document.title = `${page.client} · v${page.version} · preview`;
  drawOpen(page.open);
  drawChecks(page.findings);
  drawChanges(page.changes);
  await Promise.all([drawDiagram(), drawCard(), drawDocuments(), drawDecks()]);
  if (focus) highlight(focus, false);
  document.body.dataset.revision = state.revision;
  if (state.errors.length) return;
  if (completing) setStatus("busy", "Updating the other documents…");
  else setStatus("live", updatedText(state.update));
}

function updatedText(update) {
  if (!update || !update.at) return "Live";
  return `Live · updated ${update.at} in ${update.seconds.toFixed(1)} s`;
}

function setStatus(kind, text) {
  $("status").className = `status ${kind}`;
  $("status-text").textContent = text;
}

function drawBanner(errors) {
  $("banner").hidden = !errors.length;
  $("banner-lines").replaceChildren(...errors.map((line) => el("li", { text: line })));
  if (errors.length) setStatus("broken", "Showing the last good version");
}

function showNotice(event) {
  const box = $("notice");
  const parts = [];
  if (event.changes.length) parts.push(el("strong", { text: "What changed: " }));
  else parts.push(el("strong", { text: event.rebuilt.length ? "Updated." : "Saved; nothing to update." }));
  if (event.rebuilt.length) parts.push(` Updated ${listText(event.rebuilt)}.`);
  const list = el("ul", {}, ...event.changes.map((line) => el("li", { text: line })));
  box.replaceChildren(el("p", { style: "margin:0" }, ...parts), ...(event.changes.length ? [list] : []));
  box.hidden = false;
}

function listText(items) {
  if (items.length < 3) return items.join(" and ");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// ------------------------------------------------------------------ open items

function drawOpen(items) {
  const stages = items.filter((i) => i.kind === "stage").length;
  const terms = items.length - stages;
  $("open-summary").textContent = items.length
    ? `${plural(stages, "stage")} and ${plural(terms, "term")} still ASSUMED`
    : "Everything is confirmed.";
  $("open-list").replaceChildren(...items.map((item) => {
    const button = el("button", { type: "button", "data-id": `${item.kind}:${item.id}` },
      el("span", { class: "kind", text: item.kind === "stage" ? `Stage · ${item.where}` : "Term" }),
      el("span", { text: item.name }));
    if (item.who) button.append(el("span", { class: "who", text: `Confirm with ${item.who}` }));
    if (focus && focus.kind === item.kind && focus.id === item.id) button.classList.add("active");
    button.addEventListener("click", () => { focus = item; highlight(item, true); });
    return el("li", {}, button);
  }));
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// ------------------------------------------------------------------ diagram

async function drawDiagram() {
  const name = state.views.diagram;
  if (!name || shown.diagram === state.files[name]) return;
  const text = await (await fetch(fileURL(name))).text();
  const start = text.indexOf("<svg");
  $("diagram").innerHTML = start >= 0 ? text.slice(start) : "";  // our own SVG; client text in it is escaped
  shown.diagram = state.files[name];
  const byNode = Object.fromEntries(state.page.stages.map((s) => [s.node, s]));
  for (const node of $("diagram").querySelectorAll("g.node")) {
    const stage = byNode[node.querySelector("title")?.textContent];
    if (!stage) continue;
    node.dataset.stage = stage.id;
    node.addEventListener("mousemove", (event) => showTip(event, stage));
    node.addEventListener("mouseleave", () => { $("tip").hidden = true; });
  }
}

function showTip(event, stage) {
  const tip = $("tip");
  const tags = el("p", { style: "margin:0 0 .2rem" },
    el("span", { class: `tag ${stage.status}`, text: stage.status === "assumed" ? "ASSUMED" : "CONFIRMED" }));
  if (stage.golden) tags.append(" ", el("span", { class: "tag golden", text: "★ Golden stage" }));
  const exits = stage.exits.length
    ? el("ul", {}, ...stage.exits.map((e) => el("li", { text: e.when ? `To ${e.name} when ${lower(e.when)}` : `To ${e.name}` })))
    : el("p", { class: "muted", style: "margin:0", text: "Last stage of its flow." });
  tip.replaceChildren(el("h3", { text: stage.label }), tags,
    el("p", { class: "muted", style: "margin:0", text: stage.owner ? `${stage.domain} · owned by ${stage.owner}` : stage.domain }),
    el("p", { style: "margin:.3rem 0 0;font-weight:bold", text: "Moves on" }), exits);
  const panel = $("tab-diagram").getBoundingClientRect();
  tip.style.left = `${Math.min(event.clientX - panel.left + 14, panel.width - 340)}px`;
  tip.style.top = `${event.clientY - panel.top + 14}px`;
  tip.hidden = false;
}

function lower(text) {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

// ------------------------------------------------------------------ card, documents, decks

async function drawCard() {
  const name = state.views.card;
  const derived = state.derived.card;
  const key = `${name}:${state.files[name]}:${derived ? derived.state + derived.key : ""}`;
  if (!name || shown.card === key) return;
  shown.card = key;
  const box = $("card");
  const open = el("a", { href: fileURL(name), target: "_blank", rel: "noopener", text: "Open the card (PDF)" });
  if (!derived || derived.state === "pending") {
    box.replaceChildren(el("p", { class: "note", text: derived ? derived.note : "Preparing the card…" }));
    return;
  }
  if (derived.state !== "ready") {
    box.replaceChildren(el("p", { class: "note" }, `${derived.note} `, open),
      el("iframe", { class: "pdf-frame", src: fileURL(name), title: "Stage reference card" }));
    return;
  }
  const view = await getJSON("/view/card");
  const page = el("div", { class: "page", id: "card-page" }, el("img", { src: `/view/card/1.png?v=${derived.key}`, alt: "Stage reference card" }));
  page.dataset.boxes = JSON.stringify(view.boxes);
  box.replaceChildren(page, el("p", {}, open));
}

async function drawDocuments() {
  for (const tab of ["alignment", "faq", "crm"]) {
    const name = state.views[tab];
    const derived = state.derived[tab];
    const target = $(tab);
    if (!name) { target.replaceChildren(el("p", { class: "empty", text: "Not part of this version." })); continue; }
    const key = derived ? derived.state + derived.key : "";
    if (shown[tab] === key) continue;
    shown[tab] = key;
    if (!derived || derived.state !== "ready") {
      if (!target.childElementCount) target.replaceChildren(el("p", { class: "note", text: "Preparing the document…" }));
      continue;
    }
    const view = await getJSON(`/view/${tab}`);
    target.innerHTML = view.html;  // converted from our own Word file; its text is escaped
  }
}

async function drawDecks() {
  const decks = state.views.decks;
  const key = decks.map((d) => `${d.name}:${JSON.stringify(state.derived[d.name] || {})}`).join("|");
  if (shown.decks === key) return;
  shown.decks = key;
  const parts = [];
  for (const deck of decks) {
    const derived = state.derived[deck.name];
    const section = el("section", { class: "deck" }, el("h3", { text: deck.title }));
    if (!derived || derived.state === "pending") {
      section.append(el("p", { class: "note", text: "Preparing the slides…" }));
    } else {
      const view = await getJSON(`/view/${deck.name}`);
      if (derived.state !== "ready") section.append(el("p", { class: "note", text: derived.note }));
      section.append(el("div", { class: "slides" }, ...view.texts.map((text, i) => slide(deck, derived, text, i + 1))));
    }
    parts.push(section);
  }
  $("decks").replaceChildren(...(parts.length ? parts : [el("p", { class: "empty", text: "No decks in this version." })]));
}

function slide(deck, derived, text, number) {
  const body = derived.state === "ready" && number <= derived.count
    ? el("img", { src: `/view/${deck.name}/${number}.png?v=${derived.key}`, alt: `Slide ${number}`, loading: "lazy" })
    : el("div", { class: "text", text });
  const figure = el("figure", { class: "slide" }, body, el("figcaption", { text: `Slide ${number}` }));
  figure.dataset.text = text;
  return figure;
}

// ------------------------------------------------------------------ checks and changes

function drawChecks(findings) {
  $("checks-count").textContent = findings.length ? `(${findings.length})` : "";
  const names = Object.fromEntries(state.page.stages.map((s) => [s.id, s.label]));
  $("checks").replaceChildren(...(findings.length ? findings.map((f) => {
    const item = el("div", { class: `finding ${f.severity}` },
      el("p", { style: "margin:0" }, el("strong", { text: f.stage && names[f.stage] ? `${names[f.stage]}: ` : "" }), f.message));
    if (f.fix) item.append(el("p", { class: "fix", text: f.fix }));
    item.append(el("span", { class: "at", text: f.at }));
    if (f.stage) item.dataset.stage = f.stage;
    return item;
  }) : [el("p", { class: "empty", text: "No findings: the architecture follows the playbook's checks." })]));
}

function drawChanges(changes) {
  const tab = document.querySelector('[data-tab="changes"]');
  tab.firstChild.textContent = changes.since === null ? "Changes " : `Changes since v${changes.since} `;
  $("changes-count").textContent = changes.items.length ? `(${changes.items.length})` : "";
  const groups = [];
  for (const change of changes.items) {
    if (!groups.length || groups[groups.length - 1].subject !== change.subject) groups.push({ subject: change.subject, items: [] });
    groups[groups.length - 1].items.push(change);
  }
  const body = groups.map((group) => el("div", { class: "change", "data-subject": group.subject },
    el("h3", { text: group.subject }),
    el("ul", {}, ...group.items.map((c) => el("li", {}, c.summary, ...(c.detail.length ? [el("br"), ...diffNodes(c.detail)] : []))))));
  $("changes").replaceChildren(...(changes.note ? [el("p", { class: "note", text: changes.note })] : []), ...body);
}

function diffNodes(detail) {
  return detail.map(([op, text]) => (op === "+" ? el("ins", { text }) : op === "-" ? el("del", { text }) : document.createTextNode(text)));
}

// ------------------------------------------------------------------ jump to an open item everywhere

function pattern(texts) {
  const escaped = texts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(^|[^\\p{L}\\p{N}])(${escaped.join("|")})($|[^\\p{L}\\p{N}])`, "u");
}

function highlight(item, scroll) {
  for (const node of document.querySelectorAll(".hit")) node.classList.remove("hit");
  for (const node of document.querySelectorAll(".mark")) node.remove();
  for (const button of document.querySelectorAll(".open-list button")) {
    button.classList.toggle("active", button.dataset.id === `${item.kind}:${item.id}`);
  }
  const match = pattern(item.find);
  const found = {};
  const count = (tab, nodes) => { nodes.forEach((n) => n.classList.add("hit")); if (nodes.length) found[tab] = nodes; };
  count("diagram", item.stages.map((id) => $("diagram").querySelector(`g.node[data-stage="${CSS.escape(id)}"]`)).filter(Boolean));
  const card = $("card-page");
  if (card) {
    const boxes = JSON.parse(card.dataset.boxes || "{}");
    const marks = item.stages.filter((id) => boxes[id]).map((id) => {
      const b = boxes[id];
      const mark = el("div", { class: "mark", style: `left:${b.left * 100 - 0.5}%;top:${b.top * 100 - 0.5}%;width:${b.width * 100 + 1}%;height:${b.height * 100 + 1}%` });
      card.append(mark);
      return mark;
    });
    if (marks.length) found.card = marks;
  }
  for (const tab of ["alignment", "faq", "crm"]) count(tab, textHits($(tab), match));
  count("decks", [...$("decks").querySelectorAll(".slide")].filter((s) => match.test(s.dataset.text || "")));
  count("checks", [...$("checks").querySelectorAll(".finding")].filter((f) => item.stages.includes(f.dataset.stage)));
  count("changes", [...$("changes").querySelectorAll(".change")].filter((c) => match.test(c.dataset.subject)));
  showFound(item, found);
  for (const button of document.querySelectorAll(".tabs button")) button.classList.toggle("has-hit", !!found[button.dataset.tab]);
  if (scroll) {
    const here = found[current()] ? current() : Object.keys(found)[0];
    if (here) openTab(here, found[here][0]);
  }
}

function textHits(root, match) {
  const hits = [];
  for (const node of root.querySelectorAll("p, li, h1, h2, h3, th")) {
    if (!match.test(node.textContent)) continue;
    const row = node.closest("tr");
    const target = row || node;
    if (!hits.includes(target)) hits.push(target);
  }
  return hits;
}

function showFound(item, found) {
  const names = { diagram: "Diagram", card: "Reference card", alignment: "Alignment document", faq: "FAQ", decks: "Decks", crm: "CRM spec", checks: "Checks", changes: "Changes" };
  const entries = Object.entries(found).map(([tab, nodes]) => {
    const link = el("button", { type: "button", class: "link", text: names[tab] });
    link.addEventListener("click", () => openTab(tab, nodes[0]));
    const extra = tab === "decks" ? ` (${plural(nodes.length, "slide")})` : nodes.length > 1 && tab !== "diagram" ? ` (${nodes.length} places)` : "";
    return el("li", {}, link, extra);
  });
  $("found-list").replaceChildren(...(entries.length ? entries : [el("li", { class: "muted", text: "Not shown in any view yet" })]));
  $("found").hidden = false;
  $("found").querySelector(".found-title").textContent = `${item.name} is shown in`;
}

// ------------------------------------------------------------------ tabs and events

function current() {
  return document.querySelector(".tabs button[aria-selected='true']")?.dataset.tab || "diagram";
}

function openTab(tab, target) {
  for (const button of document.querySelectorAll(".tabs button")) button.setAttribute("aria-selected", String(button.dataset.tab === tab));
  for (const panel of document.querySelectorAll(".panel")) panel.classList.toggle("shown", panel.id === `tab-${tab}`);
  history.replaceState(null, "", `#${tab}`);
  if (target) target.scrollIntoView({ block: "center", behavior: "smooth" });
}

function listen() {
  const events = new EventSource("/events");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "hello") { if (String(event.revision) !== document.body.dataset.revision) refresh(); }
    else if (event.type === "building") setStatus("busy", "Updating…");
    else if (event.type === "failed") { completing = false; drawBanner(event.errors); }
    else if (event.type === "updated") { completing = !event.complete; showNotice(event); refresh(); }
    else if (event.type === "views") refresh();
  };
  events.onerror = () => setStatus("broken", "Reconnecting…");
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".tabs button")) button.addEventListener("click", () => openTab(button.dataset.tab));
  $("found-clear").addEventListener("click", () => {
    focus = null;
    for (const node of document.querySelectorAll(".hit, .active, .has-hit")) node.classList.remove("hit", "active", "has-hit");
    for (const node of document.querySelectorAll(".mark")) node.remove();
    $("found").hidden = true;
  });
  openTab((location.hash || "#diagram").slice(1).replace(/[^a-z]/g, "") || "diagram");
  listen();
  refresh();
});
