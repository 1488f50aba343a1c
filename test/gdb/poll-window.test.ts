// The busy-poll window of the GDB server (src/gdb/poll-window.ts).
import { describe, it, expect } from 'vitest';
import { PollWindow } from '../../src/gdb/poll-window';

describe('PollWindow', () => {
  it('halves after each poll whose packet came right after it gave up (a client that cannot answer while we poll)', () => {
    const w = new PollWindow(1);
    expect(w.ms).toBe(1);
    for (let i = 1; i <= 5; i++) {
      w.missed(100 * i);
      w.arrived(100 * i + 0.05);
      expect(w.ms).toBe(1 / 2 ** i);
    }
    // bounded: a read attempt, not zero
    for (let i = 0; i < 100; i++) {
      w.missed(1000 + i);
      w.arrived(1000 + i + 0.01);
    }
    expect(w.ms).toBeGreaterThan(0);
    expect(w.ms).toBeLessThan(1e-6);
  });

  it('goes back to the full window when a poll reads a packet', () => {
    const w = new PollWindow(1);
    for (let i = 0; i < 8; i++) {
      w.missed(i);
      w.arrived(i + 0.1);
    }
    expect(w.ms).toBeLessThan(0.01);
    w.hit();
    expect(w.ms).toBe(1);
  });

  it('goes back to the full window when the packet after a miss comes long after the window (the client was busy)', () => {
    const w = new PollWindow(1);
    for (let i = 0; i < 30; i++) {
      w.missed(10 * i);
      w.arrived(10 * i + 0.2);
    }
    expect(w.ms).toBeLessThan(1e-6);
    // gdb spent 5 ms formatting `info registers`: its next packet says nothing about its latency
    w.missed(1000);
    w.arrived(1005);
    expect(w.ms).toBe(1);
  });

  it('data that arrives without a missed poll before it changes nothing', () => {
    const w = new PollWindow(1);
    w.missed(0);
    w.arrived(0.1);
    const ms = w.ms;
    w.arrived(50);
    w.arrived(50.1);
    expect(w.ms).toBe(ms);
  });
});
