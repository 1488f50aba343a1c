// `el2scope script FILE`: run a user script (TypeScript or JavaScript module) with a connected
// inspector client, against a machine this process starts (same image options as `run`) or an
// already running el2scope (`--connect URL`). The module's default export is called as
// `default(client, ctx)`; see examples/ and docs/inspector-protocol.md.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InspectorClient } from './client/client';
import type { Board, BoardOptions } from './machine/board';

export interface ScriptContext {
  /** the board, when the script runs against a machine this process started */
  board?: Board;
  /** inspector URL the client is connected to */
  url: string;
  /** write a line to stdout */
  log: (...parts: unknown[]) => void;
}

export type ScriptMain = (client: InspectorClient, ctx: ScriptContext) => unknown | Promise<unknown>;

export class ScriptError extends Error {}

export async function runScript(file: string, opts: { connect?: string; board?: BoardOptions }): Promise<number> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ScriptError(`script '${file}' not found`);
  let board: Board | undefined;
  let close: (() => Promise<void>) | undefined;
  let url: string;
  if (opts.connect) {
    url = opts.connect;
  } else {
    const { createBoard, bootBoard } = await import('./machine/board');
    const { startInspector } = await import('./inspector/server');
    board = createBoard(opts.board ?? {});
    bootBoard(board);
    const srv = await startInspector(board.machine, { host: '127.0.0.1', port: 0, board });
    url = srv.url;
    close = () => srv.close();
  }
  const client = await InspectorClient.connect(url);
  const log = (...parts: unknown[]) => process.stdout.write(parts.map((p) => (typeof p === 'bigint' ? '0x' + p.toString(16) : typeof p === 'string' ? p : JSON.stringify(p, (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v)))).join(' ') + '\n');
  try {
    const mod = (await import(pathToFileURL(path).href)) as { default?: ScriptMain };
    if (typeof mod.default !== 'function') throw new ScriptError(`script '${file}' has no default export function (client, ctx) => ...`);
    await mod.default(client, { board, url, log });
    return 0;
  } finally {
    // stop a machine we started before closing, so nothing keeps running
    if (board) {
      try {
        await client.pause();
      } catch {
        /* already stopped or exited */
      }
    }
    await client.close();
    await close?.();
  }
}
