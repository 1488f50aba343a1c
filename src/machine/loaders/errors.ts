// Loader errors are the user's problem (a bad or missing file), never ours: the CLI prints the
// message on one line and exits with status 2.
export class LoadError extends Error {
  override name = 'LoadError';
}

/** Where a loader may place bytes: the board checks the physical range is RAM or flash. */
export type CanLoad = (pa: number, size: number) => boolean;

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}
