// Dump the stage-2 map of the VM a hypervisor has set up: run until the guest first traps to EL2
// (VTTBR_EL2 is live then), print the IPA -> PA ranges with their permissions.
//   npx el2scope script examples/stage2-map.ts --kernel targets/build/demo-hyp.elf
import type { ScriptMain } from '../src/script';

const main: ScriptMain = async (client, { log }) => {
  await client.catchExceptions([2]); // the first exception taken to EL2 from the guest
  let stop = client.nextStop();
  await client.resume();
  let s = await stop;
  // skip exceptions taken while EL2 itself runs (before the guest is entered)
  for (let i = 0; i < 100 && s.reason === 'catch' && !/^EL[01]->EL2/.test(String(s.message)); i++) {
    stop = client.nextStop();
    await client.resume();
    s = await stop;
  }
  await client.catchExceptions([]);
  const map = await client.stage2Map(0);
  log(`VMID ${map.vmid}: ${map.ipaBits}-bit IPA space, stage 2 ${map.enabled ? 'enabled' : 'disabled'}`);
  for (const r of map.ranges) log(`  IPA ${r.ipa.padStart(12)} -> PA ${r.pa.padStart(12)}  size ${r.size}  ${r.perm}  (level ${r.level})`);
  log(`${map.ranges.length} range(s)`);
};
export default main;
