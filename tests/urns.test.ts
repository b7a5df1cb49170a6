/**
 * Guards every deployed resource's URN: each stack file and main variant runs once, and each URN in
 * tests/urns.snapshot.json must still be produced, or be named by an alias of the resource that replaces it.
 */
import * as assert from "assert";
import * as fs from "fs";
import { ProgramRun } from "../testing/harness";
import { URN_SNAPSHOT_FILE, UrnSnapshot, removedUrnsMessage, runVariants, urnDrift, urnVariants } from "../testing/urn-snapshot";

const snapshot = JSON.parse(fs.readFileSync(URN_SNAPSHOT_FILE, "utf8")) as UrnSnapshot;

describe("URN snapshot (tests/urns.snapshot.json)", function () {
    this.timeout(300_000);
    let runs: Record<string, ProgramRun>;
    before(async () => {
        runs = await runVariants();
    });

    it("holds every stack file and variant the program is run with, and no other", () => {
        const variants = Object.keys(urnVariants());
        const missing = variants.filter((variant) => !(variant in snapshot));
        assert.deepStrictEqual(missing, [], "variants without a snapshot: run `npm run urns:update` and commit tests/urns.snapshot.json");
        const dropped = Object.keys(snapshot).filter((variant) => !variants.includes(variant));
        assert.deepStrictEqual(
            dropped,
            [],
            "the snapshot holds variants no longer run, whose URNs nothing guards: restore them in testing/urn-snapshot.ts",
        );
    });

    for (const variant of Object.keys(urnVariants())) {
        it(`${variant}: keeps every URN, or an alias to it`, () => {
            const drift = urnDrift(snapshot[variant] ?? [], runs[variant].resources);
            assert.ok(drift.removed.length === 0, removedUrnsMessage(variant, drift));
            if (drift.added.length > 0)
                console.log(
                    `      ${variant}: ${drift.added.length} new URN(s), not in the snapshot yet: run \`npm run urns:update\`\n${drift.added.map((urn) => `        + ${urn}`).join("\n")}`,
                );
        });
    }
});
