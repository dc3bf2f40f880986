// The client against the real demo server (in memory, and Redis when PRESENCE_TEST_REDIS is set).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DemoServer, closeAll, ensureDemoBuilt, stores, uniqueTeam, users, waitFor } from "./support/demo-server.mjs";

const settings = {
  Presence__HeartbeatInterval: "00:00:01",
  Presence__ConnectionTtl: "00:00:05",
};

ensureDemoBuilt();

for (const store of stores) {
  describe(`against the demo server (${store.name} store)`, { timeout: 240_000 }, () => {
    const server = new DemoServer({ store, settings });
    const open = [];
    const connect = async (...args) => {
      const client = await server.connect(...args);
      open.push(client);
      return client;
    };

    before(() => server.start());
    after(async () => {
      await closeAll(...open);
      await server.kill();
    });

    test("bulk sync, then online, status and offline reach a teammate", async () => {
      const U = users();
      const team = uniqueTeam("red");
      const alice = await connect(U.alice, team);
      await alice.presence.ready;
      await waitFor(alice.presence, (s) => s.isOnline(U.alice), "alice sees herself");
      const bob = await connect(U.bob, team);
      await bob.presence.ready;
      assert.ok(bob.presence.isSynced);
      await waitFor(bob.presence, (s) => s.isOnline(U.alice) && s.isOnline(U.bob), "bob's bulk-online lists alice");
      await waitFor(alice.presence, (s) => s.isOnline(U.bob), "alice hears bob come online");

      const onlineVersion = alice.presence.getSnapshot().users.get(U.bob).version;
      assert.equal(typeof onlineVersion, "number", "events carry the store's version");
      await bob.presence.setStatus("away");
      await waitFor(alice.presence, (s) => s.statusOf(U.bob) === "away", "alice hears bob's status");
      assert.equal(bob.presence.getSnapshot().myStatus, "away");
      const statusVersion = alice.presence.getSnapshot().users.get(U.bob).version;
      assert.ok(statusVersion > onlineVersion, `status v${statusVersion} follows online v${onlineVersion}`);

      await closeAll(bob);
      const seen = await waitFor(alice.presence, (s) => !s.isOnline(U.bob), "alice hears bob leave");
      assert.ok(seen.users.get(U.bob).version > statusVersion);
      assert.equal(seen.statusOf(U.bob), undefined);
      const lastSeen = alice.presence.lastSeen(U.bob);
      assert.ok(lastSeen instanceof Date && Math.abs(Date.now() - lastSeen.getTime()) < 60_000, `last seen ${lastSeen}`);
      await closeAll(alice);
    });

    test("two tabs of one user: closing one changes nothing, closing both takes them offline", async () => {
      const U = users();
      const team = uniqueTeam("tabs");
      const alice = await connect(U.alice, team);
      const tab1 = await connect(U.bob, team);
      const tab2 = await connect(U.bob, team);
      await waitFor(alice.presence, (s) => s.isOnline(U.bob), "alice sees bob");
      let offlines = 0;
      alice.presence.on("offline", (user) => user.userId === U.bob && offlines++);
      await closeAll(tab1);
      // carol's arrival after tab 1 closed: anything tab 1 caused would have reached alice first.
      const carol = await connect(U.carol, team);
      await waitFor(alice.presence, (s) => s.isOnline(U.carol), "alice sees carol");
      assert.equal(alice.presence.isOnline(U.bob), true);
      assert.equal(offlines, 0);
      await closeAll(tab2);
      await waitFor(alice.presence, (s) => !s.isOnline(U.bob), "bob goes offline with his last tab");
      assert.equal(offlines, 1);
      await closeAll(alice, carol);
    });

    test("watch and unwatch someone of another team", async () => {
      const U = users();
      const alice = await connect(U.alice, uniqueTeam("a"));
      await alice.presence.ready;
      const zedTeam = uniqueTeam("z");
      const zed = await connect(U.zed, zedTeam);
      await zed.presence.ready;
      assert.equal(alice.presence.isOnline(U.zed), false, "another team is invisible by default");

      await alice.presence.watch([U.zed, U.nobody]);
      assert.equal(alice.presence.isOnline(U.zed), true, "the subscribe reply says zed is online");
      assert.deepEqual([...alice.presence.getSnapshot().watched].sort(), [U.nobody, U.zed].sort());
      await zed.presence.setStatus("busy");
      await waitFor(alice.presence, (s) => s.statusOf(U.zed) === "busy", "alice hears zed's status");
      await closeAll(zed);
      await waitFor(alice.presence, (s) => !s.isOnline(U.zed), "alice hears zed leave");
      const zed2 = await connect(U.zed, zedTeam);
      await waitFor(alice.presence, (s) => s.isOnline(U.zed), "alice hears zed come back");

      await alice.presence.unwatch([U.zed, U.nobody]);
      assert.equal(alice.presence.getSnapshot().users.has(U.zed), false);
      assert.equal(alice.presence.getSnapshot().watched.size, 0);
      await closeAll(zed2, alice);
    });

    test("bad input is refused with the server's message and changes nothing", async () => {
      const U = users();
      const alice = await connect(U.alice, uniqueTeam("bad"));
      await alice.presence.ready;
      const before = alice.presence.getSnapshot();
      await assert.rejects(alice.presence.watch([42]), (error) => {
        assert.match(error.message, /presence:subscribe|binding|error on the server/i);
        return true;
      });
      const many = Array.from({ length: 101 }, (_, i) => `user-${i}`);
      await assert.rejects(alice.presence.watch(many), /at most 100/);
      await assert.rejects(alice.presence.setStatus("x".repeat(65)), /65 characters/);
      await assert.rejects(alice.presence.watch([""]), /invalid/);
      assert.equal(alice.presence.getSnapshot(), before, "the client's state is unchanged");
      assert.equal(alice.connection.state, "Connected");
      await closeAll(alice);
    });

    test("pings on the server's heartbeat interval keep a connection alive past its TTL", async () => {
      const U = users();
      const team = uniqueTeam("ping");
      const alice = await connect(U.alice, team);
      const bob = await connect(U.bob, team, { fallbackHeartbeat: false, start: false });
      // SignalR awaits each handler in turn, so this one may run after `ready` resolved.
      const bulkSeen = new Promise((resolve) => bob.connection.on("presence:bulk-online", resolve));
      let pings = 0;
      const invoke = bob.connection.invoke.bind(bob.connection);
      bob.connection.invoke = (method, ...args) => {
        if (method === "presence:ping") pings++;
        return invoke(method, ...args);
      };
      await bob.connection.start();
      await bob.presence.ready;
      const bulk = await Promise.race([bulkSeen, new Promise((_, reject) => setTimeout(() => reject(new Error("no bulk-online")), 30_000).unref())]);
      assert.equal(bulk.heartbeatIntervalMs, 1000, "bulk-online names the server's HeartbeatInterval");
      assert.equal(bob.presence.getSnapshot().heartbeatIntervalMs, 1000);
      let offline = false;
      alice.presence.on("offline", (user) => user.userId === U.bob && (offline = true));
      await waitFor(alice.presence, (s) => s.isOnline(U.bob), "alice sees bob");
      // 8 pings at 1 s span more than the 5 s TTL: without them bob would have expired.
      await new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`only ${pings} pings`)), 30_000);
        const check = setInterval(() => pings >= 8 && (clearInterval(check), clearTimeout(deadline), resolve()), 50);
      });
      assert.equal(offline, false);
      assert.equal(alice.presence.isOnline(U.bob), true);
      await closeAll(alice, bob);
    });

    test("the MessagePack hub protocol", async () => {
      const U = users();
      const team = uniqueTeam("msgpack");
      const alice = await connect(U.alice, team, { messagePack: true });
      await alice.presence.ready;
      const bob = await connect(U.bob, team, { messagePack: true });
      await waitFor(bob.presence, (s) => s.isOnline(U.alice) && s.isOnline(U.bob), "bob's bulk-online over MessagePack");
      await bob.presence.setStatus("busy");
      await waitFor(alice.presence, (s) => s.statusOf(U.bob) === "busy", "status over MessagePack");
      const zed = await connect(U.zed, uniqueTeam("msgpack-z"));
      await alice.presence.watch([U.zed]);
      assert.equal(alice.presence.isOnline(U.zed), true);
      await closeAll(bob);
      await waitFor(alice.presence, (s) => !s.isOnline(U.bob), "offline over MessagePack");
      await closeAll(alice, zed);
    });

    test("dispose leaves no timer running", async () => {
      const U = users();
      // The global timers, counting what the store has live.
      const live = new Set();
      const timers = {
        setTimeout: (callback, ms) => { const h = setTimeout(() => { live.delete(h); callback(); }, ms); live.add(h); return h; },
        clearTimeout: (h) => { clearTimeout(h); live.delete(h); },
        setInterval: (callback, ms) => { const h = setInterval(callback, ms); live.add(h); return h; },
        clearInterval: (h) => { clearInterval(h); live.delete(h); },
        now: () => Date.now(),
      };
      const target = new EventTarget();
      const alice = await server.connect(U.alice, uniqueTeam("dispose"), { options: { timers, idle: { timeoutMs: 60_000, target } } });
      assert.equal(live.size, 2, "the ping interval and the idle timeout run while connected");
      alice.presence.dispose();
      assert.equal(live.size, 0);
      await alice.connection.stop();
      assert.equal(live.size, 0);
    });

    // Last: it restarts the server.
    test("after the server restarts, a reconnect heals the view and re-sends watches", async () => {
      const U = users();
      const team = uniqueTeam("restart");
      const alice = await connect(U.alice, team);
      const bob = await connect(U.bob, team);
      await waitFor(alice.presence, (s) => s.isOnline(U.bob), "alice sees bob");
      await alice.presence.watch([U.zed]);
      assert.equal(alice.presence.isOnline(U.zed), false);
      let flapped = false;
      alice.presence.on("offline", (user) => user.userId === U.alice && (flapped = true));

      await server.kill();
      await waitFor(alice.presence, (s) => !s.connected, "alice notices the server went away");
      assert.equal(alice.presence.isOnline(U.bob), true, "the view is kept while reconnecting");
      await closeAll(bob); // bob leaves while the server is down: only a fresh bulk-online can tell alice
      await server.start();

      await waitFor(alice.presence, (s) => s.synced && s.isOnline(U.alice), "alice reconnects and syncs", 60_000);
      await waitFor(alice.presence, (s) => !s.isOnline(U.bob), "the fresh bulk-online (or bob's expiry) drops bob", 60_000);
      const zed = await connect(U.zed, uniqueTeam("restart-z"));
      await waitFor(alice.presence, (s) => s.isOnline(U.zed), "the watch was re-sent on the new connection");
      assert.equal(flapped, false);
      await closeAll(alice, zed);
    });
  });
}
