// @presence/client/react: the seed's usePresence hook on React's useSyncExternalStore.
import { useSyncExternalStore } from "react";
import { EMPTY_SNAPSHOT } from "./presence.js";
import type { Presence, PresenceSnapshot } from "./types.js";

const noSubscription = () => () => undefined;
const emptySnapshot = () => EMPTY_SNAPSHOT;

/**
 * The current presence snapshot (`onlineUsers`, `isOnline`, `statusOf`, `lastSeen`, `users`,
 * `synced`, ...); the component re-renders when it changes. `null`/`undefined` (no connection yet)
 * gives an empty snapshot.
 */
export function usePresence(presence: Presence | null | undefined): PresenceSnapshot {
  return useSyncExternalStore(
    presence ? presence.subscribe : noSubscription,
    presence ? presence.getSnapshot : emptySnapshot,
    presence ? presence.getSnapshot : emptySnapshot,
  );
}

export type { Presence, PresenceSnapshot, UserPresence } from "./types.js";
