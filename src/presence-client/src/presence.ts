import type {
  Presence,
  PresenceConnection,
  PresenceErrorContext,
  PresenceEventMap,
  PresenceEventTarget,
  PresenceOptions,
  PresenceSnapshot,
  PresenceTimers,
  UserPresence,
} from "./types.js";
import {
  Methods,
  isRefusal,
  readBulkOnline,
  readEvent,
  readSubscribeReply,
  type BulkOnline,
  type PresenceEvent,
} from "./wire.js";

/** The ping interval until the server names its own. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 25_000;

const AVAILABLE = "available";
const IDLE_INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "focus"] as const;

// The timer functions every host has (browsers, Node, workers); declared here so the library needs no DOM or Node typings.
interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}
const host = globalThis as unknown as HostTimers;

const globalTimers: PresenceTimers = {
  setTimeout: (callback, ms) => host.setTimeout(callback, ms),
  clearTimeout: (handle) => host.clearTimeout(handle),
  setInterval: (callback, ms) => host.setInterval(callback, ms),
  clearInterval: (handle) => host.clearInterval(handle),
  now: () => Date.now(),
};

const EMPTY_SET: ReadonlySet<string> = new Set<string>();
const EMPTY_MAP: ReadonlyMap<string, UserPresence> = new Map<string, UserPresence>();

function snapshotOf(
  users: ReadonlyMap<string, UserPresence>,
  watched: ReadonlySet<string>,
  state: { synced: boolean; connected: boolean; myStatus: string | null; heartbeatIntervalMs: number },
): PresenceSnapshot {
  const onlineUsers = new Set<string>();
  for (const [userId, user] of users) if (user.online) onlineUsers.add(userId);
  return Object.freeze({
    onlineUsers,
    users,
    watched,
    ...state,
    isOnline: (userId: string) => users.get(userId)?.online === true,
    statusOf: (userId: string) => {
      const user = users.get(userId);
      return user?.online ? (user.status ?? AVAILABLE) : undefined;
    },
    lastSeen: (userId: string) => {
      const seen = users.get(userId)?.lastSeen;
      return seen && users.get(userId)?.online === false ? new Date(seen) : undefined;
    },
  });
}

/** The snapshot of a store that has seen nothing (also what `usePresence(null)` returns). */
export const EMPTY_SNAPSHOT: PresenceSnapshot = snapshotOf(EMPTY_MAP, EMPTY_SET, {
  synced: false,
  connected: false,
  myStatus: null,
  heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
});

/** The private callback lists of `@microsoft/signalr`'s HubConnection, which has no way to remove them. */
interface HubConnectionCallbackLists {
  _closedCallbacks?: unknown[];
  _reconnectingCallbacks?: unknown[];
  _reconnectedCallbacks?: unknown[];
}

function removeFrom(list: unknown[] | undefined, callback: unknown): void {
  if (!Array.isArray(list)) return;
  const index = list.indexOf(callback);
  if (index >= 0) list.splice(index, 1);
}

/**
 * Attaches presence to `connection`. Call it before `connection.start()`, so the first
 * `presence:bulk-online` is not missed.
 */
export function createPresence(connection: PresenceConnection, options: PresenceOptions = {}): Presence {
  if (!connection || typeof connection.on !== "function" || typeof connection.invoke !== "function") {
    throw new TypeError("createPresence needs a SignalR HubConnection (or an object with on, off, invoke, onclose, onreconnecting, onreconnected).");
  }
  return new PresenceStore(connection, options);
}

class PresenceStore implements Presence {
  readonly ready: Promise<void>;

  private readonly connection: PresenceConnection;
  private readonly timers: PresenceTimers;
  private readonly options: PresenceOptions;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners: { [E in keyof PresenceEventMap]: Set<PresenceEventMap[E]> } = {
    online: new Set(),
    offline: new Set(),
    status: new Set(),
    sync: new Set(),
  };

