/**
 * The part of `@microsoft/signalr`'s `HubConnection` that presence uses. A `HubConnection` fits it as
 * it is; a test can hand in a fake.
 */
export interface PresenceConnection {
  /** `"Connected"`, `"Reconnecting"`, ... (SignalR's `HubConnectionState`). */
  readonly state: string;
  on(methodName: string, newMethod: (...args: any[]) => any): void;
  off(methodName: string, method: (...args: any[]) => void): void;
  invoke<T = any>(methodName: string, ...args: any[]): Promise<T>;
  start(): Promise<void>;
  stop(): Promise<void>;
  onclose(callback: (error?: Error) => void): void;
  onreconnecting(callback: (error?: Error) => void): void;
  onreconnected(callback: (connectionId?: string) => void): void;
}

/** What this viewer knows about one user. Frozen: a change produces a new object. */
export interface UserPresence {
  readonly userId: string;
  /** Whether the user has at least one live connection. */
  readonly online: boolean;
  /** `"available"`, `"away"`, `"busy"` or a custom status while online; `null` while offline. */
  readonly status: string | null;
  /** When the user went offline (ISO-8601, the server's decision time); `null` while online or unknown. */
  readonly lastSeen: string | null;
  /** The highest presence version seen for the user; `null` when the server sent none. */
  readonly version: number | null;
  /** Whether this client watches the user with {@link Presence.watch}. */
  readonly watched: boolean;
}

/**
 * An immutable view of presence. {@link Presence.getSnapshot} returns the same object until something
 * changes (React's `useSyncExternalStore` contract).
 */
export interface PresenceSnapshot {
  /** The users this viewer may see online. */
  readonly onlineUsers: ReadonlySet<string>;
  /** Every user this viewer knows about, online or not. */
  readonly users: ReadonlyMap<string, UserPresence>;
  /** The users watched with {@link Presence.watch}. */
  readonly watched: ReadonlySet<string>;
  /** True once the current connection's `presence:bulk-online` was applied; false while (re)connecting. */
  readonly synced: boolean;
  /** True while the connection is up (from its first `presence:bulk-online` until it drops). */
  readonly connected: boolean;
  /** The status this client last set with {@link Presence.setStatus}, or `null`. */
  readonly myStatus: string | null;
  /** The ping interval in use: the server's `heartbeatIntervalMs`, else the option, else 25 000. */
  readonly heartbeatIntervalMs: number;
  isOnline(userId: string): boolean;
  /** The user's status while online (`"available"` when none was set); `undefined` while offline or unknown. */
  statusOf(userId: string): string | undefined;
  /** When the user was last seen, if they are offline and the server told; otherwise `undefined`. */
  lastSeen(userId: string): Date | undefined;
}

/** The events of {@link Presence.on}. Each listener gets the user's presence after the change. */
export interface PresenceEventMap {
  /** A user appeared online in this view. */
  online: (user: UserPresence) => void;
  /** A user went offline in this view; `reason` is the server's (`"disconnected"`, `"expired"`) when it sent one. */
  offline: (user: UserPresence, reason: string | undefined) => void;
  /** An online user's status changed. */
  status: (user: UserPresence) => void;
  /** A `presence:bulk-online` was applied (after every connect and reconnect, and on a server resync). */
  sync: (snapshot: PresenceSnapshot) => void;
}

/** Timer functions; the defaults are the global ones. Tests pass fakes. */
export interface PresenceTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

/** The part of `window` used for idle detection and `pagehide`. */
export interface PresenceEventTarget {
  addEventListener(type: string, listener: (event: any) => void, options?: any): void;
  removeEventListener(type: string, listener: (event: any) => void, options?: any): void;
}

/** Where a background failure happened (see {@link PresenceOptions.onError}). */
export type PresenceErrorContext = "ping" | "rewatch" | "idle" | "pagehide";

/** Options of {@link createPresence}. */
export interface PresenceOptions {
  /**
   * The ping interval until the server tells its own in `presence:bulk-online` (the server's value
   * always wins). Default 25 000 ms.
   */
  heartbeatIntervalMs?: number;
  /**
   * Turn the status to `status` (default `"away"`) after `timeoutMs` without keyboard, pointer or
   * touch input on `target` (default `window`), and back when input resumes. Off by default.
   */
  idle?: { timeoutMs: number; status?: string; target?: PresenceEventTarget };
  /**
   * Stop the connection on `pagehide`, so others see the user leave at once instead of after the
   * server's TTL, and start it again when the page comes back from the back/forward cache.
   * Default false.
   */
  stopOnPageHide?: boolean;
  /**
   * The window for `stopOnPageHide` and for the ping sent when a hidden tab becomes visible again
   * (default `globalThis` when it is a browser window).
   */
  window?: PresenceEventTarget;
  /** At most this many ids go in one `presence:subscribe` when watches are re-sent. Default 100 (the server's `MaxSubscriptionSize`). */
  watchBatchSize?: number;
  /** Called with failures nobody awaits: a refused ping, a re-sent watch, the idle status change. Default: ignored. */
  onError?: (error: unknown, context: PresenceErrorContext) => void;
  /** Timer functions (tests). */
  timers?: PresenceTimers;
}

/** The presence store attached to one connection. */
export interface Presence {
  /** The users this viewer may see online (the current snapshot's). */
  readonly onlineUsers: ReadonlySet<string>;
  /** Resolves when the first `presence:bulk-online` was applied; rejects if disposed first. */
  readonly ready: Promise<void>;
  /** Whether the current connection's snapshot was applied. */
  readonly isSynced: boolean;
  isOnline(userId: string): boolean;
  statusOf(userId: string): string | undefined;
  lastSeen(userId: string): Date | undefined;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  /** The current immutable snapshot; the same object until the next change. */
  getSnapshot(): PresenceSnapshot;
  /** Calls `listener` on the event; returns the function that stops it. */
  on<E extends keyof PresenceEventMap>(event: E, listener: PresenceEventMap[E]): () => void;
  /** `presence:set-status`. Rejects with the server's message when it refuses; nothing changes then. */
  setStatus(status: string): Promise<void>;
  /** `presence:subscribe`: also see these users (as the server allows). Re-sent after every reconnect and resync. */
  watch(userIds: readonly string[]): Promise<void>;
  /** `presence:unsubscribe`. */
  unwatch(userIds: readonly string[]): Promise<void>;
  /** Removes every handler, listener and timer this store added. The connection itself is left as it is. */
  dispose(): void;
}
