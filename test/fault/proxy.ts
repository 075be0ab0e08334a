// A TCP fault proxy for the fault-injection suite: listens on a loopback port and forwards every
// connection to one target. Replicas reach their master through it, so a fault hits the
// replication link only, never the clients of either node.
//
// Faults (each lasts until restore(), and never longer than maxFaultMs):
// - cut():       resets every connection, and resets new ones while the cut lasts (a dead link).
// - blackhole(): accepts, but every byte and every close is dropped in both directions: a frozen
//                network. Connections that lost bytes are reset at restore(), because a TCP stream
//                with a hole in it is something no real network delivers.
// - halfOpen(d): direction d stops flowing; its bytes (and its close) wait in the proxy and the
//                kernel, so the sender's output buffer fills as it would. The other way flows.
// - freeze():    both directions stall that way: the network froze, TCP keeps everything.
// - delay(ms):   every chunk is delivered ms later, in order, closes included.
// - rewriteAt(): overwrites bytes of one chunk in place (same length, so the framing holds): a
//                command the real node then refuses with its own error.

import { createServer, connect, type Server, type Socket } from 'node:net';

/** At a blackholeAt() trigger: the matching chunk goes through whole, or stops where the match begins. */
export type BlackholeDelivery = 'through' | 'before';

/** toTarget: from the connecting side (the replica) to the target (the master); toClient: back. */
export type Direction = 'toTarget' | 'toClient';

export interface ProxyTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FaultProxyOptions {
  listenHost?: string;
  /** Timers used for delay(): unit tests inject manual ones to check ordering without timing. */
  timers?: ProxyTimers;
  /** Safety bound: a fault left on (a test failed mid-way) is lifted after this long. */
  maxFaultMs?: number;
}

export interface ProxyStats {
  accepted: number;
  /** Connections reset on arrival because the link was cut. */
  refused: number;
  /** Connections reset by cut() or by restore() after a blackhole. */
  reset: number;
  forwarded: Record<Direction, number>;
  dropped: Record<Direction, number>;
  /** Closes a blackhole swallowed. */
  closesDropped: number;
  /** Bytes that reached a stalled direction and were held back (delivered later, at restore). */
  held: Record<Direction, number>;
  /** Closes held back by a stalled direction (delivered at restore). */
  closesHeld: number;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;
const DEFAULT_MAX_FAULT_MS = 60_000;

const realTimers: ProxyTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One direction of one connection: what still has to be written to `sink`, in order. */
class Lane {
  /** Chunks held by a stall (halfOpen) or waiting for their delay; `null` is the source's close. */
  readonly queue: Array<Buffer | null> = [];
  /** Timers still pending for delayed chunks: each firing delivers the head of the queue. */
  inFlight = 0;
  stalled = false;
  closed = false;
  /** The sink's buffer is full: the source stays paused until it drains. */
  backpressured = false;

  constructor(
    readonly direction: Direction,
    readonly source: Socket,
    readonly sink: Socket,
  ) {}
}

class Connection {
  readonly lanes: Record<Direction, Lane>;
  /** Bytes or a close were thrown away by a blackhole: the streams can no longer be trusted. */
  damaged = false;
  destroyed = false;

  constructor(
    readonly client: Socket,
    readonly target: Socket,
  ) {
    this.lanes = { toTarget: new Lane('toTarget', client, target), toClient: new Lane('toClient', target, client) };
  }

  reset(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const socket of [this.client, this.target]) {
      if (socket.destroyed) continue;
      // RST, as a link that died: the peer sees ECONNRESET rather than an orderly close.
      if (socket.readyState === 'open' || socket.readyState === 'readOnly' || socket.readyState === 'writeOnly') socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}

export class FaultProxy {
  readonly host: string;
  port = 0;
  readonly stats: ProxyStats = { accepted: 0, refused: 0, reset: 0, forwarded: { toTarget: 0, toClient: 0 }, dropped: { toTarget: 0, toClient: 0 }, closesDropped: 0, held: { toTarget: 0, toClient: 0 }, closesHeld: 0 };
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly timers: ProxyTimers;
  private readonly maxFaultMs: number;
  private cutActive = false;
  private blackholeActive = false;
  private readonly stalled = new Set<Direction>();
  private delayMs = 0;
  private safetyTimer: NodeJS.Timeout | null = null;
  private cutTrigger: { direction: Direction; find: (chunk: Buffer) => number; fired: () => void } | null = null;
  private blackholeTrigger: { direction: Direction; find: (chunk: Buffer) => number; deliver: BlackholeDelivery; fired: () => void } | null = null;
  private rewriteTrigger: { direction: Direction; find: (chunk: Buffer) => number; bytes: Buffer; times: number; fired: () => void } | null = null;

