// The store against a fake connection: the ordering rules, the heartbeat, reconnects and dispose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPresence } from "@presence/client";
import { FakeConnection, FakeTimers, flush } from "./support/fake-connection.mjs";

function setup(options = {}) {
  const connection = new FakeConnection();
  const timers = new FakeTimers();
  const presence = createPresence(connection, { timers, ...options });
  return { connection, timers, presence };
}

const sorted = (set) => [...set].sort();

test("bulk-online fills the view; online, offline and status update it", async () => {
  const { connection, presence } = setup();
  assert.equal(presence.isSynced, false);
  connection.connect({ users: ["alice", "bob"], statuses: { bob: "busy" } });
  await presence.ready;
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "bob"]);
  assert.equal(presence.statusOf("alice"), "available");
  assert.equal(presence.statusOf("bob"), "busy");
  connection.receive("presence:online", { userId: "carol", timestamp: "2025-01-31T12:00:00.000Z" });
  connection.receive("presence:status", { userId: "alice", status: "away", timestamp: "2025-01-31T12:00:01.000Z" });
  connection.receive("presence:offline", { userId: "bob", timestamp: "2025-01-31T12:00:02.000Z", reason: "disconnected" });
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "carol"]);
  assert.equal(presence.statusOf("alice"), "away");
  assert.equal(presence.isOnline("bob"), false);
  assert.equal(presence.statusOf("bob"), undefined);
  assert.equal(presence.lastSeen("bob").toISOString(), "2025-01-31T12:00:02.000Z");
  presence.dispose();
});

test("an event older than the known version is dropped; a duplicate changes nothing", () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["alice"], versions: { alice: 4 } });
  connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 3 });
  assert.equal(presence.isOnline("alice"), true, "version 3 is older than the bulk-online's 4");
  connection.receive("presence:offline", { userId: "alice", timestamp: "t5", version: 5 });
  assert.equal(presence.isOnline("alice"), false);
  const before = presence.getSnapshot();
  connection.receive("presence:offline", { userId: "alice", timestamp: "t5", version: 5 });
  connection.receive("presence:online", { userId: "alice", timestamp: "t4", version: 4 });
  assert.equal(presence.getSnapshot(), before, "stale and duplicate events leave the very same snapshot");
  assert.equal(presence.getSnapshot().users.get("alice").version, 5);
  presence.dispose();
});

test("a bulk-online replaces the view but never lowers a known version", () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["alice", "bob"], versions: { alice: 1, bob: 1 } });
  connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 7 });
  // A reconnect whose snapshot was read before alice's offline (v7) still lists her at v6; bob is gone.
  connection.dropAndReconnect({ users: ["alice"], versions: { alice: 6 } });
  assert.equal(presence.isOnline("alice"), false, "the snapshot's v6 does not undo the known v7");
  assert.equal(presence.isOnline("bob"), false, "bob is not listed any more");
  assert.equal(presence.getSnapshot().users.get("alice").version, 7);
  connection.receive("presence:online", { userId: "alice", timestamp: "t", version: 7 });
  assert.equal(presence.isOnline("alice"), false, "v7 again is a duplicate");
  connection.receive("presence:online", { userId: "alice", timestamp: "t", version: 8 });
  assert.equal(presence.isOnline("alice"), true);
  presence.dispose();
});

test("events before the first bulk-online are held and applied after it (phoenix.js's rule)", () => {
  const { connection, presence } = setup();
  connection.state = "Connected";
  connection.receive("presence:online", { userId: "carol", timestamp: "t", version: 3 });
  connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 2 });
  connection.receive("presence:offline", { userId: "bob", timestamp: "t", version: 9 });
  assert.equal(presence.onlineUsers.size, 0, "nothing is applied before the snapshot");
  connection.receive("presence:bulk-online", { users: ["alice", "bob"], versions: { alice: 5, bob: 8 } });
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "carol"], "alice's v2 is older than the snapshot; bob's v9 and carol's v3 are newer");
  presence.dispose();
});

test("without versions, events apply in arrival order", () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["alice"] });
  connection.receive("presence:offline", { userId: "alice", timestamp: "2025-01-31T12:00:02.000Z" });
  connection.receive("presence:online", { userId: "alice", timestamp: "2025-01-31T12:00:01.000Z" });
  assert.equal(presence.isOnline("alice"), true);
  presence.dispose();
});

