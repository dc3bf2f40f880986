// The reference presence client (the seed's usePresence hook, without React): the online users
// filled by presence:bulk-online, updated by presence:online / presence:offline / presence:status,
// a presence:ping every heartbeat interval, plus the issue-7 extras: a status of one's own,
// "last seen" for teammates who left, and watching users of other teams (presence:subscribe).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let connection = null;
  let pingTimer = null;
  let me = null;
  let accessToken = null;
  // userId -> { online, status, lastSeen (Date | null), watched }
  const people = new Map();

  function person(userId) {
    let entry = people.get(userId);
    if (!entry) {
      entry = { online: false, status: null, lastSeen: null, watched: false };
      people.set(userId, entry);
    }
    return entry;
  }

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

  function item(userId, entry) {
    const li = document.createElement("li");
    li.dataset.userId = userId;
    const name = span(userId === me ? "name you" : "name", userId === me ? `${userId} (you)` : userId);
    li.append(name);
    if (entry.online) {
      li.dataset.status = entry.status || "available";
      li.append(span("detail", li.dataset.status));
    } else {
      li.append(span("detail last-seen", entry.lastSeen ? `last seen ${ago(entry.lastSeen)}` : "offline"));
    }
    if (entry.watched) {
      li.append(span("tag", "watching"));
      const unwatch = document.createElement("button");
      unwatch.type = "button";
      unwatch.textContent = "unwatch";
      unwatch.addEventListener("click", () => unwatchUser(userId));
      li.append(unwatch);
    }
    return li;
  }

  function render() {
    const sorted = [...people.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const online = sorted.filter(([, entry]) => entry.online);
    $("online").replaceChildren(...online.map(([userId, entry]) => item(userId, entry)));
    $("offline").replaceChildren(...sorted.filter(([, entry]) => !entry.online).map(([userId, entry]) => item(userId, entry)));
    $("online-count").textContent = String(online.length);
    const mine = people.get(me);
    if (mine && mine.online) $("my-status").value = mine.status || "available";
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

  // Teammates who left before this page opened are known only to the server: it remembers last seen.
  async function loadRoster() {
    const response = await fetch("/api/team/presence", { headers: { Authorization: `Bearer ${accessToken}` } });
    if (!response.ok) return;
    const { members } = await response.json();
    for (const member of members) {
      const known = people.has(member.userId);
      const entry = person(member.userId);
      // Pushed events are newer than this snapshot: only fill in what they cannot tell.
      if (!known) {
        entry.online = member.online;
        entry.status = member.status;
      }
      if (!entry.online && member.lastSeen && !entry.lastSeen) entry.lastSeen = new Date(member.lastSeen);
    }
    render();
  }

  function applySubscribeResult(userIds, result) {
    const online = new Set(result.online);
    for (const userId of userIds) {
      const entry = person(userId);
      entry.watched = true;
      entry.online = online.has(userId);
      entry.status = entry.online ? (result.statuses && result.statuses[userId]) || "available" : null;
      const seen = result.lastSeen && result.lastSeen[userId];
      if (seen) entry.lastSeen = new Date(seen);
    }
    render();
  }

  async function watchUsers(userIds) {
    if (userIds.length === 0) return;
    const result = await connection.invoke("presence:subscribe", { userIds });
    applySubscribeResult(userIds, result);
  }

  async function unwatchUser(userId) {
    try {
      await connection.invoke("presence:unsubscribe", { userIds: [userId] });
      const entry = person(userId);
      entry.watched = false;
      render();
    } catch (error) {
      showError(error);
    }
  }

  function startPinging(intervalMs) {
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      connection.invoke("presence:ping").catch((error) => console.warn("presence:ping failed", error));
    }, intervalMs);
  }

  async function signIn(userId, team) {
    const token = await postJson("/api/dev/token", { userId, team: team || undefined });
    const config = await (await fetch("/api/presence/config")).json();

    if (connection) {
      clearInterval(pingTimer);
      await connection.stop();
    }

    me = userId;
    accessToken = token.accessToken;
    people.clear();
    render();
    $("team-name").textContent = team || "lobby";

    connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/presence", { accessTokenFactory: () => accessToken })
      .withAutomaticReconnect()
      .build();

    // A fresh list after every (re)connect heals whatever was missed while disconnected.
    connection.on("presence:bulk-online", (data) => {
      const online = new Set(data.users);
      for (const [id, entry] of people) {
        if (!entry.watched && entry.online && !online.has(id)) entry.online = false;
      }
      for (const id of data.users) {
        const entry = person(id);
        entry.online = true;
        entry.status = (data.statuses && data.statuses[id]) || "available";
        entry.lastSeen = null;
      }
      render();
      loadRoster().catch((error) => console.warn("roster failed", error));
    });
    // Events about one user can cross on the way (an expiry swept on one node, the user's next ping
    // re-registering on another): apply an online/offline only if it is not older than the last one.
    const isStale = (entry, timestamp) => {
      const at = Date.parse(timestamp);
      if (entry.changedAt !== undefined && at < entry.changedAt) return true;
      entry.changedAt = at;
      return false;
    };
    connection.on("presence:online", (data) => {
      const entry = person(data.userId);
      if (isStale(entry, data.timestamp)) return;
      entry.online = true;
      entry.status = "available";
      entry.lastSeen = null;
      render();
    });
    connection.on("presence:offline", (data) => {
      const entry = person(data.userId);
      if (isStale(entry, data.timestamp)) return;
      entry.online = false;
      entry.status = null;
      entry.lastSeen = new Date(data.timestamp);
      render();
    });
    connection.on("presence:status", (data) => {
      const entry = person(data.userId);
      entry.online = true;
      entry.status = data.status;
      render();
    });
    connection.onreconnecting(() => {
      setStatus("reconnecting");
      setControlsEnabled(false);
    });
    connection.onreconnected(() => {
      setStatus(`connected as ${userId}`);
      setControlsEnabled(true);
      // Subscriptions belong to a connection: a new connection asks again.
      const watched = [...people].filter(([, entry]) => entry.watched).map(([id]) => id);
      watchUsers(watched).catch(showError);
    });
    connection.onclose((error) => {
      clearInterval(pingTimer);
      setControlsEnabled(false);
      setStatus(error ? `disconnected: ${error.message}` : "disconnected");
    });

    setStatus("connecting");
    await connection.start();
    setStatus(`connected as ${userId}`);
    setControlsEnabled(true);
    startPinging(config.heartbeatIntervalMs);
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
    connection.invoke("presence:set-status", { status: $("my-status").value }).catch(showError);
  });

  $("presence-controls").addEventListener("submit", (event) => {
    event.preventDefault();
    $("error").textContent = "";
    const userId = $("watch-user").value.trim();
    if (!userId) return;
    watchUsers([userId]).then(() => { $("watch-user").value = ""; }).catch(showError);
  });

  // "3 min ago" must age while the page stays open.
  setInterval(render, 30000);
})();
