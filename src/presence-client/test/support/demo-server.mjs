// Starts the real demo server (samples/Presence.Demo) on a free 127.0.0.1 port, and connects
// SignalR clients to it with dev tokens from POST /api/dev/token.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { createPresence } from "@presence/client";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const demoProject = join(repoRoot, "samples", "Presence.Demo");
const demoDll = process.env.PRESENCE_DEMO_DLL ?? join(demoProject, "bin", "Release", "net10.0", "Presence.Demo.dll");

/** Builds the demo once if its Release build is missing (scripts/test.sh builds it before). */
export function ensureDemoBuilt() {
  if (existsSync(demoDll)) return;
  execFileSync("dotnet", ["build", demoProject, "-c", "Release", "-nologo", "-v", "q"], {
    stdio: "inherit",
    env: { ...process.env, NUGET_CERT_REVOCATION_MODE: "offline", DOTNET_NOLOGO: "1" },
  });
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The stores to test against: in memory always, Redis when PRESENCE_TEST_REDIS names one. */
export const stores = [{ name: "InMemory" }, ...(process.env.PRESENCE_TEST_REDIS ? [{ name: "Redis", redis: process.env.PRESENCE_TEST_REDIS }] : [])];

export class DemoServer {
  constructor({ store = { name: "InMemory" }, settings = {} } = {}) {
    this.store = store;
    this.settings = settings;
    this.output = [];
    this.process = null;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port ??= await freePort();
    const env = {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: "Development",
      DOTNET_NOLOGO: "1",
      Logging__LogLevel__Default: "Warning",
      Presence__Store: this.store.name,
      Presence__OfflineGracePeriod: "00:00:00",
      ...(this.store.redis ? { ConnectionStrings__Redis: this.store.redis } : {}),
      ...this.settings,
    };
    const child = spawn("dotnet", [demoDll, "--urls", this.baseUrl], { cwd: dirname(demoDll), env, stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    const keep = (chunk) => {
      this.output.push(String(chunk));
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const exited = new Promise((_, reject) =>
      child.once("exit", (code) => reject(new Error(`the demo exited with ${code} before it answered:\n${this.output.join("")}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([this.waitUntilReady(60_000), exited]);
  }

  async waitUntilReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the demo did not answer on ${this.baseUrl} within ${timeoutMs} ms:\n${this.output.join("")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kills the server (no goodbye) and waits until it is gone. */
  async kill() {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
  }

  async token(userId, team) {
    const response = await fetch(`${this.baseUrl}/api/dev/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ userId, team }),
    });
    if (!response.ok) throw new Error(`token for ${userId}: ${response.status} ${await response.text()}`);
    return (await response.json()).accessToken;
  }

  async config() {
    return (await fetch(`${this.baseUrl}/api/presence/config`)).json();
  }

  /**
   * A signed-in user's connection with presence attached before start(). `fallbackHeartbeat: true`
   * passes the demo's /api/presence/config interval as the option (the server's bulk-online value
   * wins anyway).
   */
  async connect(userId, team, { messagePack = false, fallbackHeartbeat = false, options = {}, start = true } = {}) {
    const token = await this.token(userId, team);
    const builder = new signalR.HubConnectionBuilder()
      .withUrl(`${this.baseUrl}/hubs/presence`, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => (ctx.elapsedMilliseconds > 60_000 ? null : 250) })
      .configureLogging(signalR.LogLevel.None);
    if (messagePack) builder.withHubProtocol(new MessagePackHubProtocol());
    const connection = builder.build();
    const heartbeatIntervalMs = fallbackHeartbeat ? (await this.config()).heartbeatIntervalMs : undefined;
    const presence = createPresence(connection, { heartbeatIntervalMs, ...options });
    const client = { userId, connection, presence };
    if (start) {
      await connection.start();
      // start() resolves at the handshake, before the server registered the connection; the
      // connection's own bulk-online comes after the registration.
      await presence.ready;
    }
    return client;
  }
}

/** Resolves once `condition()` holds, checked on every change of `presence`; rejects after `timeoutMs`. */
export function waitFor(presence, condition, message, timeoutMs = 30_000) {
  return new Promise((resolveWait, reject) => {
    let stop = () => undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms: ${message}`));
    }, timeoutMs);
    const check = () => {
      let done = false;
      try {
        done = condition(presence.getSnapshot());
      } catch (error) {
        clearTimeout(timer);
        stop();
        reject(error);
        return;
      }
      if (done) {
        clearTimeout(timer);
        stop();
        resolveWait(presence.getSnapshot());
      }
    };
    stop = presence.subscribe(check);
    check();
  });
}

export async function closeAll(...clients) {
  for (const client of clients) {
    if (!client) continue;
    client.presence.dispose();
    await client.connection.stop().catch(() => undefined);
  }
}

let counter = 0;
/** A team name no other test (or earlier run against the same Redis) uses. */
export function uniqueTeam(label) {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

/**
 * User ids no other test, or earlier run against the same Redis, uses: `users().alice` is
 * "alice-<unique>". (A killed server leaves its connections in Redis until they expire.)
 */
export function users() {
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}${(++counter).toString(36)}`;
  const names = new Map();
  return new Proxy({}, { get: (_, name) => names.get(name) ?? names.set(name, `${String(name)}-${suffix}`).get(name) });
}
