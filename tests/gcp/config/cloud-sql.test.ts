/** The Cloud SQL for PostgreSQL tiers a created database may use, and the connection budget each implies. */
import * as assert from "assert";
import { cloudSqlMaxConnections, cloudSqlTierProblem } from "../../../components/gcp/config/cloud-sql";

describe("cloudSqlTierProblem and cloudSqlMaxConnections", () => {
    const budgets: [tier: string, budget: number][] = [
        ["db-f1-micro", 22],
        ["db-g1-small", 47],
        ["db-custom-1-3840", 97],
        ["db-custom-2-7680", 397],
        ["db-custom-4-15360", 497],
        ["db-custom-8-30720", 597],
        ["db-custom-16-61440", 797],
        ["db-custom-32-122880", 997],
    ];
    for (const [tier, budget] of budgets)
        it(`${tier}: ${budget} connections (the documented default less 3 reserved)`, () => assert.strictEqual(cloudSqlMaxConnections(tier), budget));

    const refused: [tier: string, because: RegExp][] = [
        ["db-custom-3-7680", /3 vCPUs: use 1 or an even number/],
        ["db-custom-1-3000", /multiple of 256 MiB/],
        ["db-custom-2-3584", /at least 3840 MiB/],
        ["db-custom-1-7680", /0\.9 to 6\.5 GB per vCPU/],
        ["db-perf-optimized-N-2", /not a PostgreSQL tier/],
    ];
    for (const [tier, because] of refused) it(`refuses ${tier}`, () => assert.match(cloudSqlTierProblem(tier) ?? "", because));
    it("throws for a refused tier rather than guess its budget", () => assert.throws(() => cloudSqlMaxConnections("db-custom-3-7680"), /3 vCPUs/));
});