test("MessagePack-style payloads (PascalCase names, bigint versions, Date timestamps) are read too", () => {
  const { connection, presence } = setup();
  connection.connect({ Users: ["alice"], Statuses: null, Versions: new Map([["alice", 2n]]), HeartbeatIntervalMs: 1000n });
  assert.equal(presence.getSnapshot().heartbeatIntervalMs, 1000);
  connection.receive("presence:offline", { UserId: "alice", Timestamp: new Date("2025-01-31T12:00:00.000Z"), Version: 3n });
  assert.equal(presence.isOnline("alice"), false);
  assert.equal(presence.lastSeen("alice").toISOString(), "2025-01-31T12:00:00.000Z");
  presence.dispose();
});

test("snapshots are immutable and stable between changes", () => {
  const { connection, presence } = setup();
  const empty = presence.getSnapshot();
  assert.equal(presence.getSnapshot(), empty);
  connection.connect({ users: ["alice"] });
  const first = presence.getSnapshot();
  assert.notEqual(first, empty);
  assert.equal(presence.getSnapshot(), first);
  assert.ok(Object.isFrozen(first));
  assert.ok(Object.isFrozen(first.users.get("alice")));
  connection.receive("presence:online", { userId: "bob", timestamp: "t" });
  assert.deepEqual(sorted(first.onlineUsers), ["alice"], "an old snapshot does not change");
  assert.deepEqual(sorted(presence.getSnapshot().onlineUsers), ["alice", "bob"]);
  presence.dispose();
});

test("subscribe and on(...) tell about changes, and stop when asked", () => {
  const { connection, presence } = setup();
  let changes = 0;
  const seen = [];
  const stop = presence.subscribe(() => changes++);
  presence.on("online", (u) => seen.push(`+${u.userId}`));
  presence.on("offline", (u, reason) => seen.push(`-${u.userId}:${reason}`));
  presence.on("status", (u) => seen.push(`${u.userId}=${u.status}`));
  presence.on("sync", () => seen.push("sync"));
  connection.connect({ users: ["alice"] });
  connection.receive("presence:status", { userId: "alice", status: "busy", timestamp: "t" });
  connection.receive("presence:offline", { userId: "alice", timestamp: "t", reason: "expired" });
  assert.deepEqual(seen, ["+alice", "sync", "alice=busy", "-alice:expired"]);
  assert.equal(changes, 3);
  stop();
  connection.receive("presence:online", { userId: "alice", timestamp: "t" });
  assert.equal(changes, 3);
  presence.dispose();
});

test("pings on the server's heartbeat interval, only while connected, and survives a refused ping", async () => {
  const errors = [];
  const { connection, timers, presence } = setup({ onError: (e, where) => errors.push(where) });
  timers.advance(60_000);
  assert.equal(connection.count("presence:ping"), 0, "no ping before the connection is up");
  connection.connect({ users: [] }); // no heartbeatIntervalMs: 25 s
  assert.deepEqual(timers.intervals(), [25_000]);
  connection.receive("presence:bulk-online", { users: [], heartbeatIntervalMs: 1000 });
  assert.deepEqual(timers.intervals(), [1000], "the server's value wins");
  connection.replies.set("presence:ping", () => Promise.reject(new Error("'presence:ping' refused: rate limit exceeded")));
  timers.advance(3000);
  await flush();
  assert.equal(connection.count("presence:ping"), 3);
  assert.deepEqual(errors, ["ping", "ping", "ping"]);
  connection.state = "Reconnecting";
  for (const c of connection._reconnectingCallbacks) c();
  timers.advance(5000);
  assert.equal(connection.count("presence:ping"), 3, "no ping while reconnecting");
  assert.equal(timers.pending, 0);
  presence.dispose();
});

test("a stateful reconnect (no reconnecting, no new bulk-online) leaves the view as it is", () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["alice"] });
  const before = presence.getSnapshot();
  // SignalR's stateful reconnect swaps the transport under a Connected HubConnection and replays messages.
  connection.receive("presence:status", { userId: "alice", status: "away", timestamp: "t" });
  assert.equal(presence.isOnline("alice"), true);
  assert.notEqual(presence.getSnapshot(), before);
  assert.equal(presence.getSnapshot().connected, true);
  presence.dispose();
});

