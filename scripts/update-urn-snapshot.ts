/** Writes tests/urns.snapshot.json: every resource's URN in each stack file and main variant (`npm run urns:update`). */
import * as fs from "fs";
import { URN_SNAPSHOT_FILE, UrnSnapshot, runVariants, snapshotUrns } from "../testing/urn-snapshot";

async function main(): Promise<void> {
    const snapshot: UrnSnapshot = {};
    for (const [variant, run] of Object.entries(await runVariants())) snapshot[variant] = snapshotUrns(run);
    fs.writeFileSync(URN_SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 4)}\n`);
    const count = Object.values(snapshot).reduce((sum, urns) => sum + urns.length, 0);
    console.log(`${URN_SNAPSHOT_FILE}: ${Object.keys(snapshot).length} variants, ${count} URNs`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
