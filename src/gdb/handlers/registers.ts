// g / G / p / P: register access (GDB manual "Packets").
import { fromHex, parseHexNum } from '../protocol/hex';
import { rleEncode } from '../protocol/packet';
import { E, type Handler, threadOrDefault } from './context';

export const handleRegisters: Handler = (s, pkt) => {
  const t = s.target;
  const tid = threadOrDefault(s, s.gThread);
  switch (pkt[0]) {
    case 'g':
      if (pkt.length !== 1) return E(1);
      // run-length encoded: most system registers read as zero (a 6 KiB reply shrinks severalfold)
      return rleEncode(t.readRegisters(tid));
    case 'G': {
      if (!t.writeRegisters) return undefined;
      const b = fromHex(pkt.slice(1));
      if (!b) return E(1);
      return t.writeRegisters(tid, b) ? 'OK' : E(1);
    }
    case 'p': {
      const n = parseHexNum(pkt.slice(1));
      if (n === undefined) return E(1);
      const v = t.readRegister(tid, n);
      return v === undefined ? E(0x0e) : v;
    }
    case 'P': {
      if (!t.writeRegister) return undefined;
      const eq = pkt.indexOf('=');
      if (eq < 0) return E(1);
      const n = parseHexNum(pkt.slice(1, eq));
      const b = fromHex(pkt.slice(eq + 1));
      if (n === undefined || !b) return E(1);
      return t.writeRegister(tid, n, b) ? 'OK' : E(0x0e);
    }
  }
  return undefined;
};
