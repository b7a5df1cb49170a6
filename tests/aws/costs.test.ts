import * as assert from "assert";
import { HOURS_PER_MONTH, monthlyTotal } from "../../components/costs";
import {
    DEFAULT_ALARM_METRICS,
    DEFAULT_COST_ASSUMPTIONS,
    US_EAST_1_PRICES,
    auroraCostLines,
    monitoringCostLines,
    monthlyCostLines,
    rdsDatabaseCostLines,
} from "../../components/aws/costs";
import { awsCostTable } from "../../scripts/cost-tables";
import { NAT_OPTIONS } from "../../components/aws/config/network";

const base = { ...DEFAULT_COST_ASSUMPTIONS };
const total = (nat: (typeof NAT_OPTIONS)[number], overrides = {}) => monthlyTotal(monthlyCostLines({ ...base, ...overrides, nat }));
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 0.005, `${actual} != ${expected}`);

describe("aws: monthly cost model (us-east-1)", () => {
    // Totals worked by hand from the pricing pages' prices (components/aws/costs.ts), 730 h: shared = Fargate ARM 0.25 vCPU/0.5 GB
    // (0.25×0.03238 + 0.5×0.00356)×730 = 7.20875, ALB 0.0225×730 = 16.425, 1 LCU 0.008×730 = 5.84,
    // 2 ALB IPv4 2×0.005×730 = 7.30, 2 secrets 0.80, 9 alarm metrics 9×0.10 = 0.90, 1 dashboard 3.00 -> 41.47375.
    const cases: { nat: (typeof NAT_OPTIONS)[number]; expected: number; why: string }[] = [
        { nat: "none", expected: 41.47375 + 3.65, why: "one task public IPv4" },
        { nat: "gateway", expected: 41.47375 + 32.85 + 3.65 + 5 * 0.045, why: "one gateway, its EIP, 5 GB processed" },
        { nat: "gateway-per-az", expected: 41.47375 + 2 * 32.85 + 2 * 3.65 + 5 * 0.045, why: "two gateways, two EIPs, 5 GB" },
        { nat: "instance", expected: 41.47375 + 0.0042 * 730 + 8 * 0.08 + 3.65, why: "t4g.nano, 8 GB gp3, one public IPv4" },
    ];
    for (const { nat, expected, why } of cases) {
        it(`${nat}: ${why}`, () => close(total(nat), expected));
    }

    it("ranks the options: none < instance < gateway < gateway-per-az", () => {
        const totals = ["none", "instance", "gateway", "gateway-per-az"].map((nat) => total(nat as (typeof NAT_OPTIONS)[number]));
        assert.deepStrictEqual(
            [...totals].sort((a, b) => a - b),
            totals,
        );
    });

    it("scales Fargate with tasks, size and architecture", () => {
        const fargate = (overrides: object) => monthlyCostLines({ ...base, ...overrides, nat: "gateway" })[0].monthly;
        close(fargate({ tasks: 3 }), 3 * fargate({}));
        close(fargate({ cpu: 1, memory: 2048, architecture: "X86_64" }), (0.04048 + 2 * 0.004445) * HOURS_PER_MONTH);
        // With nat none every task also pays for its public IPv4.
        close(total("none", { tasks: 2 }) - total("none"), fargate({}) + US_EAST_1_PRICES.publicIpv4Hour * HOURS_PER_MONTH);
    });

    it("bills every metric the default alarms read, and the dashboard, and nothing with monitoring off", () => {
        // lb-5xx-rate and target-5xx-rate read two metrics each (metric math), the five others one.
        assert.strictEqual(DEFAULT_ALARM_METRICS, 9);
        assert.deepStrictEqual(
            monitoringCostLines(base).map((l) => [l.item, Number(l.monthly.toFixed(2))]),
            [
                ["CloudWatch alarms: 9 metrics", 0.9],
                ["CloudWatch dashboard × 1", 3],
            ],
        );
        close(total("none") - total("none", { alarmMetrics: 0, dashboards: 0 }), 3.9);
        assert.deepStrictEqual(monitoringCostLines({ alarmMetrics: 0, dashboards: 0 }), []);
    });

    it("prints one table row per NAT option with its total", () => {
        const table = awsCostTable();
        for (const nat of NAT_OPTIONS) assert.match(table, new RegExp(`\\| \`${nat}\` \\|.*\\*\\*\\$${total(nat).toFixed(2)}\\*\\* \\|`));
    });
});