test("automatic reconnect keeps the view until the fresh bulk-online, then re-sends watches", async () => {
  const { connection, presence } = setup();
  connection.replies.set("presence:subscribe", ({ userIds }) => ({ online: userIds.filter((u) => u === "zed") }));
  connection.connect({ users: ["alice", "bob"] });
  await presence.watch(["zed", "yan"]);
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "bob", "zed"]);
  connection.state = "Reconnecting";
  for (const c of connection._reconnectingCallbacks) c();
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "bob", "zed"], "no flap while reconnecting");
  assert.equal(presence.getSnapshot().synced, false);
  connection.receive("presence:online", { userId: "carol", timestamp: "t" }); // held until the snapshot
  connection.state = "Connected";
  connection.receive("presence:bulk-online", { users: ["bob"] });
  for (const c of connection._reconnectedCallbacks) c("id2");
  await flush();
  assert.deepEqual(sorted(presence.onlineUsers), ["bob", "carol", "zed"]);
  const subscribes = connection.invocations.filter((i) => i.method === "presence:subscribe");
  assert.equal(subscribes.length, 2, "watches are re-sent once");
  assert.deepEqual(subscribes[1].args[0].userIds.sort(), ["yan", "zed"]);
  presence.dispose();
});

test("a refused watch, unwatch or status rejects with the server's message and changes nothing", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["alice"] });
  const refused = (message) => () => Promise.reject(new Error(message));
  connection.replies.set("presence:subscribe", refused("'presence:subscribe' refused: 101 user ids were sent"));
  connection.replies.set("presence:set-status", refused("'presence:set-status' refused: The status is 65 characters long"));
  const before = presence.getSnapshot();
  await assert.rejects(presence.watch(["a", "b"]), /101 user ids were sent/);
  await assert.rejects(presence.setStatus("x".repeat(65)), /65 characters/);
  await assert.rejects(presence.watch("bob"), TypeError);
  assert.equal(presence.getSnapshot(), before);
  presence.dispose();
});

test("setStatus pings and retries once when the lease had expired", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: [] });
  let calls = 0;
  connection.replies.set("presence:set-status", () => ({ success: ++calls > 1 }));
  await presence.setStatus("busy");
  assert.deepEqual(connection.invocations.map((i) => i.method), ["presence:set-status", "presence:ping", "presence:set-status"]);
  assert.equal(presence.getSnapshot().myStatus, "busy");
  presence.dispose();
});

test("unwatch forgets a user nobody else tells about, and keeps a teammate", async () => {
  const { connection, presence } = setup();
  connection.replies.set("presence:subscribe", ({ userIds }) => ({ online: userIds }));
  connection.connect({ users: ["alice"] });
  await presence.watch(["zed", "alice"]);
  await presence.unwatch(["zed", "alice"]);
  assert.deepEqual(sorted(presence.onlineUsers), ["alice"]);
  assert.equal(presence.getSnapshot().users.has("zed"), false);
  assert.equal(presence.getSnapshot().watched.size, 0);
  presence.dispose();
});

test("idle detection turns the status away and back", async () => {
  const target = new EventTarget();
  const { connection, timers, presence } = setup({ idle: { timeoutMs: 60_000, target } });
  connection.connect({ users: [] });
  timers.advance(59_000);
  assert.equal(connection.count("presence:set-status"), 0);
  timers.advance(2000);
  await flush();
  assert.deepEqual(connection.invocations.at(-1), { method: "presence:set-status", args: [{ status: "away" }] });
  target.dispatchEvent(new Event("keydown"));
  await flush();
  assert.deepEqual(connection.invocations.at(-1), { method: "presence:set-status", args: [{ status: "available" }] });
  presence.dispose();
  assert.equal(timers.pending, 0);
});

test("stopOnPageHide stops the connection on pagehide and starts it on a back/forward-cache pageshow", async () => {
  const window = new EventTarget();
  const { connection, presence } = setup({ stopOnPageHide: true, window });
  connection.connect({ users: [] });
  window.dispatchEvent(new Event("pagehide"));
  await flush();
  assert.equal(connection.state, "Disconnected");
  const show = new Event("pageshow");
  show.persisted = true;
  window.dispatchEvent(show);
  await flush();
  assert.equal(connection.state, "Connected");
  presence.dispose();
});