  private constructor(
    readonly targetHost: string,
    readonly targetPort: number,
    options: FaultProxyOptions,
  ) {
    this.host = options.listenHost ?? '127.0.0.1';
    for (const host of [this.host, targetHost]) {
      if (!LOOPBACK.test(host)) throw new Error(`the fault proxy only works on loopback addresses, not ${host}`);
    }
    this.timers = options.timers ?? realTimers;
    this.maxFaultMs = options.maxFaultMs ?? DEFAULT_MAX_FAULT_MS;
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
  }

  static async start(target: { host: string; port: number }, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const proxy = new FaultProxy(target.host, target.port, options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, proxy.host, () => resolve());
    });
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  /** Connections currently open through the proxy. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** What is in force now, for logs and reports. */
  describe(): string {
    const faults: string[] = [];
    if (this.cutActive) faults.push('cut');
    if (this.blackholeActive) faults.push('blackhole');
    for (const direction of this.stalled) faults.push(`halfOpen(${direction} stalled)`);
    if (this.delayMs > 0) faults.push(`delay(${this.delayMs} ms)`);
    return faults.length > 0 ? faults.join(' + ') : 'pass-through';
  }

  /** Resets every connection now and every new one until restore(). */
  cut(): void {
    this.cutActive = true;
    for (const connection of [...this.connections]) this.resetConnection(connection);
    this.armSafety();
  }

  /**
   * Cuts at an exact point of the stream: the first chunk in `direction` for which find() gives
   * an index >= 0 is delivered only up to that index, followed by an orderly close (so the bytes
   * before the cut certainly arrive); the other side is reset and the link stays cut until
   * restore(). Resolves once the cut happened.
   */
  cutAt(direction: Direction, find: (chunk: Buffer) => number): Promise<void> {
    return new Promise((resolve) => {
      this.cutTrigger = { direction, find, fired: resolve };
      this.armSafety();
    });
  }

  /**
   * A partition at an exact point of the stream: the first chunk in `direction` for which find()
   * gives an index >= 0 is delivered whole ('through': the far side acts on it, its answer is
   * lost) or only up to that index ('before': the far side never sees it), then blackhole().
   * Resolves once the partition began.
   */
  blackholeAt(direction: Direction, find: (chunk: Buffer) => number, deliver: BlackholeDelivery): Promise<void> {
    return new Promise((resolve) => {
      this.blackholeTrigger = { direction, find, deliver, fired: resolve };
      this.armSafety();
    });
  }

  /**
   * Corrupts a command on its way: the first `times` chunks in `direction` for which find() gives
   * an index >= 0 have `bytes` written over them from that index (same length: RESP framing
   * holds), then everything passes through again. Resolves once the last one happened.
   */
  rewriteAt(direction: Direction, find: (chunk: Buffer) => number, bytes: Buffer, times = 1): Promise<void> {
    return new Promise((resolve) => {
      this.rewriteTrigger = { direction, find, bytes, times, fired: resolve };
    });
  }

  /** Drops all bytes and closes both ways, silently, until restore(). */
  blackhole(): void {
    this.blackholeActive = true;
    this.armSafety();
  }

  /** Stops one direction (bytes wait, the sender backs up); the other keeps flowing. */
  halfOpen(stalledDirection: Direction): void {
    this.stalled.add(stalledDirection);
    for (const connection of this.connections) connection.lanes[stalledDirection].stalled = true;
    this.armSafety();
  }

  /**
   * Both directions stall, closes included: a frozen network as TCP sees it. Senders' buffers
   * fill and nobody learns anything until restore() (or their own timeouts).
   */
  freeze(): void {
    this.halfOpen('toTarget');
    this.halfOpen('toClient');
  }

  /** Delivers each chunk `ms` later, in order. delay(0) ends the delay. */
  delay(ms: number): void {
    this.delayMs = Math.max(0, ms);
    if (ms > 0) this.armSafety();
  }

  /** Back to pass-through: held bytes flow, and connections damaged by a blackhole are reset. */
  restore(): void {
    this.cutTrigger = null;
    this.blackholeTrigger = null;
    this.rewriteTrigger = null;
    this.cutActive = false;
    this.blackholeActive = false;
    this.delayMs = 0;
    this.stalled.clear();
    if (this.safetyTimer) clearTimeout(this.safetyTimer);
    this.safetyTimer = null;
    for (const connection of [...this.connections]) {
      if (connection.damaged) {
        this.resetConnection(connection);
        continue;
      }
      for (const lane of Object.values(connection.lanes)) {
        if (!lane.stalled) continue;
        lane.stalled = false;
        this.drain(connection, lane);
      }
    }
  }

