// JSON-RPC 2.0 framing for the inspector (https://www.jsonrpc.org/specification): request
// validation, batches, error objects. Knows nothing of the emulator; methods come as a table.

export const RPC_ERR = {
  PARSE: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  /** application errors */
  BAD_STATE: -32000,
  FAULT: -32001,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export type Params = Record<string, unknown>;
export type Method = (params: Params) => unknown | Promise<unknown>;

interface Response {
  jsonrpc: '2.0';
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** JSON.stringify that writes bigints as "0x..." hex strings. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? '0x' + x.toString(16) : x));
}

function errorResponse(id: Response['id'], code: number, message: string, data?: unknown): Response {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

async function handleOne(methods: Map<string, Method>, req: unknown): Promise<Response | null> {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return errorResponse(null, RPC_ERR.INVALID_REQUEST, 'request must be an object');
  const r = req as Record<string, unknown>;
  const idOk = r.id === undefined || r.id === null || typeof r.id === 'string' || typeof r.id === 'number';
  const id = (idOk && r.id !== undefined ? r.id : null) as Response['id'];
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || !idOk) return errorResponse(id, RPC_ERR.INVALID_REQUEST, 'not a JSON-RPC 2.0 request');
  const isNotification = r.id === undefined;
  if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null || Array.isArray(r.params))) {
    return isNotification ? null : errorResponse(id, RPC_ERR.INVALID_PARAMS, 'params must be an object');
  }
  const m = methods.get(r.method);
  if (!m) return isNotification ? null : errorResponse(id, RPC_ERR.METHOD_NOT_FOUND, `no method ${r.method}`);
  try {
    const result = await m((r.params ?? {}) as Params);
    return isNotification ? null : { jsonrpc: '2.0', id, result: result === undefined ? null : result };
  } catch (e) {
    if (isNotification) return null;
    if (e instanceof RpcError) return errorResponse(id, e.code, e.message, e.data);
    return errorResponse(id, RPC_ERR.INTERNAL, `internal error: ${(e as Error).message ?? String(e)}`);
  }
}

/** Handle one text message; returns the text to send back, or null (notifications only). */
export async function handleMessage(methods: Map<string, Method>, text: string): Promise<string | null> {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return toJson(errorResponse(null, RPC_ERR.PARSE, 'parse error'));
  }
  if (Array.isArray(msg)) {
    if (msg.length === 0) return toJson(errorResponse(null, RPC_ERR.INVALID_REQUEST, 'empty batch'));
    const out: Response[] = [];
    for (const m of msg) {
      const r = await handleOne(methods, m);
      if (r) out.push(r);
    }
    return out.length ? toJson(out) : null;
  }
  const r = await handleOne(methods, msg);
  return r ? toJson(r) : null;
}

// ------------------------------------------------------------------ param helpers

export function intParam(p: Params, name: string, def?: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = p[name];
  if (v === undefined) {
    if (def === undefined) throw new RpcError(RPC_ERR.INVALID_PARAMS, `missing ${name}`);
    return def;
  }
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new RpcError(RPC_ERR.INVALID_PARAMS, `${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** A 64-bit value given as a number or a decimal/hex string. */
export function bigParam(p: Params, name: string, def?: bigint): bigint {
  const v = p[name];
  if (v === undefined) {
    if (def === undefined) throw new RpcError(RPC_ERR.INVALID_PARAMS, `missing ${name}`);
    return def;
  }
  try {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) {
      const b = BigInt(v.trim());
      if (b < 0n || b >= 1n << 64n) throw new Error();
      return b;
    }
  } catch {
    /* fall through */
  }
  throw new RpcError(RPC_ERR.INVALID_PARAMS, `${name} must be a 64-bit unsigned value (number or "0x..." string)`);
}

export function strParam(p: Params, name: string, allowed?: readonly string[], def?: string): string {
  const v = p[name];
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'string') throw new RpcError(RPC_ERR.INVALID_PARAMS, `${name} must be a string`);
  if (allowed && !allowed.includes(v)) throw new RpcError(RPC_ERR.INVALID_PARAMS, `${name} must be one of ${allowed.join(', ')}`);
  return v;
}