  private users = new Map<string, UserPresence>();
  private watched = new Set<string>();
  /** The highest version seen per user; never lowered, kept when the user leaves the view. */
  private readonly versions = new Map<string, number>();
  /** Users this viewer hears about without watching them (listed in a bulk-online, or an event while unwatched). */
  private readonly audience = new Set<string>();
  /** Per user, the change counter of the last event applied (so a subscribe reply does not undo a newer event). */
  private readonly touched = new Map<string, number>();
  private changeCounter = 0;
  /** Numbers every `presence:subscribe` sent (watch and rewatch), in send order. */
  private subscribeCounter = 0;
  /**
   * Per user, the latest-sent subscribe whose reply was read, and whether it carried the user's
   * version (so an earlier-sent reply arriving late does not undo it).
   */
  private readonly answeredBy = new Map<string, { sent: number; versioned: boolean }>();
  /** Users with a `presence:unsubscribe` in flight (how many): a rewatch sent meanwhile leaves them out. */
  private readonly unwatching = new Map<string, number>();
  /** How many resyncs (a bulk-online again on a synced connection) this store has seen. */
  private resyncs = 0;
  /** Events that arrived before the current connection's bulk-online (phoenix.js's pending diffs). */
  private pending: PresenceEvent[] = [];
  private synced = false;
  private connected = false;
  private myStatus: string | null = null;
  private heartbeatIntervalMs: number;
  private rewatchNeeded = false;
  private disposed = false;
  private snapshot: PresenceSnapshot;

  private pingTimer: unknown = undefined;
  private idleTimer: unknown = undefined;
  private idle: { active: boolean; previous: string | null; lastInput: number } = { active: false, previous: null, lastInput: 0 };
  private readonly removers: (() => void)[] = [];
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;
  private readySettled = false;

  constructor(connection: PresenceConnection, options: PresenceOptions) {
    this.connection = connection;
    this.options = options;
    this.timers = options.timers ?? globalTimers;
    this.heartbeatIntervalMs = positive(options.heartbeatIntervalMs) ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.snapshot = this.buildSnapshot();
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody has to await it: a rejection on dispose must not be reported as unhandled.
    this.ready.catch(() => undefined);

    this.handle(Methods.bulkOnline, (payload: unknown) => this.onBulkOnline(readBulkOnline(payload)));
    this.handle(Methods.online, (payload: unknown) => this.onEvent(readEvent("online", payload)));
    this.handle(Methods.offline, (payload: unknown) => this.onEvent(readEvent("offline", payload)));
    this.handle(Methods.status, (payload: unknown) => this.onEvent(readEvent("status", payload)));
    this.lifecycle("onreconnecting", "_reconnectingCallbacks", () => this.onDisconnected());
    this.lifecycle("onclose", "_closedCallbacks", () => this.onDisconnected());
    this.lifecycle("onreconnected", "_reconnectedCallbacks", () => this.rewatch());

    if (options.idle) this.startIdleDetection(options.idle);
    if (options.stopOnPageHide) this.stopOnPageHide();
    this.pingWhenVisible();
  }

  // --- reading ---------------------------------------------------------------------------------