describe("aws: a created database's monthly cost (us-east-1)", () => {
    const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} vs ${expected}`);

    const rds: [instanceClass: string, storageGb: number, expected: number][] = [
        // 0.016 × 730 + 20 × 0.115 + 0.40
        ["db.t4g.micro", 20, 11.68 + 2.3 + 0.4],
        ["db.t4g.small", 50, 0.032 * 730 + 50 * 0.115 + 0.4],
    ];
    for (const [instanceClass, storageGb, expected] of rds)
        it(`RDS ${instanceClass}, ${storageGb} GB gp3: $${expected.toFixed(2)}`, () =>
            near(monthlyTotal(rdsDatabaseCostLines({ instanceClass, storageGb })), expected));
    it("RDS: a class without a known price is refused, not guessed", () =>
        assert.throws(() => rdsDatabaseCostLines({ instanceClass: "db.x2g.large", storageGb: 20 }), /no price known for db\.x2g\.large/));

    const aurora: [label: string, activeHours: number, averageAcu: number, expected: number][] = [
        // Paused all month: storage, I/O and the secret only.
        ["paused all month", 0, 0, 1 * 0.1 + 0.5 * 0.2 + 0.4],
        // Awake 4 h a day on work days (about 88 h) at 0.5 ACU: 44 ACU-hours.
        ["awake 88 h at 0.5 ACU", 88, 0.5, 44 * 0.12 + 0.1 + 0.1 + 0.4],
        // Never paused at 1 ACU: the hours are capped at the month.
        ["awake all month at 1 ACU", 1000, 1, 730 * 0.12 + 0.1 + 0.1 + 0.4],
    ];
    for (const [label, activeHours, averageAcu, expected] of aurora)
        it(`Aurora Serverless v2, ${label}: $${expected.toFixed(2)}`, () =>
            near(monthlyTotal(auroraCostLines({ activeHours, averageAcu, storageGb: 1, millionIos: 0.5 })), expected));

    it("Aurora bills its capacity by use while it pauses, as fixed when awake all month; storage and I/O by use", () => {
        const basis = (activeHours: number) => auroraCostLines({ activeHours, averageAcu: 0.5, storageGb: 1, millionIos: 0 }).map((l) => l.basis);
        assert.deepStrictEqual(basis(88), ["usage", "usage", "usage", "fixed"]);
        assert.deepStrictEqual(basis(HOURS_PER_MONTH), ["fixed", "usage", "usage", "fixed"]);
    });

    it("RDS: the instance, its storage and the master password's secret are paid by the instance, all month", () => {
        const lines = rdsDatabaseCostLines({ instanceClass: "db.t4g.micro", storageGb: 20 });
        assert.ok(lines.every((line) => line.resourceType === "aws:rds/instance:Instance" && line.basis === "fixed"));
        assert.deepStrictEqual(
            lines.map((line) => line.item),
            ["RDS db.t4g.micro, Single-AZ", "RDS gp3 storage: 20 GB", "Secrets Manager: the master password"],
        );
    });

    it("Aurora that pauses costs less than the smallest RDS instance when awake under a fifth of the month at 0.5 ACU", () => {
        const rdsMicro = monthlyTotal(rdsDatabaseCostLines({ instanceClass: "db.t4g.micro", storageGb: 20 }));
        const aurora = monthlyTotal(auroraCostLines({ activeHours: 146, averageAcu: 0.5, storageGb: 20, millionIos: 1 }));
        assert.ok(aurora < rdsMicro, `${aurora} vs ${rdsMicro}`);
    });
});
