// Count the exceptions taken, per exception class, over a whole run (boot to power-off).
//   npx el2scope script examples/trap-count.ts --kernel targets/build/demo-hyp.elf
import type { ScriptMain } from '../src/script';

const main: ScriptMain = async (client, { log }) => {
  const counts = new Map<string, number>();
  let dropped = 0;
  client.subscribe('exception', (e) => {
    const k = `EL${e.from}->EL${e.to} ${e.ecName}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  (client as unknown as import('node:events').EventEmitter).on('events.dropped', (p: { count: number }) => (dropped += p.count));
  const exited = client.waitFor('exited', () => true, 120_000);
  await client.resume();
  const [ex] = await exited;
  await new Promise((r) => setTimeout(r, 100)); // the last batch of events
  log(`guest exited (${ex.code}): ${ex.why}`);
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) log(`${String(n).padStart(6)}  ${k}`);
  if (dropped) log(`(${dropped} exception events were not delivered; the trap log has them)`);
};
export default main;