  async close(): Promise<void> {
    if (this.safetyTimer) clearTimeout(this.safetyTimer);
    for (const connection of [...this.connections]) this.resetConnection(connection);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private armSafety(): void {
    if (this.safetyTimer) return;
    this.safetyTimer = setTimeout(() => {
      this.safetyTimer = null;
      this.restore();
    }, this.maxFaultMs);
    this.safetyTimer.unref();
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.cutActive) {
      this.stats.refused++;
      client.resetAndDestroy();
      return;
    }
    this.stats.accepted++;
    const target = connect({ host: this.targetHost, port: this.targetPort });
    target.on('error', () => {});
    target.setNoDelay(true);
    client.setNoDelay(true);
    const connection = new Connection(client, target);
    this.connections.add(connection);
    for (const direction of this.stalled) connection.lanes[direction].stalled = true;
    target.once('connect', () => client.resume());
    let closedSockets = 0;
    for (const lane of Object.values(connection.lanes)) {
      lane.source.on('data', (chunk: Buffer) => this.receive(connection, lane, chunk));
      lane.source.once('close', () => {
        if (++closedSockets === 2) this.connections.delete(connection);
        this.receive(connection, lane, null);
      });
    }
  }

  /** A chunk (or the close, as null) arrived from lane.source: apply the faults in force. */
  private receive(connection: Connection, lane: Lane, chunk: Buffer | null): void {
    if (connection.destroyed) return;
    if (this.blackholeActive) {
      connection.damaged = true;
      if (chunk) this.stats.dropped[lane.direction] += chunk.length;
      else this.stats.closesDropped++;
      return;
    }
    if (lane.closed) return;
    if (chunk === null) lane.closed = true;
    const rewrite = this.rewriteTrigger;
    if (chunk && rewrite && rewrite.direction === lane.direction) {
      const at = rewrite.find(chunk);
      if (at >= 0 && at + rewrite.bytes.length <= chunk.length) {
        chunk = Buffer.from(chunk);
        rewrite.bytes.copy(chunk, at);
        if (--rewrite.times === 0) {
          this.rewriteTrigger = null;
          rewrite.fired();
        }
      }
    }
    lane.queue.push(chunk);
    if (lane.stalled) {
      if (chunk) this.stats.held[lane.direction] += chunk.length;
      else this.stats.closesHeld++;
      // The sender must feel the stall: stop reading so its kernel buffers and output buffer fill.
      lane.source.pause();
      return;
    }
    if (this.delayMs > 0) {
      lane.inFlight++;
      this.timers.setTimeout(() => {
        lane.inFlight--;
        this.deliverHead(connection, lane);
      }, this.delayMs);
      return;
    }
    this.drain(connection, lane);
  }

  /** Delivers everything queued that is not waiting for a delay timer. */
  private drain(connection: Connection, lane: Lane): void {
    while (lane.queue.length > lane.inFlight && !lane.stalled) this.deliverHead(connection, lane);
    if (!lane.stalled && !lane.backpressured && !lane.source.destroyed) lane.source.resume();
  }

  private deliverHead(connection: Connection, lane: Lane): void {
    if (lane.stalled || lane.queue.length === 0 || connection.destroyed) return;
    const chunk = lane.queue.shift() as Buffer | null;
    if (chunk === null) {
      // The source closed: the sink learns it once everything before the close was delivered.
      if (!lane.sink.destroyed) lane.sink.end(() => lane.sink.destroy());
      return;
    }
    const trigger = this.cutTrigger;
    if (trigger && trigger.direction === lane.direction) {
      const at = trigger.find(chunk);
      if (at >= 0) {
        this.cutTrigger = null;
        this.stats.forwarded[lane.direction] += at;
        lane.sink.end(chunk.subarray(0, at));
        lane.source.resetAndDestroy();
        connection.destroyed = true;
        this.connections.delete(connection);
        this.cut();
        trigger.fired();
        return;
      }
    }
    const partition = this.blackholeTrigger;
    if (partition && partition.direction === lane.direction) {
      const at = partition.find(chunk);
      if (at >= 0) {
        this.blackholeTrigger = null;
        const delivered = partition.deliver === 'through' ? chunk : chunk.subarray(0, at);
        this.stats.forwarded[lane.direction] += delivered.length;
        this.stats.dropped[lane.direction] += chunk.length - delivered.length;
        if (delivered.length > 0) lane.sink.write(delivered);
        if (delivered.length < chunk.length) connection.damaged = true;
        this.blackhole();
        partition.fired();
        return;
      }
    }
    this.stats.forwarded[lane.direction] += chunk.length;
    if (!lane.sink.write(chunk) && !lane.backpressured) {
      lane.backpressured = true;
      lane.source.pause();
      lane.sink.once('drain', () => {
        lane.backpressured = false;
        if (!lane.stalled && !lane.source.destroyed) lane.source.resume();
      });
    }
  }

  private resetConnection(connection: Connection): void {
    if (!connection.destroyed) this.stats.reset++;
    connection.reset();
    this.connections.delete(connection);
  }
}
