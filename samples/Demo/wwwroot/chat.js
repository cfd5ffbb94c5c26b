"use strict";
// The HostKit chat client: join a room, show its events, reconnect with backoff and resume with after=<last id>
// and epoch=<its epoch>. Each message goes out with its own id (cid); until the server acknowledges it, it is kept
// and sent again after a reconnect (the server stores a cid once, so a resend never doubles a message).
// Every text from the server is put in the page with textContent, never as HTML.
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
  // Messages sent and not yet acknowledged, by cid, in the order they were written.
  const unacked = new Map();
  const session = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  let sequence = 0;
  let retryTimer = 0;

  $("host").textContent = document.querySelector('meta[name="hostkit-host"]').content || "an unknown host";
  if (params.get("room")) $("room").value = params.get("room");
  if (params.get("name")) $("name").value = params.get("name");

  function setState(text, state) {
    $("state").textContent = text;
    $("state").dataset.state = state;
  }

  function showNotice(text) {
    $("notice").textContent = text;
    $("notice").hidden = false;
  }

  function addLine(className, parts, ts) {
    const item = document.createElement("li");
    item.className = className;
    if (ts) {
      const time = document.createElement("time");
      time.dateTime = new Date(ts).toISOString();
      time.textContent = new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      item.append(time);
    }
    for (const [partClass, text] of parts) {
      const span = document.createElement("span");
      if (partClass) span.className = partClass;
      span.textContent = text;
      item.append(span);
    }
    const list = $("messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function show(event) {
    switch (event.type) {
      case "message":
        addLine("message", [["who", event.name], ["text", event.text]], event.ts);
        break;
      case "join":
        addLine("event", [[null, `${event.name} joined`]], event.ts);
        break;
      case "leave":
        addLine("event", [[null, `${event.name} left`]], event.ts);
        break;
      case "gap": {
        const text = !event.reset && event.from < event.to
          ? `Missed events ${event.from + 1} to ${event.to - 1}: the server no longer keeps them.`
          : `The server restarted and lost the room's history: what was said after event ${event.from} is gone. New events follow.`;
        showNotice(text);
        addLine("gap", [[null, text]]);
        break;
      }
      case "ack":
        unacked.delete(event.cid);
        break;
      case "error":
        if (event.outcome === "unknown" && unacked.has(event.cid)) {
          // The server cannot tell whether it was stored: ask again with the same cid (stored at most once).
          setTimeout(() => resend(event.cid), 1000);
          break;
        }
        if (event.cid) unacked.delete(event.cid);
        showNotice(`Not sent: ${event.reason}`);
        break;
    }
    if (typeof event.epoch === "string") epoch = event.epoch;
    if (typeof event.id === "number" && event.type !== "ack") lastId = event.id;
  }

  function resend(cid) {
    if (unacked.has(cid) && socket && socket.readyState === WebSocket.OPEN)
      socket.send(JSON.stringify({ type: "message", text: unacked.get(cid), cid }));
  }

  function connect() {
    const url = new URL("/ws/chat", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("room", room);
    url.searchParams.set("name", name);
    if (lastId !== null) url.searchParams.set("after", String(lastId));
    if (lastId !== null && epoch !== null) url.searchParams.set("epoch", epoch);
    if (token) url.searchParams.set("token", token);
    setState(lastId === null ? "connecting…" : "reconnecting…", "connecting");

    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState(`connected to ${room} as ${name}`, "open");
      $("send").hidden = false;
      for (const cid of unacked.keys()) resend(cid);
    };
    ws.onmessage = (message) => show(JSON.parse(message.data));
    ws.onclose = (close) => {
      if (socket !== ws) return; // replaced by a new join
      socket = null;
      if ([1003, 1008, 1009].includes(close.code)) {
        // The server refused what this page sent; trying again would do the same.
        setState(`closed by the server: ${close.reason || close.code}`, "closed");
        return;
      }
      // Exponential backoff with jitter, capped, so a restarted server is not stampeded.
      const delay = Math.min(8000, 250 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      setState(`disconnected (${close.code}); reconnecting in ${(delay / 1000).toFixed(1)} s`, "waiting");
      retryTimer = setTimeout(connect, delay);
    };
  }

  $("join").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const newRoom = $("room").value;
    if (newRoom !== room) {
      $("messages").replaceChildren();
      lastId = null;
      epoch = null;
      unacked.clear();
    }
    room = newRoom;
    name = $("name").value;
    $("notice").hidden = true;
    clearTimeout(retryTimer);
    attempt = 0;
    const old = socket;
    socket = null;
    if (old) old.close(1000, "joining again");
    connect();
  });

  $("send").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const text = $("text").value;
    if (!text || room === null) return;
    if (new TextEncoder().encode(text).length > MAX_MESSAGE_BYTES) {
      showNotice(`A message is at most ${MAX_MESSAGE_BYTES} bytes.`);
      return;
    }
    // Kept until acknowledged: sent now when connected, else as soon as the page is connected again.
    const cid = `${session}-${++sequence}`;
    unacked.set(cid, text);
    resend(cid);
    $("text").value = "";
    $("text").focus();
  });
})();
