// The reference presence client (the seed's usePresence hook, without React): a set of online users
// filled by presence:bulk-online, updated by presence:online / presence:offline, and a
// presence:ping every heartbeat interval.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let connection = null;
  let pingTimer = null;
  let me = null;
  const onlineUsers = new Set();

  function render() {
    const list = $("online");
    list.replaceChildren(...[...onlineUsers].sort().map((userId) => {
      const item = document.createElement("li");
      item.dataset.userId = userId;
      item.textContent = userId === me ? `${userId} (you)` : userId;
      if (userId === me) item.className = "you";
      return item;
    }));
    $("online-count").textContent = String(onlineUsers.size);
  }

  function setStatus(text) {
    $("status").textContent = text;
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

  function startPinging(intervalMs) {
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      connection.invoke("presence:ping").catch((error) => console.warn("presence:ping failed", error));
    }, intervalMs);
  }

  async function signIn(userId, team) {
    const { accessToken } = await postJson("/api/dev/token", { userId, team: team || undefined });
    const config = await (await fetch("/api/presence/config")).json();

    if (connection) {
      clearInterval(pingTimer);
      await connection.stop();
    }

    me = userId;
    onlineUsers.clear();
    render();
    $("team-name").textContent = team || "lobby";

    connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/presence", { accessTokenFactory: () => accessToken })
      .withAutomaticReconnect()
      .build();

    // A fresh list after every (re)connect heals whatever was missed while disconnected.
    connection.on("presence:bulk-online", (data) => {
      onlineUsers.clear();
      data.users.forEach((userId) => onlineUsers.add(userId));
      render();
    });
    connection.on("presence:online", (data) => {
      onlineUsers.add(data.userId);
      render();
    });
    connection.on("presence:offline", (data) => {
      onlineUsers.delete(data.userId);
      render();
    });
    connection.onreconnecting(() => setStatus("reconnecting"));
    connection.onreconnected(() => setStatus(`connected as ${userId}`));
    connection.onclose((error) => {
      clearInterval(pingTimer);
      setStatus(error ? `disconnected: ${error.message}` : "disconnected");
    });

    setStatus("connecting");
    await connection.start();
    setStatus(`connected as ${userId}`);
    startPinging(config.heartbeatIntervalMs);
  }

  $("sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    $("error").textContent = "";
    signIn($("user-id").value, $("team").value.trim()).catch((error) => {
      $("error").textContent = error.message;
      setStatus("signed out");
    });
  });
})();
