// The wire contract (docs/protocol.md): method names, and readers that turn a payload as either hub
// protocol delivers it into plain values. Both give camelCase keys; over MessagePack absent maps
// arrive as null, maps may be Maps, 64-bit integers may be bigints and a server whose wire types
// name no keys gives the .NET names (PascalCase), which are read too.

export const Methods = {
  ping: "presence:ping",
  online: "presence:online",
  offline: "presence:offline",
  bulkOnline: "presence:bulk-online",
  setStatus: "presence:set-status",
  status: "presence:status",
  subscribe: "presence:subscribe",
  unsubscribe: "presence:unsubscribe",
} as const;

export interface OnlineEvent {
  readonly kind: "online";
  readonly userId: string;
  readonly timestamp: string | undefined;
  readonly version: number | undefined;
}

export interface OfflineEvent {
  readonly kind: "offline";
  readonly userId: string;
  readonly timestamp: string | undefined;
  readonly reason: string | undefined;
  readonly version: number | undefined;
}

export interface StatusEvent {
  readonly kind: "status";
  readonly userId: string;
  readonly status: string;
  readonly timestamp: string | undefined;
  readonly version: number | undefined;
}

export type PresenceEvent = OnlineEvent | OfflineEvent | StatusEvent;

export interface BulkOnline {
  readonly users: readonly string[];
  readonly statuses: Readonly<Record<string, string>>;
  readonly versions: Readonly<Record<string, number>>;
  readonly heartbeatIntervalMs: number | undefined;
}

export interface SubscribeReply {
  readonly online: readonly string[];
  readonly statuses: Readonly<Record<string, string>>;
  readonly lastSeen: Readonly<Record<string, string>>;
  readonly versions: Readonly<Record<string, number>>;
}

type Payload = Record<string, unknown>;

function field(payload: unknown, name: string): unknown {
  if (payload === null || typeof payload !== "object") return undefined;
  const record = payload as Payload;
  const value = record[name];
  return value !== undefined ? value : record[name[0]!.toUpperCase() + name.slice(1)];
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

function integer(value: unknown): number | undefined {
  if (typeof value === "bigint") return Number(value);
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function map<T>(value: unknown, read: (item: unknown) => T | undefined): Record<string, T> {
  const result: Record<string, T> = Object.create(null);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      const read_ = read(item);
      if (typeof key === "string" && read_ !== undefined) result[key] = read_;
    }
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      const read_ = read((value as Payload)[key]);
      if (read_ !== undefined) result[key] = read_;
    }
  }
  return result;
}

/** Reads `presence:online`, `presence:offline` or `presence:status`; `undefined` when it names no user. */
export function readEvent(kind: PresenceEvent["kind"], payload: unknown): PresenceEvent | undefined {
  const userId = field(payload, "userId");
  if (typeof userId !== "string") return undefined;
  const timestamp = text(field(payload, "timestamp"));
  const version = integer(field(payload, "version"));
  switch (kind) {
    case "online":
      return { kind, userId, timestamp, version };
    case "offline":
      return { kind, userId, timestamp, version, reason: text(field(payload, "reason")) };
    case "status": {
      const status = text(field(payload, "status"));
      return status === undefined ? undefined : { kind, userId, status, timestamp, version };
    }
  }
}

export function readBulkOnline(payload: unknown): BulkOnline {
  const interval = integer(field(payload, "heartbeatIntervalMs"));
  return {
    users: strings(field(payload, "users")),
    statuses: map(field(payload, "statuses"), text),
    versions: map(field(payload, "versions"), integer),
    heartbeatIntervalMs: interval !== undefined && interval > 0 ? interval : undefined,
  };
}

export function readSubscribeReply(payload: unknown): SubscribeReply {
  return {
    online: strings(field(payload, "online")),
    statuses: map(field(payload, "statuses"), text),
    lastSeen: map(field(payload, "lastSeen"), text),
    versions: map(field(payload, "versions"), integer),
  };
}

/** `{ "success": false }` (an expired lease, an ignored anonymous connection); anything else is success. */
export function isRefusal(payload: unknown): boolean {
  return field(payload, "success") === false;
}

