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
    // vCont;action[:thread][;action[:thread]]... parsed in place (a stepi or continue under gdb is
    // one of these per round trip)
    const actions: ResumeAction[] = [];
    const known = s.target.threads();
    let allThreads = true;
    for (let i = 6; i <= pkt.length; ) {
      let semi = pkt.indexOf(';', i);
      if (semi < 0) semi = pkt.length;
      if (semi === i) return E(1);
      let colon = pkt.indexOf(':', i);
      if (colon < 0 || colon > semi) colon = semi;
      let tid = -1;
      if (colon < semi) {
        const t = parseThreadId(pkt.slice(colon + 1, semi));
        if (t === undefined) return E(1);
        // a thread that does not exist (gdb only names threads it was told about)
        if (t > 0 && !known.includes(t)) return E(0x16);
        tid = t;
      }
      const op = pkt[i];
      if (op === 'c' || op === 's' || op === 't') {
        if (colon !== i + 1) return E(1);
        actions.push({ op, thread: tid, signal: undefined, range: undefined });
      } else if (op === 'C' || op === 'S') {
        const sig = parseInt(pkt.slice(i + 1, colon), 16);
        if (Number.isNaN(sig)) return E(1);
        actions.push({ op: op === 'C' ? 'c' : 's', thread: tid, signal: sig, range: undefined });
      } else if (op === 'r') {
        const act = pkt.slice(i, colon);
        const comma = act.indexOf(',');
        const a = parseHexBig(act.slice(1, comma));
        const b = parseHexBig(act.slice(comma + 1));
        if (comma < 0 || a === undefined || b === undefined) return E(1);
        actions.push({ op: 's', thread: tid, signal: undefined, range: [a, b] });
      } else return E(1);
      if (op !== 't') allThreads = false;
      i = semi + 1;
    }
    if (actions.length === 0) return E(1);
    if (allThreads) return 'OK'; // only `t` actions, all-stop: already stopped
    return go(s, actions);
  }
  return undefined;
};
