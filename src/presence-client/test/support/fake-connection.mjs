// A HubConnection stand-in: records handlers and invocations, and lets a test deliver server messages.
export class FakeConnection {
  state = "Disconnected";
  handlers = new Map();
  invocations = [];
  replies = new Map(); // method -> (args) => reply | Promise
  _closedCallbacks = [];
  _reconnectingCallbacks = [];
  _reconnectedCallbacks = [];

  on(method, handler) {
    if (!this.handlers.has(method)) this.handlers.set(method, []);
    this.handlers.get(method).push(handler);
  }
  off(method, handler) {
    const list = this.handlers.get(method) ?? [];
    const i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
  }
  async invoke(method, ...args) {
    this.invocations.push({ method, args });
    const reply = this.replies.get(method);
    if (reply) return reply(...args);
    return { success: true };
  }
  async start() { this.state = "Connected"; }
  async stop() { this.state = "Disconnected"; for (const c of [...this._closedCallbacks]) c(); }
  onclose(c) { this._closedCallbacks.push(c); }
  onreconnecting(c) { this._reconnectingCallbacks.push(c); }
  onreconnected(c) { this._reconnectedCallbacks.push(c); }

  /** Delivers a server → client message. */
  receive(method, payload) {
    for (const h of [...(this.handlers.get(method) ?? [])]) h(payload);
  }
  connect(bulk = { users: [] }) { this.state = "Connected"; this.receive("presence:bulk-online", bulk); }
  dropAndReconnect(bulk) {
    this.state = "Reconnecting";
    for (const c of [...this._reconnectingCallbacks]) c(new Error("transport dropped"));
    this.state = "Connected";
    this.receive("presence:bulk-online", bulk);
    for (const c of [...this._reconnectedCallbacks]) c("new-connection-id");
  }
  /** The server sends its snapshot again on the open connection (a resync after it detected possible event loss). */
  resync(bulk) { this.receive("presence:bulk-online", bulk); }
  handlerCount() {
    let n = this._closedCallbacks.length + this._reconnectingCallbacks.length + this._reconnectedCallbacks.length;
    for (const list of this.handlers.values()) n += list.length;
    return n;
  }
  count(method) { return this.invocations.filter((i) => i.method === method).length; }
}

/** Timers a test drives by hand. */
export class FakeTimers {
  time = 0;
  next = 1;
  tasks = new Map(); // id -> { at, callback, every }
  setTimeout = (callback, ms) => { const id = this.next++; this.tasks.set(id, { at: this.time + ms, callback, every: 0 }); return id; };
  clearTimeout = (id) => { this.tasks.delete(id); };
  setInterval = (callback, ms) => { const id = this.next++; this.tasks.set(id, { at: this.time + ms, callback, every: ms }); return id; };
  clearInterval = (id) => { this.tasks.delete(id); };
  now = () => this.time;
  get pending() { return this.tasks.size; }
  intervals() { return [...this.tasks.values()].filter((t) => t.every > 0).map((t) => t.every); }
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      let first;
      for (const [id, t] of this.tasks) if (t.at <= end && (!first || t.at < first[1].at)) first = [id, t];
      if (!first) break;
      const [id, t] = first;
      this.time = t.at;
      if (t.every > 0) t.at += t.every; else this.tasks.delete(id);
      t.callback();
    }
    this.time = end;
  }
}

export const flush = () => new Promise((resolve) => setImmediate(resolve));
