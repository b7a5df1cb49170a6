import * as assert from "assert";
import { resolveRegion } from "../../../components/gcp/config/rules";

describe("config: GCP's rules", () => {
    it("takes gcp.region, else the provider's, else us-central1", () => {
        assert.strictEqual(resolveRegion("europe-west1", "asia-east1"), "europe-west1");
        assert.strictEqual(resolveRegion(undefined, "asia-east1"), "asia-east1");
        assert.strictEqual(resolveRegion(undefined, undefined), "us-central1");
    });
});