test("dispose removes every handler, listener and timer it added", async () => {
  const window = new EventTarget();
  let added = 0;
  const counting = { addEventListener: (...a) => { added++; window.addEventListener(...a); }, removeEventListener: (...a) => { added--; window.removeEventListener(...a); } };
  const connection = new FakeConnection();
  const timers = new FakeTimers();
  const presence = createPresence(connection, { timers, idle: { timeoutMs: 1000, target: counting }, stopOnPageHide: true, window: counting });
  connection.connect({ users: ["alice"] });
  assert.ok(connection.handlerCount() > 0 && timers.pending > 0 && added > 0);
  presence.dispose();
  assert.equal(connection.handlerCount(), 0);
  assert.equal(timers.pending, 0);
  assert.equal(added, 0);
  connection.receive("presence:offline", { userId: "alice", timestamp: "t" });
  assert.equal(presence.isOnline("alice"), true, "a disposed store hears nothing");
  await assert.rejects(presence.watch(["x"]), /disposed/);
});

test("ready rejects when disposed before the first bulk-online", async () => {
  const { presence } = setup();
  presence.dispose();
  await assert.rejects(presence.ready, /disposed/);
});

test("a subscribe reply older than a known version does not undo the newer event", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: [] });
  let answer;
  connection.replies.set("presence:subscribe", () => new Promise((resolve) => (answer = resolve)));
  const watching = presence.watch(["zed", "yan"]);
  connection.receive("presence:offline", { userId: "zed", timestamp: "2025-01-31T12:00:00.000Z", version: 9 });
  answer({ online: ["zed", "yan"], versions: { zed: 8, yan: 3 } });
  await watching;
  assert.equal(presence.isOnline("zed"), false, "the reply's v8 is older than the offline's v9");
  assert.equal(presence.isOnline("yan"), true);
  assert.equal(presence.getSnapshot().users.get("yan").version, 3);
  connection.receive("presence:offline", { userId: "yan", timestamp: "t", version: 3 });
  assert.equal(presence.isOnline("yan"), true, "an event at the reply's version is a duplicate");
  presence.dispose();
});

test("a tab that becomes visible again pings at once", async () => {
  const window = new EventTarget();
  window.document = { visibilityState: "hidden" };
  const { connection, presence } = setup({ window });
  connection.connect({ users: [] });
  window.dispatchEvent(new Event("visibilitychange"));
  assert.equal(connection.count("presence:ping"), 0, "not while hidden");
  window.document.visibilityState = "visible";
  window.dispatchEvent(new Event("visibilitychange"));
  assert.equal(connection.count("presence:ping"), 1);
  presence.dispose();
  window.dispatchEvent(new Event("visibilitychange"));
  assert.equal(connection.count("presence:ping"), 1, "not after dispose");
});

// A resync: the server sends presence:bulk-online again on the same, still open connection, because
// events may have been lost (its store lost data or restarted).

test("a resync takes a user it omits offline, and stays connected and synced", () => {
  const { connection, presence } = setup();
  const seen = [];
  presence.on("online", (u) => seen.push(`+${u.userId}`));
  presence.on("offline", (u, reason) => seen.push(`-${u.userId}:${reason}`));
  presence.on("sync", (snapshot) => seen.push(`sync:${snapshot.synced && snapshot.connected}`));
  connection.connect({ users: ["alice", "bob"], versions: { alice: 1, bob: 1 } });
  // bob's offline (v2) was lost; the snapshot sent again does not list him.
  connection.resync({ users: ["alice"], versions: { alice: 1 } });
  assert.deepEqual(sorted(presence.onlineUsers), ["alice"]);
  assert.deepEqual(seen, ["+alice", "+bob", "sync:true", "-bob:undefined", "sync:true"]);
  assert.equal(presence.isSynced, true);
  assert.equal(presence.getSnapshot().connected, true);
  assert.equal(connection.count("presence:subscribe"), 0, "nothing watched, nothing re-sent");
  // Events after it apply at once (nothing is held as pending for a resync), under the version rule.
  connection.receive("presence:offline", { userId: "bob", timestamp: "t", version: 2 });
  assert.deepEqual(seen.slice(5), [], "the lost offline, arriving late, emits nothing: bob is offline already");
  connection.receive("presence:online", { userId: "bob", timestamp: "t", version: 3 });
  assert.equal(presence.isOnline("bob"), true);
  presence.dispose();
});

