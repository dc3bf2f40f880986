// The demo page: sign in, then render what @presence/client knows. The package keeps the view in
// sync (bulk-online, online/offline/status under the version rule, pings, watches re-sent after a
// reconnect); this file only renders it, plus the demo's roster of teammates who left before the
// page opened ("last seen" known only to the server, from GET /api/team/presence).
import { createPresence } from "./lib/presence-client/index.js";

const $ = (id) => document.getElementById(id);
let connection = null;
let presence = null;
let me = null;
let accessToken = null;
/** userId -> { online, status, lastSeen } from the roster endpoint, for teammates the hub has not told about. */
let roster = new Map();

function ago(date) {
  const minutes = Math.floor(Math.max(0, Date.now() - date.getTime()) / 60000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function item(person) {
  const li = document.createElement("li");
  li.dataset.userId = person.userId;
  const you = person.userId === me;
  li.append(span(you ? "name you" : "name", you ? `${person.userId} (you)` : person.userId));
  if (person.online) {
    li.dataset.status = person.status || "available";
    li.append(span("detail", li.dataset.status));
  } else {
    li.append(span("detail last-seen", person.lastSeen ? `last seen ${ago(person.lastSeen)}` : "offline"));
  }
  if (person.watched) {
    li.append(span("tag", "watching"));
    const unwatch = document.createElement("button");
    unwatch.type = "button";
    unwatch.textContent = "unwatch";
    unwatch.addEventListener("click", () => presence.unwatch([person.userId]).catch(showError));
    li.append(unwatch);
  }
  return li;
}

/** Everyone to show: what the hub said wins; the roster fills in the rest. */
function people() {
  const snapshot = presence ? presence.getSnapshot() : null;
  const result = new Map();
  for (const [userId, entry] of roster) {
    result.set(userId, { userId, online: entry.online, status: entry.status, lastSeen: entry.lastSeen, watched: false });
  }
  if (snapshot) {
    for (const [userId, user] of snapshot.users) {
      const fromRoster = result.get(userId);
      const lastSeen = user.online ? null : (snapshot.lastSeen(userId) ?? fromRoster?.lastSeen ?? null);
      result.set(userId, { userId, online: user.online, status: snapshot.statusOf(userId) ?? null, lastSeen, watched: user.watched });
    }
  }
  return [...result.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

function render() {
  const everyone = people();
  const online = everyone.filter((p) => p.online);
  $("online").replaceChildren(...online.map(item));
  $("offline").replaceChildren(...everyone.filter((p) => !p.online).map(item));
  $("online-count").textContent = String(online.length);
  const mine = presence && presence.statusOf(me);
  if (mine) $("my-status").value = mine;
}

function setStatus(text) {
  $("status").textContent = text;
}

function showError(error) {
  $("error").textContent = error.message || String(error);
}

function setControlsEnabled(enabled) {
  for (const id of ["my-status", "watch-user", "watch"]) $(id).disabled = !enabled;
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = await response.json();
  if (!response.ok) {
    const messages = payload.errors ? Object.values(payload.errors).flat() : [payload.detail || payload.title];
    throw new Error(messages.join(" "));
  }
  return payload;
}

async function loadRoster() {
  const response = await fetch("/api/team/presence", { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!response.ok) return;
  const { members } = await response.json();
  roster = new Map(members.map((m) => [m.userId, { online: m.online, status: m.status, lastSeen: m.lastSeen ? new Date(m.lastSeen) : null }]));
  render();
}

async function signIn(userId, team) {
  const token = await postJson("/api/dev/token", { userId, team: team || undefined });

  if (connection) {
    presence.dispose();
    await connection.stop();
  }

  me = userId;
  accessToken = token.accessToken;
  roster = new Map();
  $("team-name").textContent = team || "lobby";

  connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/presence", { accessTokenFactory: () => accessToken })
    .withAutomaticReconnect()
    .build();
  // Pings at the server's HeartbeatInterval (from bulk-online); leaving the page closes the connection.
  presence = createPresence(connection, {
    stopOnPageHide: true,
    onError: (error, where) => console.warn(`presence (${where}) failed`, error),
  });
  presence.subscribe(render);
  presence.on("sync", () => loadRoster().catch((error) => console.warn("roster failed", error)));
  render();

  connection.onreconnecting(() => {
    setStatus("reconnecting");
    setControlsEnabled(false);
  });
  connection.onreconnected(() => {
    setStatus(`connected as ${userId}`);
    setControlsEnabled(true);
  });
  connection.onclose((error) => {
    setControlsEnabled(false);
    setStatus(error ? `disconnected: ${error.message}` : "disconnected");
  });

  setStatus("connecting");
  await connection.start();
  setStatus(`connected as ${userId}`);
  setControlsEnabled(true);
}

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  $("error").textContent = "";
  signIn($("user-id").value, $("team").value.trim()).catch((error) => {
    showError(error);
    setStatus("signed out");
  });
});

$("my-status").addEventListener("change", () => {
  $("error").textContent = "";
  presence.setStatus($("my-status").value).catch(showError);
});

$("presence-controls").addEventListener("submit", (event) => {
  event.preventDefault();
  $("error").textContent = "";
  const userId = $("watch-user").value.trim();
  if (!userId) return;
  presence.watch([userId]).then(() => { $("watch-user").value = ""; }).catch(showError);
});

// "3 min ago" must age while the page stays open.
setInterval(render, 30000);
