import * as assert from "assert";
import { requiredApis } from "../../components/gcp/apis";

describe("gcp: the APIs a stack needs", () => {
    it("enables Compute only for a network or load balancer, Cloud SQL Admin only for Cloud SQL", () => {
        const base = ["cloudresourcemanager.googleapis.com", "run.googleapis.com", "secretmanager.googleapis.com", "iam.googleapis.com"];
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" } }), base);
        assert.deepStrictEqual(requiredApis({ network: { mode: "existing", subnetwork: "s" } }), [...base, "compute.googleapis.com"]);
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" }, loadBalancer: { domain: "a.example.com", pathPrefix: "/" } }), [
            ...base,
            "compute.googleapis.com",
        ]);
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" }, cloudSqlInstance: "p-1:r:i" }), [...base, "sqladmin.googleapis.com"]);
    });

    it("enables Cloud Monitoring only when the alerting is on", () => {
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" } }, true).slice(-1), ["monitoring.googleapis.com"]);
        assert.ok(!requiredApis({ network: { mode: "none" } }, false).includes("monitoring.googleapis.com"));
    });
});
