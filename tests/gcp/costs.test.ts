import * as assert from "assert";
import { HOURS_PER_MONTH, monthlyTotal } from "../../components/costs";
import { DEFAULT_MONITORING, TIER_1_PRICES, cloudSqlCostLines, monitoringCostLines, monthlyCostLines } from "../../components/gcp/costs";
import { gcpCostTable } from "../../scripts/cost-tables";
import { servicePolicies } from "../../components/gcp/monitoring";
import { MONITORING_DEFAULTS } from "../../components/config/monitoring";

describe("gcp: monthly cost model (tier 1, request-based)", () => {
    const base = { averageRequestSeconds: 0.05, averageConcurrentRequests: 1, cpu: 1, memory: 512, loadBalancerGib: 0, loadBalancer: false };

    it("costs nothing idle or within the free tier, without the load balancer", () => {
        assert.strictEqual(monthlyTotal(monthlyCostLines({ ...base, requestsPerMonth: 0 })), 0);
        // 1 M × 50 ms = 50,000 vCPU-s and 25,000 GiB-s: under 180,000 and 360,000.
        assert.strictEqual(monthlyTotal(monthlyCostLines({ ...base, requestsPerMonth: 1_000_000 })), 0);
    });

    it("bills what exceeds the free tier at the tier 1 prices", () => {
        // 10 M × 0.1 s, alone: 1,000,000 vCPU-s (820,000 billed), 500,000 GiB-s (140,000 billed), 8 M requests billed.
        const lines = monthlyCostLines({ ...base, requestsPerMonth: 10_000_000, averageRequestSeconds: 0.1 });
        const expected = 820_000 * 0.000024 + 140_000 * 0.0000025 + 8 * 0.4;
        assert.ok(Math.abs(monthlyTotal(lines) - expected) < 1e-9, `${monthlyTotal(lines)} vs ${expected}`);
        // Requests served together share the instance's billable time.
        const shared = monthlyCostLines({ ...base, requestsPerMonth: 10_000_000, averageRequestSeconds: 0.1, averageConcurrentRequests: 4 });
        assert.ok(monthlyTotal(shared) < monthlyTotal(lines));
    });

    it("adds the load balancer's fixed forwarding-rule charge, $18.25 a month, plus data processed", () => {
        const lines = monthlyCostLines({ ...base, requestsPerMonth: 0, loadBalancer: true, loadBalancerGib: 10 });
        assert.strictEqual(TIER_1_PRICES.forwardingRulesFirstFiveHour * HOURS_PER_MONTH, 18.25);
        assert.ok(Math.abs(monthlyTotal(lines) - (18.25 + 10 * 0.008)) < 1e-9);
    });

    it("bills the alerting: $0.10 a condition plus its time series, the uptime check within the free million executions", () => {
        // The default service scales (minInstances 0 < maxInstances): three policies on its metrics, plus the uptime check's.
        assert.strictEqual(DEFAULT_MONITORING.alertConditions, servicePolicies(MONITORING_DEFAULTS.thresholds, { min: 0, max: 2 }).length + 1);
        // 3 checkers × one probe every 300 s × 730 h.
        assert.strictEqual(DEFAULT_MONITORING.uptimeExecutions, 26_280);
        const [conditions, uptime] = monitoringCostLines(DEFAULT_MONITORING);
        // 4 × (0.10 + 87,600 runs × 1 series × $0.35 / M).
        assert.ok(Math.abs(conditions.monthly - 4 * (0.1 + 0.03066)) < 1e-9, String(conditions.monthly));
        assert.strictEqual(uptime.monthly, 0);
        // Past the free million, every thousand executions costs $0.30.
        assert.ok(Math.abs(monitoringCostLines({ alertConditions: 1, uptimeExecutions: 1_010_000 })[1].monthly - 3) < 1e-9);
        assert.deepStrictEqual(monitoringCostLines({ alertConditions: 0, uptimeExecutions: 0 }), []);
    });

    it("prints the docs/costs.md table, one row per usage level", () => {
        const table = gcpCostTable();
        assert.match(table, /\| idle \| \$0\.52 \| \$18\.77 \|/);
        assert.strictEqual(table.split("\n").length, 2 + 3);
    });
});

describe("gcp: a created Cloud SQL database's monthly cost (us-central1)", () => {
    const cases: [tier: string, diskSizeGb: number, backupGb: number, expected: number][] = [
        // 0.0105 × 730 + 10 × 0.17 + 0
        ["db-f1-micro", 10, 0, 7.665 + 1.7],
        // 0.035 × 730 + 10 × 0.17 + 5 × 0.08
        ["db-g1-small", 10, 5, 25.55 + 1.7 + 0.4],
        // (1 × 0.0413 + 3.75 × 0.007) × 730 + 20 × 0.17
        ["db-custom-1-3840", 20, 0, (0.0413 + 3.75 * 0.007) * 730 + 3.4],
    ];
    for (const [tier, diskSizeGb, backupGb, expected] of cases)
        it(`${tier}, ${diskSizeGb} GB: $${expected.toFixed(2)}`, () => {
            const total = monthlyTotal(cloudSqlCostLines({ tier, diskSizeGb, backupGb }));
            assert.ok(Math.abs(total - expected) < 1e-9, `${total} vs ${expected}`);
        });

    it("runs all month: the instance and its disk are fixed, the backups by use, and a refused tier has no price", () => {
        const lines = cloudSqlCostLines({ tier: "db-g1-small", diskSizeGb: 10, backupGb: 0 });
        assert.deepStrictEqual(
            lines.map((line) => [line.item, line.basis, line.resourceType]),
            [
                ["Cloud SQL db-g1-small, zonal", "fixed", "gcp:sql/databaseInstance:DatabaseInstance"],
                ["Cloud SQL SSD storage: 10 GB", "fixed", "gcp:sql/databaseInstance:DatabaseInstance"],
                ["Cloud SQL backups: 0 GB", "usage", "gcp:sql/databaseInstance:DatabaseInstance"],
            ],
        );
        assert.throws(() => cloudSqlCostLines({ tier: "db-n1-standard-1", diskSizeGb: 10, backupGb: 0 }), /not a PostgreSQL tier/);
    });
});
