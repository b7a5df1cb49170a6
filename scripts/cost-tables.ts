/** The cost tables docs/costs.md shows, printed by `npm run costs:aws` and `npm run costs:gcp` from the clouds' cost models. */
import {
    AURORA_AWAKE_MIN_ACU,
    CostAssumptions,
    DEFAULT_COST_ASSUMPTIONS,
    auroraCostLines,
    natCostLines,
    rdsDatabaseCostLines,
    sharedCostLines,
} from "../components/aws/costs";
import { NAT_OPTIONS } from "../components/aws/config/network";
import { DEFAULT_INSTANCE_CLASS } from "../components/aws/config/database";
import { CostLine, HOURS_PER_MONTH, IDLE, monthlyTotal, usd } from "../components/costs";
import { DEFAULT_MONITORING, GcpCostAssumptions, SECRET_VERSION_MONTH, cloudSqlCostLines, monthlyCostLines } from "../components/gcp/costs";
import { DEFAULT_TIER } from "../components/gcp/config/cloud-sql";

/** docs/costs.md's AWS table: one row per NAT option, with its distinct lines and the total. */
export function awsCostTable(assumptions: Omit<CostAssumptions, "nat"> = DEFAULT_COST_ASSUMPTIONS): string {
    const shared = sharedCostLines(assumptions);
    const rows = NAT_OPTIONS.map((nat) => {
        const own = natCostLines({ ...assumptions, nat });
        const total = monthlyTotal([...shared, ...own]);
        return `| \`${nat}\` | ${usd(monthlyTotal(shared))} | ${own.map((l) => `${l.item} ${usd(l.monthly)}`).join("; ")} | **${usd(total)}** |`;
    });
    return [
        `Shared by every option (${usd(monthlyTotal(shared))}): ${shared.map((l) => `${l.item} ${usd(l.monthly)}`).join("; ")}.`,
        "",
        "| `aws.network.nat` | shared | NAT and addresses | total / month |",
        "| --- | ---: | --- | ---: |",
        ...rows,
    ].join("\n");
}

/** Usage levels for docs/costs.md's GCP table, on the default size (1 vCPU, 512 MiB), with the default alerting. */
export const COST_SCENARIOS: { name: string; assumptions: Omit<GcpCostAssumptions, "loadBalancer"> }[] = [
    {
        name: "idle",
        assumptions: {
            requestsPerMonth: 0,
            averageRequestSeconds: 0.05,
            averageConcurrentRequests: 1,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 0,
            monitoring: DEFAULT_MONITORING,
        },
    },
    {
        name: "light: 1 M requests, 50 ms",
        assumptions: {
            requestsPerMonth: 1_000_000,
            averageRequestSeconds: 0.05,
            averageConcurrentRequests: 1,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 5,
            monitoring: DEFAULT_MONITORING,
        },
    },
    {
        name: "busy: 20 M requests, 100 ms, 4 at once",
        assumptions: {
            requestsPerMonth: 20_000_000,
            averageRequestSeconds: 0.1,
            averageConcurrentRequests: 4,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 100,
            monitoring: DEFAULT_MONITORING,
        },
    },
];

/** docs/costs.md's GCP table: each scenario without and with the load balancer. */
export function gcpCostTable(): string {
    const rows = COST_SCENARIOS.map(({ name, assumptions }) => {
        const plain = monthlyTotal(monthlyCostLines({ ...assumptions, loadBalancer: false }));
        const withLb = monthlyTotal(monthlyCostLines({ ...assumptions, loadBalancer: true }));
        return `| ${name} | ${usd(plain)} | ${usd(withLb)} |`;
    });
    return ["| usage / month | Cloud Run only | with load balancer |", "| --- | ---: | ---: |", ...rows].join("\n");
}

/** Hours an Aurora cluster that pauses is awake when used 4 hours on each of a month's 22 working days. */
export const WORKING_HOURS_AWAKE = 4 * 22;

