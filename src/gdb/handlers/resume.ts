// c / s / C / S / vCont / vCont? : resuming. All-stop: the reply is the next stop reply.
import { parseHexBig } from '../protocol/hex';
import { parseThreadId } from '../protocol/thread-id';
import type { ResumeAction } from '../target';
import { E, NO_REPLY, type Handler, threadOrDefault } from './context';

function go(s: Parameters<Handler>[0], actions: ResumeAction[]): typeof NO_REPLY {
  s.running = true;
  s.target.resume(actions);
  return NO_REPLY;
}

export const handleResume: Handler = (s, pkt) => {
  const c = pkt[0];
  if (c === 'c' || c === 's' || c === 'C' || c === 'S') {
    let rest = pkt.slice(1);
    let signal: number | undefined;
    if (c === 'C' || c === 'S') {
      const semi = rest.indexOf(';');
      const sig = parseInt(semi < 0 ? rest : rest.slice(0, semi), 16);
      if (Number.isNaN(sig)) return E(1);
      signal = sig;
      rest = semi < 0 ? '' : rest.slice(semi + 1);
    }
    if (rest !== '') return E(1); // the deprecated `c ADDR` / `s ADDR` forms are not supported
    const op = c === 'c' || c === 'C' ? 'c' : 's';
    const tid = op === 's' ? threadOrDefault(s, s.cThread) : -1;
    return go(s, [{ op, thread: tid, signal }]);
  }
  if (pkt === 'vCont?') return 'vCont;c;C;s;S;t;r';
  if (pkt.startsWith('vCont;')) {
    const actions: ResumeAction[] = [];
    for (const part of pkt.slice(6).split(';')) {
      if (part === '') return E(1);
      const colon = part.indexOf(':');
      const act = colon < 0 ? part : part.slice(0, colon);
      let tid = -1;
      if (colon >= 0) {
        const t = parseThreadId(part.slice(colon + 1));
        if (t === undefined) return E(1);
        tid = t;
      }
      const op = act[0];
      if (op === 'c' || op === 's' || op === 't') {
        if (act.length !== 1) return E(1);
        actions.push({ op, thread: tid });
      } else if (op === 'C' || op === 'S') {
        const sig = parseInt(act.slice(1), 16);
        if (Number.isNaN(sig)) return E(1);
        actions.push({ op: op === 'C' ? 'c' : 's', thread: tid, signal: sig });
      } else if (op === 'r') {
        const comma = act.indexOf(',');
        const a = parseHexBig(act.slice(1, comma));
        const b = parseHexBig(act.slice(comma + 1));
        if (comma < 0 || a === undefined || b === undefined) return E(1);
        actions.push({ op: 's', thread: tid, range: [a, b] });
      } else return E(1);
    }
    if (actions.length === 0) return E(1);
    // a thread that does not exist (gdb only names threads it was told about)
    const known = s.target.threads();
    if (actions.some((a) => a.thread > 0 && !known.includes(a.thread))) return E(0x16);
    if (actions.every((a) => a.op === 't')) return 'OK'; // all-stop: already stopped
    return go(s, actions);
  }
  return undefined;
};
