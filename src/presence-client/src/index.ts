// @presence/client: who is online, kept in sync over the app's own SignalR HubConnection.
export { createPresence, DEFAULT_HEARTBEAT_INTERVAL_MS, EMPTY_SNAPSHOT } from "./presence.js";
export { Methods as PresenceMethods } from "./wire.js";
export type {
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
