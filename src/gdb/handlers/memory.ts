// m / M / X: memory access. Addresses are what the target's current memory view says (monitor mem).
import { fromHex, parseHexBig, parseHexNum } from '../protocol/hex';
import { frameBinRle, frameHexRle, unescapeBinary } from '../protocol/packet';
import { PACKET_SIZE } from './query';
import { E, type Handler, threadOrDefault } from './context';

export const MAX_MEM = 0x10000;

function addrLen(spec: string): [bigint, number] | undefined {
  const comma = spec.indexOf(',');
  if (comma < 0) return undefined;
  const a = parseHexBig(spec.slice(0, comma));
  const l = parseHexNum(spec.slice(comma + 1));
  if (a === undefined || l === undefined) return undefined;
  return [a, l];
}

export const handleMemory: Handler = (s, pkt, raw) => {
  const t = s.target;
  const tid = threadOrDefault(s, s.gThread);
  switch (pkt[0]) {
    case 'm': {
      const al = addrLen(pkt.slice(1));
      if (!al || al[1] > MAX_MEM) return E(1);
      if (al[1] === 0) return '';
      const b = t.readMemory(tid, al[0], al[1]);
      if (!b) return E(0x0e);
      // run-length encoded (gdb expands runs in any reply): zeroed RAM and page tables shrink ~30x
      return frameHexRle(b);
    }
    case 'x': {
      // binary read (GDB 16, qSupported binary-upload): 'b' + escaped bytes; gdb asks again for
      // whatever does not fit one packet
      const al = addrLen(pkt.slice(1));
      if (!al || al[1] > MAX_MEM) return E(1);
      if (al[1] === 0) return 'b';
      const b = t.readMemory(tid, al[0], al[1]);
      if (!b) return E(0x0e);
      return frameBinRle(b, PACKET_SIZE - 1).frame;
    }
    case 'M': {
      if (!t.writeMemory) return undefined;
      const colon = pkt.indexOf(':');
      if (colon < 0) return E(1);
      const al = addrLen(pkt.slice(1, colon));
      const b = fromHex(pkt.slice(colon + 1));
      if (!al || !b || b.length !== al[1]) return E(1);
      if (al[1] === 0) return 'OK';
      return t.writeMemory(tid, al[0], b) ? 'OK' : E(0x0e);
    }
    case 'X': {
      if (!t.writeMemory) return undefined;
      const colon = raw.indexOf(0x3a);
      if (colon < 0) return E(1);
      const al = addrLen(pkt.slice(1, colon));
      const b = unescapeBinary(raw.subarray(colon + 1));
      if (!al || !b || b.length !== al[1]) return E(1);
      if (al[1] === 0) return 'OK'; // gdb probes X support with a zero-length write
      return t.writeMemory(tid, al[0], b) ? 'OK' : E(0x0e);
    }
  }
  return undefined;
};