test("a resync brings online a user whose online was missed", () => {
  const { connection, presence } = setup();
  const seen = [];
  presence.on("online", (u) => seen.push(`+${u.userId}`));
  presence.on("sync", () => seen.push("sync"));
  connection.connect({ users: ["alice"], versions: { alice: 1 } });
  // carol's online (v4) and status (v5) were lost.
  connection.resync({ users: ["alice", "carol"], statuses: { carol: "busy" }, versions: { alice: 1, carol: 5 } });
  assert.deepEqual(sorted(presence.onlineUsers), ["alice", "carol"]);
  assert.equal(presence.statusOf("carol"), "busy");
  assert.equal(presence.getSnapshot().users.get("carol").version, 5);
  assert.deepEqual(seen, ["+alice", "sync", "+carol", "sync"]);
  connection.receive("presence:online", { userId: "carol", timestamp: "t", version: 4 });
  assert.equal(presence.statusOf("carol"), "busy", "the lost online, arriving late, is older than the snapshot");
  presence.dispose();
});

test("a resync re-sends the watches once, and the subscribe reply refreshes a watched user", async () => {
  const { connection, presence } = setup();
  let zedOnline = true;
  connection.replies.set("presence:subscribe", ({ userIds }) =>
    zedOnline
      ? { online: userIds.filter((u) => u === "zed"), versions: { zed: 2 } }
      : { online: [], lastSeen: { zed: "2025-01-31T12:00:00.000Z" }, versions: { zed: 3 } },
  );
  connection.connect({ users: ["alice"] });
  await presence.watch(["zed", "yan"]);
  assert.equal(presence.isOnline("zed"), true);
  assert.equal(connection.count("presence:subscribe"), 1, "the first bulk-online of a connection sends no watch");
  const offlines = [];
  presence.on("offline", (u) => offlines.push(u.userId));
  // zed's offline (v3) was lost.
  zedOnline = false;
  connection.resync({ users: ["alice"] });
  assert.equal(presence.isOnline("zed"), true, "the snapshot leaves a watched user alone");
  await flush();
  const subscribes = connection.invocations.filter((i) => i.method === "presence:subscribe");
  assert.equal(subscribes.length, 2, "the watches are re-sent once");
  assert.deepEqual(subscribes[1].args[0].userIds.sort(), ["yan", "zed"]);
  assert.equal(presence.isOnline("zed"), false, "the subscribe reply answers for zed");
  assert.equal(presence.lastSeen("zed").toISOString(), "2025-01-31T12:00:00.000Z");
  assert.equal(presence.getSnapshot().users.get("zed").version, 3);
  assert.deepEqual(offlines, ["zed"]);
  assert.deepEqual(sorted(presence.getSnapshot().watched), ["yan", "zed"]);
  connection.resync({ users: ["alice"] });
  await flush();
  assert.equal(connection.count("presence:subscribe"), 3, "once per resync");
  connection.dropAndReconnect({ users: ["alice"] });
  await flush();
  assert.equal(connection.count("presence:subscribe"), 4, "a reconnect still re-sends them once");
  presence.dispose();
});

test("a resync never lowers a known version: an event newer than the snapshot stands", async () => {
  const { connection, presence } = setup();
  connection.replies.set("presence:subscribe", () => ({ online: ["zed"], versions: { zed: 3 } }));
  connection.connect({ users: ["alice", "bob"], versions: { alice: 1, bob: 1 } });
  await presence.watch(["zed"]);
  connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 7 });
  connection.receive("presence:status", { userId: "bob", status: "away", timestamp: "t", version: 4 });
  connection.receive("presence:offline", { userId: "zed", timestamp: "t", version: 9 });
  // The snapshot and the subscribe reply were read before those events.
  connection.replies.set("presence:subscribe", () => ({ online: ["zed"], versions: { zed: 8 } }));
  connection.resync({ users: ["alice", "bob"], versions: { alice: 6, bob: 3 } });
  await flush();
  assert.equal(connection.count("presence:subscribe"), 2);
  const snapshot = presence.getSnapshot();
  assert.equal(snapshot.isOnline("alice"), false, "the snapshot's v6 does not undo the known v7");
  assert.equal(snapshot.users.get("alice").version, 7);
  assert.equal(snapshot.statusOf("bob"), "away", "the snapshot's v3 does not undo the known v4");
  assert.equal(snapshot.users.get("bob").version, 4);
  assert.equal(snapshot.isOnline("zed"), false, "the reply's v8 does not undo the known v9");
  assert.equal(snapshot.users.get("zed").version, 9);
  assert.ok(snapshot.synced && snapshot.connected);
  connection.receive("presence:online", { userId: "alice", timestamp: "t", version: 7 });
  assert.equal(presence.isOnline("alice"), false, "v7 again is a duplicate");
  connection.receive("presence:online", { userId: "alice", timestamp: "t", version: 8 });
  assert.equal(presence.isOnline("alice"), true);
  presence.dispose();
});

