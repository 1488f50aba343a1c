// How long the server busy-polls for gdb's next packet (src/gdb/server.ts). A client in another
// process answers a reply within tens of microseconds, and catching that packet without sleeping
// saves two wake-ups. A client that cannot answer while we poll (one in this same process) would pay
// the whole window on every packet, so the window adapts:
// - a poll that read something: full window next time;
// - a poll that read nothing, followed within one full window by the packet (through the event
//   loop): the client only answers once we stop polling, so the next window is halved;
// - a poll that read nothing, followed by a packet much later: the client was busy (gdb formatting
//   a screen of registers, a human typing) and says nothing about its latency: full window again.
// A window that only ever shrank would leave a long gdb session without busy-polling for good after
// its first slow phase.
export class PollWindow {
  private misses = 0;
  private missedAt = -1;

  constructor(readonly fullMs: number) {}

  /** the next poll's window in ms */
  get ms(): number {
    return this.fullMs / 2 ** this.misses;
  }

  /** a poll read data */
  hit(): void {
    this.misses = 0;
    this.missedAt = -1;
  }

  /** a poll gave up at `now` (performance.now()) without reading anything */
  missed(now: number): void {
    this.missedAt = now;
  }

  /** data arrived through the event loop at `now` */
  arrived(now: number): void {
    if (this.missedAt < 0) return;
    this.misses = now - this.missedAt < this.fullMs ? Math.min(this.misses + 1, 30) : 0;
    this.missedAt = -1;
  }
}
