// Thread-id syntax (GDB manual "thread-id syntax"): `ppid.tid`, `tid`, `-1` (all), `0` (any).
// Returns the thread part as a number (-1 all, 0 any) or undefined when malformed.
import { hexDigit } from './hex';

export function parseThreadId(s: string): number | undefined {
  let t = s;
  if (t.startsWith('p')) {
    const dot = t.indexOf('.');
    if (dot < 0) return -1; // a whole process: all its threads
    t = t.slice(dot + 1);
  }
  if (t === '-1') return -1;
  if (t.length === 0 || t.length > 8) return undefined;
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const d = hexDigit(t.charCodeAt(i));
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

export function formatThreadId(tid: number): string {
  return tid.toString(16);
}