test("a bulk-online that leaves a user out with an older offline version keeps the newer online", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: ["bob"], versions: { bob: 1, alice: 4 } });
  connection.receive("presence:online", { userId: "alice", timestamp: "t", version: 6 });
  // The snapshot was read before alice came back: it leaves her out, with her offline version 4.
  connection.resync({ users: ["bob"], versions: { bob: 1, alice: 4 } });
  await flush();
  assert.equal(presence.isOnline("alice"), true, "v4 is older than the applied v6");
  // Left out with a version as new as the known one, or with none at all: offline.
  connection.resync({ users: ["bob"], versions: { bob: 1, alice: 7 } });
  await flush();
  assert.equal(presence.isOnline("alice"), false);
  assert.equal(presence.getSnapshot().users.get("alice").version, 7);
  presence.dispose();
});

test("resyncs in a row while a rewatch is in flight: the later-sent reply stands", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: [] });
  connection.replies.set("presence:subscribe", () => ({ online: ["zed"] }));
  await presence.watch(["zed"]);
  const answers = [];
  connection.replies.set("presence:subscribe", () => new Promise((resolve) => answers.push(resolve)));
  connection.resync({ users: [] });
  connection.resync({ users: [] }); // before the first resync's rewatch was answered
  await flush();
  assert.equal(answers.length, 2, "one rewatch per resync");
  answers[1]({ online: [] }); // no versions (a server that predates them): zed left
  await flush();
  assert.equal(presence.isOnline("zed"), false);
  answers[0]({ online: ["zed"] }); // the earlier one, read before, arrives last
  await flush();
  assert.equal(presence.isOnline("zed"), false, "an earlier-sent reply does not undo a later one");
  assert.equal(presence.getSnapshot().synced, true);
  presence.dispose();
});

test("a resync while watch and unwatch are in flight: the new watch is asked again, the unwatched user is left out", async () => {
  const { connection, presence } = setup();
  connection.connect({ users: [] });
  connection.replies.set("presence:subscribe", ({ userIds }) => ({ online: userIds }));
  await presence.watch(["yan"]);
  let answerWatch;
  let answerUnwatch;
  connection.replies.set("presence:subscribe", ({ userIds }) => (answerWatch ? { online: userIds } : new Promise((resolve) => (answerWatch = resolve))));
  connection.replies.set("presence:unsubscribe", () => new Promise((resolve) => (answerUnwatch = resolve)));
  const watching = presence.watch(["zed"]);
  const unwatching = presence.unwatch(["yan"]);
  connection.resync({ users: [] });
  await flush();
  assert.equal(connection.count("presence:subscribe"), 2, "yan is being unwatched and zed is not watched yet: no rewatch");
  answerUnwatch({ success: true });
  await unwatching;
  answerWatch({ online: ["zed"] }); // may have been read before the store recovered
  await watching;
  await flush();
  const subscribes = connection.invocations.filter((i) => i.method === "presence:subscribe");
  assert.equal(subscribes.length, 3);
  assert.deepEqual(subscribes[2].args[0].userIds, ["zed"], "zed is asked again");
  assert.deepEqual(sorted(presence.getSnapshot().watched), ["zed"]);
  presence.dispose();
});

test("a resync keeps the ping rhythm unless it names another interval", () => {
  const { connection, timers, presence } = setup();
  connection.connect({ users: [], heartbeatIntervalMs: 1000 });
  timers.advance(900);
  connection.resync({ users: [], heartbeatIntervalMs: 1000 });
  timers.advance(100);
  assert.equal(connection.count("presence:ping"), 1, "resyncs in a row do not postpone the next ping");
  connection.resync({ users: [], heartbeatIntervalMs: 500 });
  assert.deepEqual(timers.intervals(), [500]);
  timers.advance(500);
  assert.equal(connection.count("presence:ping"), 2);
  presence.dispose();
});
