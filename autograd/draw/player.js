/* The backpropagation player: it steps through the scenes that Python wrote into the page
   (the JSON above this script) and shows each one on the graph and in the side panel.
   Every number and sentence comes from that data: this script computes nothing, it shows.

   A scene says which nodes it is about ("active"), which nodes appear from it on
   ("appear", in the forward pass), which inputs receive a gradient ("receiving") and the
   new gradient text of each value it changes ("grads"). Showing step k replays the
   appearances and gradient texts of scenes 1..k, so any step can be shown directly. */
"use strict";

function startPlayer(root, options) {
  const data = JSON.parse(root.querySelector("script.player-data").textContent);
  const scenes = data.scenes;
  const svg = root.querySelector("svg");
  const text = root.querySelector(".step-text");
  const slider = root.querySelector("input[type=range]");
  const speed = root.querySelector("select");
  const playButton = root.querySelector("[data-action=play]");
  const panel = root.querySelector(".panel");

  // The SVG groups by their name in the layout: nodes ("v3", "v3_op"), edges ("v3->v2_op")
  // and frames ("cluster_MLP/Layer0").
  const groups = new Map();
  for (const group of svg.querySelectorAll("g[data-name]")) {
    groups.set(group.dataset.name, group);
  }
  const edges = [...svg.querySelectorAll("g.edge")].map(
    (group) => ({ group, ends: group.dataset.name.split("->") }));

  let current = 0;  // the scene shown, counted from 0
  let timer = null;  // set while playing

  // Text with `code` between backticks, written safely (no HTML is parsed).
  function write(element, words) {
    element.textContent = "";
    words.split("`").forEach((part, i) => {
      if (i % 2 === 1) {
        const code = document.createElement("code");
        code.textContent = part;
        element.appendChild(code);
      } else if (part) {
        element.appendChild(document.createTextNode(part));
      }
    });
  }

  // ---- folding the frames of name scopes ----
  const folds = data.folds;
  // Which frames hold each node, to light up a folded frame when its inside is active.
  const framesOf = new Map();
  for (const [name, fold] of Object.entries(folds)) {
    for (const member of fold.members) {
      if (!framesOf.has(member)) framesOf.set(member, []);
      framesOf.get(member).push(name);
    }
  }

  function hiddenByFolds() {
    const hidden = new Set();
    for (const fold of Object.values(folds)) {
      if (fold.folded) fold.members.forEach((member) => hidden.add(member));
    }
    return hidden;
  }

  function applyFolds() {
    const hidden = hiddenByFolds();
    for (const [name, group] of groups) {
      if (!group.classList.contains("edge")) group.classList.toggle("folded-away", hidden.has(name));
    }
    for (const { group, ends } of edges) {  // an edge inside a folded frame goes with it
      group.classList.toggle("folded-away", hidden.has(ends[0]) && hidden.has(ends[1]));
    }
    for (const [name, fold] of Object.entries(folds)) {
      const frame = groups.get(name);
      if (!frame) continue;
      frame.classList.toggle("folded", fold.folded);
      frame.setAttribute("aria-expanded", String(!fold.folded));
      frame.setAttribute("aria-label", (fold.folded ? "unfold " : "fold ") + fold.label);
    }
  }

  function toggleFold(name) {
    folds[name].folded = !folds[name].folded;
    applyFolds();
    show(current);
  }

  for (const [name, fold] of Object.entries(folds)) {
    const frame = groups.get(name);
    if (!frame) continue;
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "button");
    // A caption across the middle of the frame, seen only while it is folded.
    const box = frame.getBBox();
    const caption = document.createElementNS("http://www.w3.org/2000/svg", "text");
    caption.setAttribute("class", "fold-caption");
    caption.setAttribute("x", box.x + box.width / 2);
    caption.setAttribute("y", box.y + box.height / 2 + 4);
    caption.setAttribute("text-anchor", "middle");
    caption.setAttribute("font-size", Math.min(28, Math.max(14, box.height / 5)));
    caption.textContent = "▸ " + fold.label + ": " + fold.values + " value" +
      (fold.values === 1 ? "" : "s") + " folded, click to unfold";
    frame.appendChild(caption);
    frame.addEventListener("click", () => toggleFold(name));
    frame.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        toggleFold(name);
      }
    });
  }

  // ---- showing a step ----
  function show(k) {
    current = Math.max(0, Math.min(scenes.length - 1, k));
    const scene = scenes[current];
    const seen = new Set();
    const grads = new Map();
    for (let i = 0; i <= current; i++) {
      scenes[i].appear.forEach((name) => seen.add(name));
      for (const [name, grad] of Object.entries(scenes[i].grads)) grads.set(name, grad);
    }
    // Before a node's forward step it is faint; so is an edge until both its ends are seen.
    for (const [name, group] of groups) {
      if (group.classList.contains("node")) group.classList.toggle("unseen", !seen.has(name));
    }
    for (const { group, ends } of edges) {
      group.classList.toggle("unseen", !(seen.has(ends[0]) && seen.has(ends[1])));
    }
    // Each value's gradient: "grad —" until the backward pass reaches it, then its total.
    for (const [name, before] of Object.entries(data.noGradientYet)) {
      const field = groups.get(name).querySelector("text.grad");
      const [words, state] = grads.get(name) || [before, "none"];
      field.textContent = words;
      field.setAttribute("class", "grad " + state + (name in scene.grads ? " fresh" : ""));
    }
    // What this step is about, lit up (a folded frame stands for what it hides).
    const hidden = hiddenByFolds();
    for (const group of svg.querySelectorAll(".active, .receiving")) {
      group.classList.remove("active", "receiving");
    }
    const light = (name, kind) => {
      const outer = (framesOf.get(name) || []).find((frame) => folds[frame].folded &&
        !hidden.has(frame));
      const group = groups.get(hidden.has(name) && outer ? outer : name);
      if (group) group.classList.add(kind);
    };
    scene.active.forEach((name) => light(name, "active"));
    scene.receiving.forEach((name) => light(name, "receiving"));
    const active = new Set(scene.active);
    const flowing = new Set([...scene.active, ...scene.receiving]);
    for (const { group, ends } of edges) {  // the edges between the nodes of this step
      if (active.has(ends[1]) && (flowing.has(ends[0]) || scene.phase === "forward")) {
        group.classList.add("active");
      }
    }
    root.dataset.phase = scene.phase;
    write(text, scene.text);
    showPanel(scene.panel);
    slider.value = current + 1;
  }

  function showPanel(content) {
    write(panel.querySelector("h2"), content.title);
    const facts = panel.querySelector("dl");
    facts.textContent = "";
    for (const [name, value] of content.facts) {
      const term = document.createElement("dt");
      write(term, name);
      const description = document.createElement("dd");
      write(description, value);
      facts.append(term, description);
    }
    const table = panel.querySelector("table");
    table.hidden = content.rows.length === 0;
    const head = table.querySelector("thead");
    const body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    const row = (cells, tag) => {
      const line = document.createElement("tr");
      for (const cell of cells) {
        const element = document.createElement(tag);
        write(element, cell);
        line.appendChild(element);
      }
      return line;
    };
    if (content.rows.length) head.appendChild(row(content.head, "th"));
    for (const cells of content.rows) body.appendChild(row(cells, "td"));
  }

  // ---- playing ----
  function pause() {
    clearTimeout(timer);
    timer = null;
    playButton.textContent = "▶ play";
    playButton.setAttribute("aria-label", "play");
  }

  function play() {
    if (current === scenes.length - 1) show(0);  // from the end, play again from the start
    playButton.textContent = "⏸ pause";
    playButton.setAttribute("aria-label", "pause");
    const tick = () => {
      if (current >= scenes.length - 1) return pause();
      show(current + 1);
      timer = setTimeout(tick, Number(speed.value));
    };
    timer = setTimeout(tick, Number(speed.value));
  }

  function togglePlay() {
    if (timer === null) play(); else pause();
  }

  const actions = {
    first: () => show(0),
    previous: () => show(current - 1),
    next: () => show(current + 1),
    last: () => show(scenes.length - 1),
  };
  for (const button of root.querySelectorAll("button[data-action]")) {
    const action = button.dataset.action;
    button.addEventListener("click", () => {
      if (action === "play") return togglePlay();
      pause();
      actions[action]();
    });
  }
  slider.addEventListener("input", () => {
    pause();
    show(Number(slider.value) - 1);
  });
  root.querySelector("input.fit").addEventListener("change", (event) => {
    root.classList.toggle("natural-size", !event.target.checked);
  });

  // ---- the keyboard ----
  function onKey(event) {
    const target = event.target;
    // The slider and the speed menu answer the arrows themselves; a focused button answers
    // space and Enter (it is clicked).
    if (target.closest && target.closest("input, select, textarea")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const onButton = target.closest && target.closest("button");
    const keys = {
      ArrowRight: actions.next,
      ArrowLeft: actions.previous,
      Home: actions.first,
      End: actions.last,
    };
    if (event.key === " " && !onButton) {
      togglePlay();
    } else if (keys[event.key]) {
      pause();
      keys[event.key]();
    } else {
      return;
    }
    event.preventDefault();
  }
  (options.keysOnDocument ? document : root).addEventListener("keydown", onKey);

  applyFolds();
  show(0);
}
