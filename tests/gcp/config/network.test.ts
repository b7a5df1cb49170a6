import * as assert from "assert";
import { subnetCidrProblem } from "../../../components/gcp/config/network";

describe("config: gcp.network", () => {
    it("takes private, aligned /8 to /26 subnetwork ranges only", () => {
        for (const ok of ["10.8.0.0/24", "10.0.0.0/8", "172.16.4.0/26", "192.168.0.0/16"]) assert.strictEqual(subnetCidrProblem(ok), undefined, ok);
        for (const bad of ["10.8.0.0/27", "11.0.0.0/24", "172.32.0.0/24", "10.8.0.1/24", "10.8.0.0", "10.300.0.0/24"])
            assert.ok(subnetCidrProblem(bad), bad);
    });
});
