"use strict";
// The HostKit chat client: join a room, show its events, reconnect with backoff and resume with after=<last id>
// and epoch=<its epoch>. Each message goes out with its own id (cid) and stays in the outbox, shown under the log,
// until the server acknowledges it: written while offline it waits for the connection; refused, it keeps its text
// and is offered again; after every reconnect it is sent again (the server stores a cid once, so a resend never
// doubles a message). Every text from the server is put in the page with textContent, never as HTML.
(() => {
  const $ = (id) => document.getElementById(id);
  const MAX_MESSAGE_BYTES = 4096;
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  let socket = null;
  let room = null;
  let name = null;
  let lastId = null;
  let epoch = null;
  let attempt = 0;
  let retryTimer = 0;
  // While the first connection after a join lasts: tell the reader when someone else in the room has the same name. Not
  // after a reconnect, when the server may still list the page's previous connection for a while.
  let checkingName = false;
  // What this page wrote and the server has not shown as stored yet, by cid, in the order it was written:
  // { text, state: "queued" | "sending" | "checking" | "refused" | "stored", id, item, retries, timer }.
  const outbox = new Map();
  // Ids the server acknowledged for this page's messages: their events are marked as the reader's own.
  const ownIds = new Set();
  // The member ids of this page's connections (each learnt from its own join, the copy marked "you": true), the current
  // one last: events carrying one of them are the reader's own, whatever name others use.
  const myMembers = new Set();
  let myMember = null;
  // Who is in the room, from the join, leave and message events seen, one entry per connection (its member id), or per name
  // for events from a server that gives no member ids: key -> { name, member, times }.
  const members = new Map();
  // The member ids seen under each name, and the names two connections have had at once: those are told apart, on every
  // line and in the list, by a short id after the name ("ann #3f9a"), for the rest of the page's life.
  const idsByName = new Map();
  const sharedNames = new Set();
  const session = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  let sequence = 0;

  $("host").textContent = document.querySelector('meta[name="hostkit-host"]').content || "an unknown host";
  if (params.get("room")) $("room").value = params.get("room");
  if (params.get("name")) $("name").value = params.get("name");

  function setState(text, state, detail) {
    $("state").textContent = text;
    $("state").dataset.state = state;
    $("state").title = detail || "";
  }

  // One notice at a time; its kind says what clears it (the reader editing the text, the next send, a new join).
  function showNotice(text, kind) {
    $("notice-text").textContent = text;
    $("notice").dataset.kind = kind;
    $("notice").hidden = false;
  }

  function clearNotice(...kinds) {
    if (kinds.length === 0 || kinds.includes($("notice").dataset.kind)) $("notice").hidden = true;
  }

  function formatTime(ts) {
    const date = new Date(ts);
    const time = { hour: "2-digit", minute: "2-digit", second: "2-digit" };
    return date.toDateString() === new Date().toDateString()
      ? date.toLocaleTimeString([], time)
      : date.toLocaleString([], { year: "numeric", month: "short", day: "numeric", ...time });
  }

  function line(className, parts, ts) {
    const item = document.createElement("li");
    item.className = className;
    if (ts) {
      const time = document.createElement("time");
      time.dateTime = new Date(ts).toISOString();
      time.textContent = formatTime(ts);
      time.title = new Date(ts).toLocaleString([], { dateStyle: "full", timeStyle: "long" });
      item.append(time);
    }
    for (const [partClass, text] of parts) {
      const span = document.createElement("span");
      if (partClass) span.className = partClass;
      span.textContent = text;
      item.append(span);
    }
    return item;
  }

  // Follows new lines while the reader is at the bottom; leaves the view alone when they scrolled up to read, and
  // counts what arrived below on a button that takes them back down.
  let unseen = 0;

  function atBottom() {
    const log = $("log");
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function keepingScroll(change) {
    const log = $("log");
    const following = atBottom();
    change();
    if (following) {
      log.scrollTop = log.scrollHeight;
    } else {
      unseen++;
      $("jump").textContent = `\u2193 ${unseen} new ${unseen === 1 ? "line" : "lines"}`;
      $("jump").hidden = false;
    }
  }

  function caughtUp() {
    unseen = 0;
    $("jump").hidden = true;
  }

  $("jump").addEventListener("click", () => {
    $("log").scrollTop = $("log").scrollHeight;
    caughtUp();
  });
  $("log").addEventListener("scroll", () => {
    if (atBottom()) caughtUp();
  });

  function addLine(item) {
    keepingScroll(() => $("messages").append(item));
  }

  function eventKey(id, of = epoch) {
    return `${of}:${id}`;
  }

  function youTag() {
    const tag = document.createElement("span");
    tag.className = "you";
    tag.textContent = "you";
    return tag;
  }

  // The name as shown: with a short id after it ("ann #3f9a") once two connections have had the name at once, the whole id
  // when two of those share the short one. Without a member id (a server before them), the name alone.
  function label(who, member) {
    if (!member || !sharedNames.has(who)) return who;
    const short = member.slice(0, 4);
    const clash = [...(idsByName.get(who) || [])].some((id) => id !== member && id.slice(0, 4) === short);
    return `${who} #${clash ? member : short}`;
  }

  // A name in a line of the log, kept up to date by relabel() when the name comes to be shared.
  function nameSpan(span, event) {
    span.dataset.name = event.name;
    if (event.member) {
      span.dataset.member = event.member;
      span.title = `member ${event.member}`;
    }
    span.textContent = label(event.name, event.member);
  }

  function relabel(who) {
    for (const span of $("messages").querySelectorAll("[data-member]")) {
      if (span.dataset.name === who) span.textContent = label(who, span.dataset.member);
    }
  }

  function isOwn(event) {
    return ownIds.has(eventKey(event.id)) || (typeof event.member === "string" && myMembers.has(event.member));
  }

  function showMessage(event) {
    const waiting = [...outbox].filter(([, entry]) => entry.id === event.id);
    const own = waiting.length > 0 || isOwn(event);
    const item = line(own ? "message own" : "message", [["who", ""], ["text", event.text]], event.ts);
    nameSpan(item.querySelector(".who"), event);
    if (own) item.querySelector(".who").after(youTag());
    item.dataset.key = eventKey(event.id);
    addLine(item);
    for (const [cid] of waiting) settle(cid);
  }

  function showPresence(event, what) {
    const item = line("event", [["name", ""], [null, ` ${what}`]], event.ts);
    nameSpan(item.querySelector(".name"), event);
    addLine(item);
  }

  // --- members -------------------------------------------------------------------------------------------------

  function keyOf(event) {
    return typeof event.member === "string" ? `m:${event.member}` : `n:${event.name}`;
  }

  function count(event, change) {
    const key = keyOf(event);
    const entry = members.get(key) || { name: event.name, member: event.member || null, times: 0 };
    entry.times = Math.max(0, entry.times + change);
    if (entry.times === 0) members.delete(key);
    else members.set(key, entry);
  }

  // This page's own connection is in the room while it is open, whatever the events say: after a reset its join may be
  // in the lost log, and a previous connection's leave may come after the current one's join.
  function connected() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  // Who is listed: everyone the events say is here, but of this page's connections only the current one, and that one
  // while it is connected, from before its own join arrives.
  function listed() {
    const entries = [...members.values()].filter((entry) => !(entry.member && myMembers.has(entry.member) && entry.member !== myMember));
    const self = myMember ? members.has(`m:${myMember}`) : members.has(`n:${name}`);
    if (connected() && !self) entries.push({ name, member: myMember, times: 1 });
    return entries;
  }

  function renderMembers() {
    const list = $("members");
    list.replaceChildren();
    let everyone = 0;
    const entries = listed().map((entry) => ({ ...entry, shown: label(entry.name, entry.member) }));
    for (const entry of entries.sort((a, b) => a.shown.localeCompare(b.shown))) {
      everyone += entry.times;
      const item = document.createElement("li");
      item.textContent = entry.shown;
      item.dataset.name = entry.name;
      if (entry.member) item.dataset.member = entry.member;
      if (entry.member && entry.member === myMember) item.className = "own";
      if (entry.times > 1) {
        // Only without member ids: connections the page cannot tell apart.
        const badge = document.createElement("span");
        badge.className = "count";
        badge.textContent = `\u00d7${entry.times}`;
        badge.title = `${entry.times} members use this name`;
        item.append(badge);
      }
      list.append(item);
    }
    // Connections, not names: "ann #3f9a", "ann #c21b" and "bob" are three people here.
    $("member-count").textContent = `(${everyone})`;
    $("people").hidden = room === null;
  }

  // A name two listed connections have at once becomes shared: from then on its lines and entries carry their short ids.
  function noteNames(who) {
    const present = listed().filter((entry) => entry.name === who);
    if (!sharedNames.has(who) && present.filter((entry) => entry.member).length > 1) sharedNames.add(who);
    if (sharedNames.has(who)) relabel(who);
    return present.reduce((sum, entry) => sum + entry.times, 0);
  }

  function track(event) {
    if (typeof event.member === "string") {
      if (!idsByName.has(event.name)) idsByName.set(event.name, new Set());
      idsByName.get(event.name).add(event.member);
    }
    switch (event.type) {
      case "join":
        if (event.you === true && typeof event.member === "string") {
          myMember = event.member;
          myMembers.add(event.member);
        }
        count(event, +1);
        break;
      case "leave":
        if (members.has(keyOf(event))) count(event, -1);
        // A connection that joined under a server before member ids, and left under one with them.
        else if (members.has(`n:${event.name}`)) count({ name: event.name }, -1);
        break;
      case "message":
        // Said by someone who joined before the oldest event this page got: present until their leave comes. Not one of
        // this page's own connections (without member ids: not under its name): those before the current one are gone.
        if (members.has(keyOf(event))) break;
        if (typeof event.member === "string" ? !myMembers.has(event.member) : event.name !== name) count(event, +1);
        break;
      default:
        return;
    }
    const namesakes = noteNames(event.name);
    // Two connections under this page's name, the page's own among them, or someone taking the name later.
    if (event.type === "join" && checkingName && event.name === name && namesakes > 1) {
      checkingName = false;
      showNotice(`Someone in ${room} is already called "${name}". The server lets members share a name: this page marks ` +
        `your own messages "you", and every page here tells the two of you apart by a short id after the name.`, "name");
    }
    renderMembers();
  }

  // --- the outbox ----------------------------------------------------------------------------------------------

  const STATUS = {
    queued: "not connected: sends when the page is connected again",
    sending: "sending\u2026",
    checking: "the server could not tell whether it was stored: asking again\u2026",
    stored: "stored, waiting for it to come back\u2026",
  };

  function setOutboxState(cid, state, reason) {
    const entry = outbox.get(cid);
    if (!entry) return;
    entry.state = state;
    entry.item.dataset.state = state;
    const status = entry.item.querySelector(".status");
    status.textContent = state === "refused" ? `not sent: ${reason}` : STATUS[state];
    entry.item.querySelector(".retry").hidden = state !== "refused";
    entry.item.querySelector(".discard").hidden = state !== "refused" && state !== "queued";
  }

  function write(text) {
    const cid = `${session}-${++sequence}`;
    const item = line("pending own", [["who", name], ["text", text], ["status", ""]]);
    item.querySelector(".who").after(youTag());
    item.dataset.cid = cid;
    for (const [label, action] of [["Send again", "retry"], ["Discard", "discard"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `small ${action}`;
      button.textContent = label;
      button.addEventListener("click", () => (action === "retry" ? send(cid) : settle(cid)));
      item.append(button);
    }
    outbox.set(cid, { text, state: "queued", id: null, item, retries: 0, timer: 0 });
    // The reader's own line: shown where they look next, at the bottom.
    $("outbox").append(item);
    $("log").scrollTop = $("log").scrollHeight;
    caughtUp();
    setOutboxState(cid, "queued");
    send(cid);
  }

  function send(cid) {
    const entry = outbox.get(cid);
    if (!entry || entry.state === "stored") return;
    clearTimeout(entry.timer);
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      setOutboxState(cid, "queued");
      return;
    }
    if (entry.state !== "checking") setOutboxState(cid, "sending");
    socket.send(JSON.stringify({ type: "message", text: entry.text, cid }));
  }

  function settle(cid) {
    const entry = outbox.get(cid);
    if (!entry) return;
    outbox.delete(cid);
    clearTimeout(entry.timer);
    entry.item.remove();
  }

  function acknowledged(event) {
    const entry = outbox.get(event.cid);
    if (!entry) return;
    // The ack names the log its id belongs to (servers before that did not: then the page's current one).
    const key = eventKey(event.id, event.epoch ?? epoch);
    ownIds.add(key);
    const shown = document.querySelector(`#messages li[data-key="${key}"]`);
    if (shown) {
      // The event came before its ack: mark it now (unless its member id marked it already).
      if (!shown.classList.contains("own")) {
        shown.classList.add("own");
        shown.querySelector(".who").after(youTag());
      }
      settle(event.cid);
      return;
    }
    entry.id = event.id;
    entry.retries = 0;
    setOutboxState(event.cid, "stored");
  }

  function refused(event) {
    if (event.outcome === "unknown" && outbox.has(event.cid)) {
      // Nobody can tell yet whether it was stored: ask again with the same cid (stored at most once).
      setOutboxState(event.cid, "checking");
      setTimeout(() => send(event.cid), 1000);
    } else if (outbox.has(event.cid)) {
      // Refused (Redis down, over the rate): kept, and tried again by itself, less and less often, or at once with
      // Send again. A resend has the same cid, so it is never stored twice.
      const entry = outbox.get(event.cid);
      const delay = Math.min(8000, 1000 * 2 ** entry.retries++);
      const reason = (event.reason || "refused").replace(/^the message was not stored: /, "");
      setOutboxState(event.cid, "refused", `${reason}; trying again in ${Math.round(delay / 1000)} s`);
      entry.timer = setTimeout(() => send(event.cid), delay);
    } else {
      showNotice(`Not sent: ${event.reason}`, "send");
    }
  }

  // --- events --------------------------------------------------------------------------------------------------

  function gap(event) {
    const reset = event.reset || event.from >= event.to;
    const text = reset
      ? "The chat's history was reset: the server or its storage restarted and lost this room's messages. " +
        "What is above stays on this page; new messages follow."
      : `Missed events ${event.from + 1} to ${event.to - 1}: the server no longer keeps them.`;
    if (reset) {
      // A new log: ids start again (its epoch comes with its first event), and whoever is here joins again.
      epoch = null;
      members.clear();
      renderMembers();
    }
    showNotice(text, "gap");
    addLine(line("gap", [[null, text]]));
  }

  function show(event) {
    if (typeof event.epoch === "string") epoch = event.epoch;
    switch (event.type) {
      case "message":
        showMessage(event);
        break;
      case "join":
        showPresence(event, "joined");
        break;
      case "leave":
        showPresence(event, "left");
        break;
      case "gap":
        gap(event);
        break;
      case "ack":
        acknowledged(event);
        break;
      case "error":
        refused(event);
        break;
    }
    track(event);
    if (typeof event.id === "number" && event.type !== "ack") lastId = event.id;
  }

  // --- the connection ------------------------------------------------------------------------------------------

  // Why the connection ended, in words; the close code goes to the tooltip only.
  function closedBecause(close, opened) {
    switch (close.code) {
      case 1001: return "the server is restarting";
      case 1011: return "the server lost its chat storage";
      case 1013: return "this page fell behind the room";
      default: return opened ? "connection lost" : "cannot reach the chat server";
    }
  }

  function connect() {
    const url = new URL("/ws/chat", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("room", room);
    url.searchParams.set("name", name);
    if (lastId !== null) url.searchParams.set("after", String(lastId));
    if (lastId !== null && epoch !== null) url.searchParams.set("epoch", epoch);
    if (token) url.searchParams.set("token", token);
    setState(lastId === null ? "connecting\u2026" : "reconnecting\u2026", "connecting");

    const ws = new WebSocket(url);
    let opened = false;
    socket = ws;
    // A new connection, a new member id: known when its own join arrives.
    myMember = null;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      setState(`connected to ${room} as ${name}`, "open");
      $("send").hidden = false;
      renderMembers();
      for (const cid of outbox.keys()) send(cid);
    };
    ws.onmessage = (message) => show(JSON.parse(message.data));
    ws.onclose = (close) => {
      if (socket !== ws) return; // replaced by a new join
      socket = null;
      checkingName = false;
      renderMembers();
      for (const [cid, entry] of outbox) {
        if (entry.state === "sending" || entry.state === "checking") setOutboxState(cid, "queued");
      }
      if ([1003, 1008, 1009].includes(close.code)) {
        // The server refused what this page sent; trying again would do the same.
        setState(`closed by the server: ${close.reason || "it refused what this page sent"}`, "closed", `close code ${close.code}`);
        return;
      }
      // Exponential backoff with jitter, capped, so a restarted server is not stampeded.
      const delay = Math.min(8000, 250 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      setState(`${closedBecause(close, opened)}; trying again in ${(delay / 1000).toFixed(1)} s`, "waiting", `close code ${close.code}`);
      retryTimer = setTimeout(connect, delay);
    };
  }

  $("notice-close").addEventListener("click", () => clearNotice());

  $("join").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const newRoom = $("room").value;
    const newName = $("name").value;
    if (newRoom !== room || newName !== name) {
      // What was written under another room or name is not sent under this one.
      $("outbox").replaceChildren();
      outbox.clear();
      ownIds.clear();
      myMembers.clear();
    }
    room = newRoom;
    name = newName;
    clearNotice();
    clearTimeout(retryTimer);
    attempt = 0;
    const old = socket;
    socket = null;
    if (old) old.close(1000, "joining again");
    // A fresh join: the room's recent history, and the member list built from it.
    lastId = null;
    epoch = null;
    checkingName = true;
    $("messages").replaceChildren();
    caughtUp();
    members.clear();
    idsByName.clear();
    sharedNames.clear();
    renderMembers();
    connect();
  });

  $("text").addEventListener("input", () => clearNotice("length"));

  $("send").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const text = $("text").value;
    if (!text || room === null) return;
    if (new TextEncoder().encode(text).length > MAX_MESSAGE_BYTES) {
      showNotice(`A message is at most ${MAX_MESSAGE_BYTES} bytes; this one has ${new TextEncoder().encode(text).length}.`, "length");
      return;
    }
    clearNotice("length", "send", "gap");
    write(text);
    $("text").value = "";
    $("text").focus();
  });
})();