/**
 * docs/costs.md's created-database rows: each `database.create` as the stack report prices it at the readers' defaults
 * (RDS 20 GB gp3, Cloud SQL 10 GB SSD), its secret included; `usage` is the report's (1 GB stored, the Aurora hours given).
 */
export const CREATED_DATABASE_ROWS: { cloud: "aws" | "gcp"; create: string; usage: string; lines: () => CostLine[] }[] = [
    {
        cloud: "aws",
        create: "{ engine: rds }",
        usage: `${DEFAULT_INSTANCE_CLASS}, 20 GB gp3, all month`,
        lines: () => rdsDatabaseCostLines({ instanceClass: DEFAULT_INSTANCE_CLASS, storageGb: 20 }),
    },
    {
        cloud: "aws",
        create: "{ engine: rds, instanceClass: db.t4g.small }",
        usage: "db.t4g.small, 20 GB gp3, all month",
        lines: () => rdsDatabaseCostLines({ instanceClass: "db.t4g.small", storageGb: 20 }),
    },
    {
        cloud: "aws",
        create: "{ engine: aurora-serverless }",
        usage: `idle: paused all month, ${IDLE.databaseGb} GB stored`,
        lines: () => auroraCostLines({ activeHours: 0, averageAcu: AURORA_AWAKE_MIN_ACU, storageGb: IDLE.databaseGb, millionIos: 0 }),
    },
    {
        cloud: "aws",
        create: "{ engine: aurora-serverless }",
        usage: `awake ${WORKING_HOURS_AWAKE} h (4 h × 22 working days) at ${AURORA_AWAKE_MIN_ACU} ACU, ${IDLE.databaseGb} GB`,
        lines: () =>
            auroraCostLines({ activeHours: WORKING_HOURS_AWAKE, averageAcu: AURORA_AWAKE_MIN_ACU, storageGb: IDLE.databaseGb, millionIos: 0 }),
    },
    {
        cloud: "aws",
        create: "{ engine: aurora-serverless, minCapacity: 0.5 }",
        usage: `never paused, at 0.5 ACU, ${IDLE.databaseGb} GB`,
        lines: () => auroraCostLines({ activeHours: HOURS_PER_MONTH, averageAcu: 0.5, storageGb: IDLE.databaseGb, millionIos: 0 }),
    },
    {
        cloud: "gcp",
        create: "{ engine: cloud-sql, tier: db-f1-micro }",
        usage: `db-f1-micro, 10 GB SSD, ${IDLE.databaseGb} GB of backups, all month`,
        lines: () => [
            ...cloudSqlCostLines({ tier: "db-f1-micro", diskSizeGb: 10, backupGb: IDLE.databaseGb }),
            { item: "Secret Manager: the admin credentials", monthly: SECRET_VERSION_MONTH },
        ],
    },
    {
        cloud: "gcp",
        create: "{ engine: cloud-sql }",
        usage: `${DEFAULT_TIER}, 10 GB SSD, ${IDLE.databaseGb} GB of backups, all month`,
        lines: () => [
            ...cloudSqlCostLines({ tier: DEFAULT_TIER, diskSizeGb: 10, backupGb: IDLE.databaseGb }),
            { item: "Secret Manager: the admin credentials", monthly: SECRET_VERSION_MONTH },
        ],
    },
];

/** docs/costs.md's created-database table: what each engine adds to a stack a month; `cloud` keeps that cloud's rows only. */
export function createdDatabaseCostTable(cloud?: "aws" | "gcp"): string {
    const rows = CREATED_DATABASE_ROWS.filter((row) => !cloud || row.cloud === cloud).map(({ cloud, create, usage, lines }) => {
        const priced = lines();
        return `| ${cloud} | \`${create}\` | ${usage} | ${priced.map((l) => `${l.item} ${usd(l.monthly)}`).join("; ")} | **${usd(monthlyTotal(priced))}** |`;
    });
    return ["| cloud | `database.create` | assumed | lines | total / month |", "| --- | --- | --- | --- | ---: |", ...rows].join("\n");
}
