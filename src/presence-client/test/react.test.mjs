// usePresence rendered with React 19 in jsdom: it re-renders on change, and only on change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><div id=root></div>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
if (!("navigator" in globalThis)) Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const React = await import("react");
const { createRoot } = await import("react-dom/client");
const { createPresence } = await import("@presence/client");
const { usePresence } = await import("@presence/client/react");
const { FakeConnection, FakeTimers } = await import("./support/fake-connection.mjs");

test("usePresence re-renders on a change and not on a stale event", async () => {
  const connection = new FakeConnection();
  const presence = createPresence(connection, { timers: new FakeTimers() });
  let renders = 0;
  function Online() {
    renders++;
    const { onlineUsers, isOnline, statusOf, synced } = usePresence(presence);
    return React.createElement("ul", { "data-synced": String(synced) },
      [...onlineUsers].sort().map((u) => React.createElement("li", { key: u }, `${u}:${statusOf(u)}:${isOnline(u)}`)));
  }
  const container = document.getElementById("root");
  const root = createRoot(container);
  await React.act(() => root.render(React.createElement(Online)));
  assert.equal(container.innerHTML, '<ul data-synced="false"></ul>');

  await React.act(() => connection.connect({ users: ["alice"], versions: { alice: 2 } }));
  assert.equal(container.innerHTML, '<ul data-synced="true"><li>alice:available:true</li></ul>');

  await React.act(() => connection.receive("presence:status", { userId: "alice", status: "away", timestamp: "t", version: 3 }));
  await React.act(() => connection.receive("presence:online", { userId: "bob", timestamp: "t", version: 1 }));
  assert.equal(container.innerHTML, '<ul data-synced="true"><li>alice:away:true</li><li>bob:available:true</li></ul>');

  const before = renders;
  await React.act(() => connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 3 }));
  assert.equal(renders, before, "a stale event leaves the snapshot, so React does not re-render");

  await React.act(() => connection.receive("presence:offline", { userId: "alice", timestamp: "t", version: 4 }));
  assert.equal(container.innerHTML, '<ul data-synced="true"><li>bob:available:true</li></ul>');

  await React.act(() => root.unmount());
  presence.dispose();
});

test("usePresence(null) renders an empty view", async () => {
  function Count() {
    return React.createElement("span", null, String(usePresence(null).onlineUsers.size));
  }
  const container = document.createElement("div");
  const root = createRoot(container);
  await React.act(() => root.render(React.createElement(Count)));
  assert.equal(container.textContent, "0");
  await React.act(() => root.unmount());
});
