/** The health-check decision on Cloud Run: ready before traffic, alive regardless of the database. */
import * as assert from "assert";
import { cloudRunProbes } from "../../components/gcp/health";
import { ADMIN_SERVER_PORT } from "../../components/postgrest/ports";

describe("gcp: probes", () => {
    for (const major of [10, 12, 14, 16]) {
        it(`v${major}: starts on /ready within two minutes, stays alive on /live, both on the admin server`, () => {
            const { startupProbe, livenessProbe } = cloudRunProbes(major);
            assert.deepStrictEqual(startupProbe.httpGet, { path: "/ready", port: ADMIN_SERVER_PORT });
            assert.deepStrictEqual(livenessProbe.httpGet, { path: "/live", port: ADMIN_SERVER_PORT });
            const startupSeconds = startupProbe.periodSeconds * startupProbe.failureThreshold;
            // At least a minute for a slow first connection through Direct VPC egress, at most four.
            assert.ok(startupSeconds >= 60 && startupSeconds <= 240, `startup allowance ${startupSeconds} s`);
            for (const probe of [startupProbe, livenessProbe]) assert.ok(probe.timeoutSeconds < probe.periodSeconds);
        });
    }

    it("refuses v9, which has no admin server", () => {
        assert.throws(() => cloudRunProbes(9), /no admin server/);
    });
});