  get onlineUsers(): ReadonlySet<string> {
    return this.snapshot.onlineUsers;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  isOnline = (userId: string): boolean => this.snapshot.isOnline(userId);
  statusOf = (userId: string): string | undefined => this.snapshot.statusOf(userId);
  lastSeen = (userId: string): Date | undefined => this.snapshot.lastSeen(userId);
  getSnapshot = (): PresenceSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    if (this.disposed) return () => undefined;
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  on<E extends keyof PresenceEventMap>(event: E, listener: PresenceEventMap[E]): () => void {
    const set = this.eventListeners[event] as Set<PresenceEventMap[E]> | undefined;
    if (!set) throw new TypeError(`Unknown presence event '${String(event)}': use online, offline, status or sync.`);
    if (this.disposed) return () => undefined;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  // --- calls to the server -----------------------------------------------------------------------

  async setStatus(status: string): Promise<void> {
    this.throwIfDisposed();
    await this.setStatusCore(status);
    this.idle.active = false;
  }

  async watch(userIds: readonly string[]): Promise<void> {
    this.throwIfDisposed();
    const ids = listOf(userIds, "watch");
    if (ids.length === 0) return;
    const since = this.changeCounter;
    const sent = ++this.subscribeCounter;
    const resyncs = this.resyncs;
    // The server validates the ids and the list's size; its refusal rejects this call and nothing changes here.
    const reply = readSubscribeReply(await this.connection.invoke(Methods.subscribe, { userIds: ids }));
    if (this.disposed) return;
    this.applySubscribeReply(ids as string[], reply, since, sent);
    // A resync came while the call was in flight: its rewatch did not have these users yet, and the
    // reply may have been read before the store recovered. Ask once more.
    if (this.resyncs !== resyncs && this.connected) this.subscribeAll((ids as string[]).filter((userId) => this.watched.has(userId) && !this.unwatching.has(userId)));
  }

  async unwatch(userIds: readonly string[]): Promise<void> {
    this.throwIfDisposed();
    const ids = listOf(userIds, "unwatch");
    if (ids.length === 0) return;
    const resyncs = this.resyncs;
    for (const userId of ids) if (typeof userId === "string") this.unwatching.set(userId, (this.unwatching.get(userId) ?? 0) + 1);
    try {
      const reply = await this.connection.invoke(Methods.unsubscribe, { userIds: ids });
      if (isRefusal(reply)) throw new Error(`'${Methods.unsubscribe}' was not applied: the server answered { success: false }. Nothing changed.`);
    } catch (error) {
      this.doneUnwatching(ids);
      // Still watched, but a resync's rewatch left these users out while the call was in flight: ask for them now.
      const skipped = (ids as string[]).filter((userId) => this.watched.has(userId) && !this.unwatching.has(userId));
      if (!this.disposed && this.resyncs !== resyncs && this.connected && skipped.length > 0) this.subscribeAll(skipped);
      throw error;
    }
    this.doneUnwatching(ids);
    if (this.disposed) return;
    const watched = new Set(this.watched);
    const users = new Map(this.users);
    for (const userId of ids as string[]) {
      if (!watched.delete(userId)) continue;
      const user = users.get(userId);
      if (!user) continue;
      // Nobody tells this viewer about the user any more unless it is in their audience: forget them.
      if (this.audience.has(userId)) users.set(userId, freeze({ ...user, watched: false }));
      else users.delete(userId);
    }
    this.watched = watched;
    this.users = users;
    this.commit();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopPinging();
    if (this.idleTimer !== undefined) this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const remove of this.removers.splice(0)) remove();
    this.listeners.clear();
    for (const set of Object.values(this.eventListeners)) set.clear();
    this.pending = [];
    if (!this.readySettled) {
      this.readySettled = true;
      this.rejectReady(new Error("The presence store was disposed before the first presence:bulk-online."));
    }
  }

  // --- wire handlers -----------------------------------------------------------------------------

  private onBulkOnline(bulk: BulkOnline): void {
    if (this.disposed) return;
    // Already synced on this connection: the server sent its snapshot again because events may have
    // been lost (its store lost data or restarted). Not a reconnect: nothing was held as pending, and
    // connected and synced stay true.
    const resync = this.synced;
    const interval = this.heartbeatIntervalMs;
    if (bulk.heartbeatIntervalMs !== undefined) this.heartbeatIntervalMs = bulk.heartbeatIntervalMs;
    this.connected = true;
    // A resync keeps the ping rhythm (resyncs in a row must not keep postponing the next ping).
    if (!resync || this.pingTimer === undefined || this.heartbeatIntervalMs !== interval) this.startPinging();

    const listed = new Set(bulk.users);
    const users = new Map(this.users);
    const wentOffline: UserPresence[] = [];
    const cameOnline: UserPresence[] = [];
    // The snapshot replaces the view; watched users are refreshed by their own re-sent subscription
    // (after a reconnect, and after a resync too).
    for (const [userId, user] of users) {
      if (user.online && !listed.has(userId) && !this.watched.has(userId)) {
        // A user it leaves out but gives an offline version older than one applied here: that newer event stands.
        const offlineVersion = bulk.versions[userId];
        const known = this.versions.get(userId);
        if (offlineVersion !== undefined && known !== undefined && offlineVersion < known) continue;
        if (offlineVersion !== undefined) this.versions.set(userId, Math.max(known ?? 0, offlineVersion));
        const next = freeze({ ...user, online: false, status: null, version: this.versions.get(userId) ?? user.version });
        users.set(userId, next);
        wentOffline.push(next);
      }
    }
    for (const userId of listed) {
      this.audience.add(userId);
      const version = bulk.versions[userId];
      const known = this.versions.get(userId);
      // A bulk-online never lowers a known version: what an event newer than the snapshot said stands.
      if (version !== undefined && known !== undefined && version < known) continue;
      if (version !== undefined) this.versions.set(userId, version);
      const before = users.get(userId);
      const next = freeze({
        userId,
        online: true,
        status: bulk.statuses[userId] ?? AVAILABLE,
        lastSeen: null,
        version: this.versions.get(userId) ?? null,
        watched: this.watched.has(userId),
      });
      users.set(userId, next);
      if (!before?.online) cameOnline.push(next);
    }
    this.users = users;
    this.synced = true;

    // Events that arrived before the snapshot, in arrival order, under the version rule.
    const pending = this.pending;
    this.pending = [];
    const changes = pending.map((event) => this.apply(event)).filter((change) => change !== undefined);

    this.commit();
    for (const user of cameOnline) this.emit("online", user);
    for (const user of wentOffline) this.emit("offline", user, undefined);
    for (const change of changes) this.emitChange(change);
    this.emit("sync", this.snapshot);
    if (!this.readySettled) {
      this.readySettled = true;
      this.resolveReady();
    }
    if (resync) {
      this.resyncs++;
      this.rewatchNeeded = true;
    }
    if (this.rewatchNeeded) this.rewatch();
  }

  private onEvent(event: PresenceEvent | undefined): void {
    if (this.disposed || event === undefined) return;
    if (!this.synced) {
      this.pending.push(event);
      return;
    }
    const change = this.apply(event);
    if (change === undefined) return;
    this.commit();
    this.emitChange(change);
  }

  /** Applies one event to `this.users` under the version rule; returns what changed, without committing. */
  private apply(event: PresenceEvent): Change | undefined {
    const { userId, version } = event;
    if (version !== undefined) {
      const known = this.versions.get(userId);
      if (known !== undefined && version <= known) return undefined; // stale or a duplicate
      this.versions.set(userId, version);
    }
    if (!this.watched.has(userId)) this.audience.add(userId);
    this.touched.set(userId, ++this.changeCounter);
    const before = this.users.get(userId);
    const base = { userId, version: this.versions.get(userId) ?? null, watched: this.watched.has(userId) };
    let next: UserPresence;
    switch (event.kind) {
      case "online":
        next = freeze({ ...base, online: true, status: AVAILABLE, lastSeen: null });
        break;
      case "offline":
        next = freeze({ ...base, online: false, status: null, lastSeen: event.timestamp ?? before?.lastSeen ?? null });
        break;
      case "status":
        next = freeze({ ...base, online: true, status: event.status, lastSeen: null });
        break;
    }
    if (before && sameUser(before, next)) return undefined;
    this.users = new Map(this.users).set(userId, next);
    return { kind: event.kind, user: next, wasOnline: before?.online === true, reason: event.kind === "offline" ? event.reason : undefined };
  }

  /**
   * Applies the reply of the subscribe numbered `sent` (sent when the change counter was `since`).
   * Per user, the higher version wins; without versions to compare, an event applied while the call
   * was in flight is newer than this reply; and the reply of a subscribe sent later is, unless both
   * replies carry versions and this one's is higher.
   */
  private applySubscribeReply(ids: string[], reply: ReturnType<typeof readSubscribeReply>, since: number, sent: number): void {
    const online = new Set(reply.online);
    const watched = new Set(this.watched);
    const users = new Map(this.users);
    const changes: Change[] = [];
    for (const userId of ids) {
      watched.add(userId);
      const before = users.get(userId);
      const version = reply.versions[userId];
      const known = this.versions.get(userId);
      // An event applied while the call was in flight is newer than the reply: by version when the
      // server sends versions, else by arrival. So is the reply of a subscribe sent after this one
      // (two rewatches in flight after resyncs in a row), unless both carry versions and this one's
      // is higher.
      const byVersion = version !== undefined && known !== undefined;
      const later = this.answeredBy.get(userId);
      const superseded = later !== undefined && later.sent > sent;
      const stale = superseded
        ? !(byVersion && later.versioned && version > known)
        : byVersion ? version < known : (this.touched.get(userId) ?? 0) > since;
      if (!superseded) this.answeredBy.set(userId, { sent, versioned: version !== undefined });
      if (stale && before) {
        users.set(userId, freeze({ ...before, watched: true }));
        continue;
      }
      if (version !== undefined && (known === undefined || version > known)) this.versions.set(userId, version);
      const isOnline = online.has(userId);
      const next = freeze({
        userId,
        online: isOnline,
        status: isOnline ? (reply.statuses[userId] ?? AVAILABLE) : null,
        lastSeen: isOnline ? null : (reply.lastSeen[userId] ?? before?.lastSeen ?? null),
        version: this.versions.get(userId) ?? null,
        watched: true,
      });
      users.set(userId, next);
      if (before?.online !== next.online) {
        changes.push({ kind: next.online ? "online" : "offline", user: next, wasOnline: before?.online === true, reason: undefined });
      } else if (next.online && before?.status !== next.status) {
        changes.push({ kind: "status", user: next, wasOnline: true, reason: undefined });
      }
    }
    this.watched = watched;
    this.users = users;
    this.commit();
    for (const change of changes) this.emitChange(change);
  }

  private onDisconnected(): void {
    if (this.disposed) return;
    this.stopPinging();
    // The view stays as it was (no flap); the next bulk-online replaces it.
    this.connected = false;
    this.synced = false;
    this.rewatchNeeded = this.watched.size > 0;
    this.commit();
  }

  /**
   * Subscriptions belong to a connection: a new one asks again. A resync asks again too: the replies
   * refresh the watched users, whom the snapshot leaves alone. Users being unwatched are left out.
   */
  private rewatch(): void {
    if (this.disposed || !this.rewatchNeeded) return;
    this.rewatchNeeded = false;
    this.subscribeAll([...this.watched].filter((userId) => !this.unwatching.has(userId)));
  }

  /** `presence:subscribe` for `ids`, in batches of `watchBatchSize`, nobody awaiting (failures go to onError as "rewatch"). */
  private subscribeAll(ids: string[]): void {
    const size = positive(this.options.watchBatchSize) ?? 100;
    for (let i = 0; i < ids.length; i += size) {
      const batch = ids.slice(i, i + size);
      const since = this.changeCounter;
      const sent = ++this.subscribeCounter;
      this.connection
        .invoke(Methods.subscribe, { userIds: batch })
        .then((reply) => {
          if (!this.disposed) this.applySubscribeReply(batch, readSubscribeReply(reply), since, sent);
        })
        .catch((error: unknown) => this.report(error, "rewatch"));
    }
  }

  private doneUnwatching(ids: readonly unknown[]): void {
    for (const userId of ids) {
      if (typeof userId !== "string") continue;
      const count = (this.unwatching.get(userId) ?? 0) - 1;
      if (count > 0) this.unwatching.set(userId, count);
      else this.unwatching.delete(userId);
    }
  }

  // --- status, ping, idle, pagehide -----------------------------------------------------------------

  private async setStatusCore(status: string): Promise<void> {
    let reply = await this.connection.invoke(Methods.setStatus, { status });
    if (isRefusal(reply)) {
      // The connection's lease expired (e.g. a long sleep): a ping registers it again, then retry once.
      await this.connection.invoke(Methods.ping);
      reply = await this.connection.invoke(Methods.setStatus, { status });
      if (isRefusal(reply)) {
        throw new Error(`'${Methods.setStatus}' was not applied: the server answered { success: false } (an expired or untracked connection). Nothing changed.`);
      }
    }
    if (this.disposed) return;
    this.myStatus = status;
    this.commit();
  }

  private startPinging(): void {
    this.stopPinging();
    this.pingTimer = this.timers.setInterval(() => this.ping(), this.heartbeatIntervalMs);
  }

  private stopPinging(): void {
    if (this.pingTimer !== undefined) this.timers.clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private ping(): void {
    if (this.disposed || this.connection.state !== "Connected") return;
    // A refused ping (rate limit, a store hiccup) is not fatal: the next one, or the lease, decides.
    this.connection.invoke(Methods.ping).catch((error: unknown) => this.report(error, "ping"));
  }

  private startIdleDetection(idle: NonNullable<PresenceOptions["idle"]>): void {
    const timeoutMs = positive(idle.timeoutMs);
    if (timeoutMs === undefined) throw new RangeError("options.idle.timeoutMs must be a positive number of milliseconds.");
    const target = idle.target ?? windowLike();
    if (!target) return; // not in a browser: nothing to watch
    const idleStatus = idle.status ?? "away";
    this.idle.lastInput = this.timers.now();

    const arm = (ms: number) => {
      this.idleTimer = this.timers.setTimeout(check, ms);
    };
    const check = () => {
      this.idleTimer = undefined;
      if (this.disposed) return;
      const quietFor = this.timers.now() - this.idle.lastInput;
      if (quietFor < timeoutMs) return arm(timeoutMs - quietFor);
      if (!this.idle.active && this.connected && (this.myStatus ?? AVAILABLE) === AVAILABLE) {
        this.idle.previous = this.myStatus;
        this.idle.active = true;
        this.setStatusCore(idleStatus)
          .then(() => {
            this.idle.active = true;
          })
          .catch((error: unknown) => {
            this.idle.active = false;
            this.report(error, "idle");
          });
      }
    };
    const onInput = () => {
      if (this.disposed) return;
      this.idle.lastInput = this.timers.now();
      if (this.idle.active) {
        this.idle.active = false;
        this.setStatusCore(this.idle.previous ?? AVAILABLE).catch((error: unknown) => this.report(error, "idle"));
      }
      if (this.idleTimer === undefined) arm(timeoutMs);
    };
    for (const type of IDLE_INPUT_EVENTS) this.listen(target, type, onInput);
    arm(timeoutMs);
  }

  /**
   * Browsers throttle the timers of a hidden tab (down to once a minute), which can let the lease run
   * out: a tab that becomes visible again pings at once (the server re-registers an expired one).
   */
  private pingWhenVisible(): void {
    const target = this.options.window ?? windowLike();
    if (!target) return;
    this.listen(target, "visibilitychange", () => {
      const document = (target as { document?: { visibilityState?: string } }).document ?? (globalThis as { document?: { visibilityState?: string } }).document;
      if (this.connected && document?.visibilityState !== "hidden") this.ping();
    });
  }

  private stopOnPageHide(): void {
    const target = this.options.window ?? windowLike();
    if (!target) return;
    this.listen(target, "pagehide", () => {
      if (this.disposed || this.connection.state === "Disconnected") return;
      this.connection.stop().catch((error: unknown) => this.report(error, "pagehide"));
    });
    this.listen(target, "pageshow", (event: { persisted?: boolean }) => {
      // Back from the back/forward cache: the connection was stopped on pagehide.
      if (this.disposed || !event?.persisted || this.connection.state !== "Disconnected") return;
      this.connection.start().catch((error: unknown) => this.report(error, "pagehide"));
    });
  }

  // --- plumbing -----------------------------------------------------------------------------------

  private handle(method: string, handler: (payload: unknown) => void): void {
    this.connection.on(method, handler);
    this.removers.push(() => this.connection.off(method, handler));
  }

  private lifecycle(
    register: "onclose" | "onreconnecting" | "onreconnected",
    list: keyof HubConnectionCallbackLists,
    callback: () => void,
  ): void {
    const guarded = () => {
      if (!this.disposed) callback();
    };
    this.connection[register](guarded);
    // HubConnection has no way to remove these callbacks: take ours out of its list when it has one;
    // otherwise the guard leaves a no-op behind.
    this.removers.push(() => removeFrom((this.connection as HubConnectionCallbackLists)[list], guarded));
  }

  private listen(target: PresenceEventTarget, type: string, listener: (event: any) => void): void {
    target.addEventListener(type, listener, { passive: true });
    this.removers.push(() => target.removeEventListener(type, listener, { passive: true }));
  }

  private buildSnapshot(): PresenceSnapshot {
    return snapshotOf(this.users, this.watched, {
      synced: this.synced,
      connected: this.connected,
      myStatus: this.myStatus,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
    });
  }

  /** Publishes a new snapshot and tells the subscribers. */
  private commit(): void {
    this.snapshot = this.buildSnapshot();
    for (const listener of [...this.listeners]) listener();
  }

  private emitChange(change: Change): void {
    if (change.kind === "status") {
      if (!change.wasOnline) this.emit("online", change.user);
      this.emit("status", change.user);
    } else if (change.kind === "online") {
      if (!change.wasOnline) this.emit("online", change.user);
    } else if (change.wasOnline) {
      this.emit("offline", change.user, change.reason);
    }
  }

  private emit<E extends keyof PresenceEventMap>(event: E, ...args: Parameters<PresenceEventMap[E]>): void {
    for (const listener of [...this.eventListeners[event]]) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        // A listener's bug must not break the store; report it where the app can see it.
        host.setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }

  private report(error: unknown, context: PresenceErrorContext): void {
    try {
      this.options.onError?.(error, context);
    } catch {
      // The app's error callback failed too; nothing left to tell.
    }
  }

  private throwIfDisposed(): void {
    if (this.disposed) throw new Error("The presence store is disposed.");
  }
}

interface Change {
  kind: PresenceEvent["kind"];
  user: UserPresence;
  wasOnline: boolean;
  reason: string | undefined;
}

function freeze(user: UserPresence): UserPresence {
  return Object.freeze(user);
}

function sameUser(a: UserPresence, b: UserPresence): boolean {
  return a.online === b.online && a.status === b.status && a.lastSeen === b.lastSeen && a.version === b.version && a.watched === b.watched;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function listOf(userIds: readonly string[], method: string): readonly unknown[] {
  if (!Array.isArray(userIds)) throw new TypeError(`${method} takes an array of user ids.`);
  return userIds;
}

function windowLike(): PresenceEventTarget | undefined {
  const candidate = globalThis as unknown as Partial<PresenceEventTarget> & { document?: unknown };
  return typeof candidate.addEventListener === "function" && typeof candidate.removeEventListener === "function" && candidate.document
    ? (candidate as PresenceEventTarget)
    : undefined;
}
