/**
 * database.create through parseConfig, as the program reads a stack: each cloud's defaults, the connection budget its
 * size gives, what Aurora at 0 ACUs changes in PostgREST's settings, and every key that cannot go with a created
 * database refused before any resource, naming the key and the fix.
 */
import * as assert from "assert";
import { configProblems, parseStackConfig } from "../../testing/harness";
import { AWS_EXISTING_NETWORK, awsCreatedDatabaseConfig, gcpCreatedDatabaseConfig } from "../../testing/stack-configs";

type Config = Record<string, unknown>;
const SECRET_KEYS = ["databaseAdminUrl", "jwtSecret", "databaseClientKey"];

/** `config` with `database` merged into its database block. */
function withDatabase(config: Config, database: Config): Config {
    return { ...config, database: { ...(config.database as Config), ...database } };
}

describe("database.create: defaults", () => {
    it("AWS: an RDS db.t4g.micro on PostgreSQL 17, 20 GB growing to 100, a week of backups, administered in-network", () => {
        const { database } = parseStackConfig(awsCreatedDatabaseConfig());
        assert.deepStrictEqual(database.create, {
            engine: "rds",
            instanceClass: "db.t4g.micro",
            postgresMajor: 17,
            storageGb: 20,
            maxStorageGb: 100,
            backupRetentionDays: 7,
            deletionProtection: false,
            finalSnapshot: false,
            // 1 GiB: floor(0.85 × 1073741824 / 9531392) = 95, less 3 for the admin.
            maxConnections: 92,
        });
        assert.deepStrictEqual(
            [database.host, database.adminAccess, database.sslMode, database.maxConnections],
            [undefined, "in-network", "require", 92],
        );
    });

    it("AWS aurora-serverless: version 16.6, 0 to 2 ACUs, pausing after 300 s", () => {
        const { database } = parseStackConfig(awsCreatedDatabaseConfig({ engine: "aurora-serverless" }));
        assert.deepStrictEqual(database.create, {
            engine: "aurora-serverless",
            engineVersion: "16.6",
            minCapacity: 0,
            maxCapacity: 2,
            secondsUntilAutoPause: 300,
            backupRetentionDays: 7,
            deletionProtection: false,
            finalSnapshot: false,
            // 2 ACUs = 4 GiB: floor(0.85 × 4 GiB / 9531392) = 383, less 3.
            maxConnections: 380,
        });
        assert.strictEqual(database.adminAccess, "in-network");
    });

    it("GCP: a Cloud SQL db-g1-small on PostgreSQL 17, 10 GB growing to 100, a week of backups, administered in-network", () => {
        const { database } = parseStackConfig(gcpCreatedDatabaseConfig());
        assert.deepStrictEqual(database.create, {
            engine: "cloud-sql",
            tier: "db-g1-small",
            postgresMajor: 17,
            storageGb: 10,
            maxStorageGb: 100,
            backupRetentionDays: 7,
            deletionProtection: false,
            finalSnapshot: false,
            // 1.7 GiB: 50 by Cloud SQL's table, less the 3 superuser-reserved.
            maxConnections: 47,
        });
        assert.deepStrictEqual([database.host, database.adminAccess, database.port], [undefined, "in-network", 5432]);
    });

    for (const [cloud, config] of [
        ["AWS", awsCreatedDatabaseConfig],
        ["GCP", gcpCreatedDatabaseConfig],
    ] as const) {
        it(`${cloud}: deletion protection and the final snapshot follow the stack's deletionProtection, unless create says otherwise`, () => {
            const protectedStack = parseStackConfig({ ...config(), deletionProtection: true }).database.create!;
            assert.deepStrictEqual([protectedStack.deletionProtection, protectedStack.finalSnapshot], [true, true]);
            const overridden = parseStackConfig({ ...config({ deletionProtection: false, finalSnapshot: false }), deletionProtection: true }).database
                .create!;
            assert.deepStrictEqual([overridden.deletionProtection, overridden.finalSnapshot], [false, false]);
            const devStack = parseStackConfig(config({ deletionProtection: true })).database.create!;
            assert.deepStrictEqual([devStack.deletionProtection, devStack.finalSnapshot], [true, false]);
        });

        it(`${cloud}: direct admin access may be chosen instead of in-network`, () => {
            assert.strictEqual(parseStackConfig(withDatabase(config(), { adminAccess: "direct" })).database.adminAccess, "direct");
        });
    }
});

describe("database.create: the connection budget its size gives", () => {
    const sizes: { name: string; config: Config; maxConnections: number }[] = [
        // RDS: LEAST(DBInstanceClassMemory / 9531392, 5000) at 85% of the class's memory, less 3.
        { name: "RDS db.t4g.small (2 GiB)", config: awsCreatedDatabaseConfig({ instanceClass: "db.t4g.small" }), maxConnections: 191 - 3 },
        { name: "RDS db.t4g.medium (4 GiB)", config: awsCreatedDatabaseConfig({ instanceClass: "db.t4g.medium" }), maxConnections: 383 - 3 },
        { name: "RDS db.r7g.large (16 GiB)", config: awsCreatedDatabaseConfig({ instanceClass: "db.r7g.large" }), maxConnections: 1532 - 3 },
        // Aurora: the same formula at maxCapacity × 2 GiB, capped at 2,000 when the minimum is 0 or 0.5 ACUs.
        {
            name: "Aurora 0 to 16 ACUs (capped at 2,000)",
            config: awsCreatedDatabaseConfig({ engine: "aurora-serverless", maxCapacity: 16 }),
            maxConnections: 2000 - 3,
        },
        {
            name: "Aurora 1 to 16 ACUs (32 GiB)",
            config: awsCreatedDatabaseConfig({ engine: "aurora-serverless", minCapacity: 1, maxCapacity: 16 }),
            maxConnections: 3064 - 3,
        },
        // Cloud SQL: the default max_connections of the tier's memory, less the 3 superuser-reserved.
        { name: "Cloud SQL db-f1-micro (0.6 GiB)", config: gcpCreatedDatabaseConfig({ tier: "db-f1-micro" }), maxConnections: 25 - 3 },
        { name: "Cloud SQL db-custom-1-3840 (3.75 GiB)", config: gcpCreatedDatabaseConfig({ tier: "db-custom-1-3840" }), maxConnections: 100 - 3 },
        { name: "Cloud SQL db-custom-2-7680 (7.5 GiB)", config: gcpCreatedDatabaseConfig({ tier: "db-custom-2-7680" }), maxConnections: 400 - 3 },
    ];
    for (const size of sizes)
        it(`${size.name}: database.maxConnections ${size.maxConnections}`, () => {
            const { database } = parseStackConfig(size.config);
            assert.deepStrictEqual([database.create!.maxConnections, database.maxConnections], [size.maxConnections, size.maxConnections]);
        });

    it("keeps a smaller database.maxConnections the user sets", () => {
        assert.strictEqual(parseStackConfig(withDatabase(awsCreatedDatabaseConfig(), { maxConnections: 50 })).database.maxConnections, 50);
    });

    // A service at the edge of the created size's budget passes; one instance more fails, naming service.dbPool.
    const budgets: { name: string; config: (maxInstances: number) => Config; fits: number; says: RegExp }[] = [
        {
            // ECS may run 200% of maxInstances during a deployment: 2 × 4 tasks × (10 + 1 LISTEN) = 88 ≤ 92; 2 × 5 × 11 = 110.
            name: "RDS db.t4g.micro (92)",
            config: (maxInstances) => ({ ...awsCreatedDatabaseConfig(), service: { maxInstances } }),
            fits: 4,
            says: /up to 10 instances at once × 11 connections \(dbPool 10 \+ 1 LISTEN\) = 110, more than database\.maxConnections \(92\)/,
        },
        {
            // No LISTEN at 0 ACUs: 2 × 19 × 10 = 380 ≤ 380; 2 × 20 × 10 = 400.
            name: "Aurora 0 to 2 ACUs (380), without LISTEN",
            config: (maxInstances) => ({ ...awsCreatedDatabaseConfig({ engine: "aurora-serverless" }), service: { maxInstances } }),
            fits: 19,
            says: /up to 40 instances at once × 10 connections \(dbPool 10\) = 400, more than database\.maxConnections \(380\)/,
        },
        {
            // Cloud Run runs at most maxInstances: 2 × 11 = 22 ≤ 22; 3 × 11 = 33.
            name: "Cloud SQL db-f1-micro (22)",
            config: (maxInstances) => ({ ...gcpCreatedDatabaseConfig({ tier: "db-f1-micro" }), service: { maxInstances } }),
            fits: 2,
            says: /up to 3 instances at once × 11 connections \(dbPool 10 \+ 1 LISTEN\) = 33, more than database\.maxConnections \(22\)/,
        },
    ];
    for (const budget of budgets)
        it(`${budget.name}: ${budget.fits} instances fit, ${budget.fits + 1} are refused naming service.dbPool`, () => {
            parseStackConfig(budget.config(budget.fits));
            const problems = configProblems(budget.config(budget.fits + 1));
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith("postgrest:service.dbPool: the connection budget is exceeded"), problems[0]);
            assert.match(problems[0], budget.says);
            assert.match(problems[0], /Example: (dbPool|maxInstances): \d/);
        });
});

describe("database.create: Aurora at 0 ACUs lets the database pause", () => {
    const settingsOf = (config: Config) => parseStackConfig(config).service;

    it("turns PostgREST's LISTEN off and closes idle pool connections", () => {
        const service = settingsOf(awsCreatedDatabaseConfig({ engine: "aurora-serverless" }));
        assert.strictEqual(service.dbChannelEnabled, false);
        assert.deepStrictEqual(service.settings, { "db-pool-max-idletime": "30", "db-pool-acquisition-timeout": "40" });
    });

    it("keeps the settings the user chose", () => {
        const service = settingsOf({
            ...awsCreatedDatabaseConfig({ engine: "aurora-serverless" }),
            service: { maxInstances: 2, settings: { "db-pool-max-idletime": 10 } },
        });
        assert.deepStrictEqual(service.settings, { "db-pool-max-idletime": "10", "db-pool-acquisition-timeout": "40" });
    });

    it("changes nothing when the cluster never pauses (minCapacity above 0), nor for RDS", () => {
        for (const create of [{ engine: "aurora-serverless", minCapacity: 0.5 }, { engine: "rds" }]) {
            const service = settingsOf(awsCreatedDatabaseConfig(create));
            assert.deepStrictEqual([service.dbChannelEnabled, service.settings], [true, {}], JSON.stringify(create));
        }
    });
});

describe("database.create: what AWS accepts", () => {
    // AWS's own example: 1000 GiB allocated, a threshold of 1100 GiB or more (USER_PIOPS.Autoscaling).
    for (const [storageGb, maxStorageGb] of [
        [20, 22],
        [100, 110],
        [1000, 1100],
    ])
        it(`storage autoscaling from ${storageGb} GB to exactly 10% more, ${maxStorageGb} GB`, () => {
            const create = parseStackConfig(awsCreatedDatabaseConfig({ storageGb, maxStorageGb })).database.create!;
            if (create.engine !== "rds") assert.fail(`engine ${create.engine}`);
            assert.deepStrictEqual([create.storageGb, create.maxStorageGb], [storageGb, maxStorageGb]);
        });

    it("a VPC the stack creates, or the user's existing VPC without the database's security group", () => {
        for (const aws of [{}, { network: { nat: "gateway" } }, { network: AWS_EXISTING_NETWORK }])
            assert.ok(parseStackConfig(awsCreatedDatabaseConfig({}, aws)).database.create, JSON.stringify(aws));
    });
});

const refused: { name: string; config: Config; key: string; says: RegExp; example: RegExp }[] = [
    {
        name: "database.host beside create",
        config: withDatabase(awsCreatedDatabaseConfig(), { host: "db.example.com" }),
        key: "database.host",
        says: /is the created database's own address with database\.create: remove database\.host/,
        example: /pulumi config rm --path postgrest:database\.host/,
    },
    {
        name: "database.adminSecret beside create",
        config: withDatabase(awsCreatedDatabaseConfig(), { adminSecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" }),
        key: "database.adminSecret",
        says: /is the created database's own admin secret with database\.create: remove database\.adminSecret/,
        example: /pulumi config rm --path postgrest:database\.adminSecret/,
    },
    {
        name: "sslMode disable (the created server refuses plain text)",
        config: withDatabase(gcpCreatedDatabaseConfig(), { sslMode: "disable" }),
        key: "database.sslMode",
        says: /is disable, but the created database refuses connections without TLS: use require/,
        example: /sslMode: require/,
    },
    {
        name: "a client certificate (the created server authenticates by password)",
        config: withDatabase(awsCreatedDatabaseConfig(), { sslCert: "-----BEGIN CERTIFICATE-----" }),
        key: "database.sslCert",
        says: /is not used by the created database, which authenticates by password: remove database\.sslCert/,
        example: /pulumi config rm --path postgrest:database\.sslCert/,
    },
    {
        name: "databaseAdminUrl beside create",
        config: { ...gcpCreatedDatabaseConfig(), databaseAdminUrl: "postgresql://admin:created-db-pw-7d1e@10.0.0.5:5432/startup" },
        key: "databaseAdminUrl",
        says: /is not used with postgrest:database\.create: the created database's admin password is generated/,
        example: /pulumi config rm postgrest:databaseAdminUrl/,
    },
    {
        name: "database.maxConnections above what the created size allows",
        config: withDatabase(awsCreatedDatabaseConfig(), { maxConnections: 93 }),
        key: "database.maxConnections",
        says: /is 93, more than the created database allows at its size \(92\): lower it, or leave it out/,
        example: /maxConnections: 92/,
    },
    {
        name: "service.dbChannelEnabled true with Aurora at 0 ACUs",
        config: { ...awsCreatedDatabaseConfig({ engine: "aurora-serverless" }), service: { maxInstances: 2, dbChannelEnabled: true } },
        key: "service.dbChannelEnabled",
        says: /is true, but its LISTEN connection keeps the Aurora database \(minCapacity 0\) from ever pausing: remove it, or set minCapacity above 0/,
        example: /dbChannelEnabled: false/,
    },
    {
        name: "aws.databaseSecurityGroupId beside create",
        config: awsCreatedDatabaseConfig({}, { network: AWS_EXISTING_NETWORK, databaseSecurityGroupId: "sg-0123456789abcdef0" }),
        key: "aws.databaseSecurityGroupId",
        says: /is the created database's own group with database\.create.*: remove it/,
        example: /pulumi config rm --path postgrest:aws\.databaseSecurityGroupId/,
    },
    {
        name: "one task subnet in an existing VPC (the database's subnet group needs two zones)",
        config: awsCreatedDatabaseConfig({}, { network: { ...AWS_EXISTING_NETWORK, taskSubnetIds: ["subnet-0ccc3333"] } }),
        key: "aws.network.taskSubnetIds",
        says: /must name subnets in at least two Availability Zones with database\.create/,
        example: /taskSubnetIds: \[subnet-\w+, subnet-\w+\]/,
    },
    {
        name: "gcp.cloudSqlInstance beside create",
        config: gcpCreatedDatabaseConfig({}, { cloudSqlInstance: "my-project:us-central1:other" }),
        key: "gcp.cloudSqlInstance",
        says: /names another instance, but database\.create makes its own.*remove gcp\.cloudSqlInstance/,
        example: /pulumi config rm --path postgrest:gcp\.cloudSqlInstance/,
    },
    {
        name: "gcp.network mode existing without the network",
        config: gcpCreatedDatabaseConfig({}, { network: { mode: "existing", subnetwork: "db-subnet" } }),
        key: "gcp.network.network",
        says: /is required with database\.create: the Cloud SQL instance takes its private IP in this network/,
        example: /network: \{ mode: existing, network: my-vpc, subnetwork: my-subnet \}/,
    },
    {
        name: "a port other than 5432 on GCP",
        config: withDatabase(gcpCreatedDatabaseConfig(), { port: 6432 }),
        key: "database.port",
        says: /is 6432, but Cloud SQL listens on 5432: remove database\.port/,
        example: /port: 5432/,
    },
    {
        name: "engine aurora-serverless on GCP",
        config: gcpCreatedDatabaseConfig({ engine: "aurora-serverless" }),
        key: "database.create.engine",
        says: /"aurora-serverless" is not one of cloud-sql/,
        example: /engine: cloud-sql/,
    },
    {
        name: "engine cloud-sql on AWS",
        config: awsCreatedDatabaseConfig({ engine: "cloud-sql" }),
        key: "database.create.engine",
        says: /"cloud-sql" is not one of rds, aurora-serverless/,
        example: /engine: rds/,
    },
    {
        name: "a misspelt RDS key",
        config: awsCreatedDatabaseConfig({ instanceClas: "db.t4g.small" }),
        key: "database.create.instanceClas",
        says: /unknown key, did you mean "instanceClass"\?/,
        example: /postgrest:database\.create\.instanceClass/,
    },
    {
        name: "an Aurora key on RDS",
        config: awsCreatedDatabaseConfig({ engine: "rds", minCapacity: 0 }),
        key: "database.create.minCapacity",
        says: /unknown key/,
        example: /postgrest:database\.create\./,
    },
    {
        name: "a misspelt Aurora key",
        config: awsCreatedDatabaseConfig({ engine: "aurora-serverless", minCapcity: 0 }),
        key: "database.create.minCapcity",
        says: /unknown key, did you mean "minCapacity"\?/,
        example: /postgrest:database\.create\.minCapacity/,
    },
    {
        name: "an RDS key on Aurora",
        config: awsCreatedDatabaseConfig({ engine: "aurora-serverless", instanceClass: "db.t4g.micro" }),
        key: "database.create.instanceClass",
        says: /unknown key/,
        example: /postgrest:database\.create\./,
    },
    {
        name: "a misspelt Cloud SQL key",
        config: gcpCreatedDatabaseConfig({ tierr: "db-f1-micro" }),
        key: "database.create.tierr",
        says: /unknown key, did you mean "tier"\?/,
        example: /postgrest:database\.create\.tier/,
    },
    {
        name: "an RDS key on Cloud SQL",
        config: gcpCreatedDatabaseConfig({ instanceClass: "db.t4g.micro" }),
        key: "database.create.instanceClass",
        says: /unknown key/,
        example: /postgrest:database\.create\./,
    },
    {
        name: "an RDS instance class without a known memory",
        config: awsCreatedDatabaseConfig({ instanceClass: "db.x9.huge" }),
        key: "database.create.instanceClass",
        says: /"db\.x9\.huge" is not one of db\.t4g\.micro, /,
        example: /instanceClass: db\.t4g\.micro/,
    },
    {
        name: "RDS storage autoscaling without room to grow",
        config: awsCreatedDatabaseConfig({ storageGb: 100, maxStorageGb: 109 }),
        key: "database.create.maxStorageGb",
        says: /109 must be at least 10% above storageGb \(100\)/,
        example: /maxStorageGb: 110/,
    },
    {
        name: "Aurora at 0 ACUs on a version that cannot pause",
        config: awsCreatedDatabaseConfig({ engine: "aurora-serverless", engineVersion: "16.2" }),
        key: "database.create",
        says: /engineVersion 16\.2 cannot scale to 0 ACUs/,
        example: /engine: aurora-serverless, minCapacity: 0/,
    },
    {
        name: "a Cloud SQL tier that does not exist",
        config: gcpCreatedDatabaseConfig({ tier: "db-n1-standard-1" }),
        key: "database.create.tier",
        says: /"db-n1-standard-1" is not a PostgreSQL tier/,
        example: /tier: db-g1-small/,
    },
];

describe("database.create: refusals, each naming its key and the fix", () => {
    for (const c of refused)
        it(`refuses ${c.name}, naming ${c.key}`, () => {
            const problems = configProblems(c.config, SECRET_KEYS);
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`postgrest:${c.key}: `), problems[0]);
            assert.match(problems[0], c.says);
            const example = problems[0].split("Example: ")[1];
            assert.ok(example, `no example in: ${problems[0]}`);
            assert.match(example, c.example);
            assert.ok(!problems[0].includes("created-db-pw-7d1e"), "the admin URL's password is never quoted");
        });

    it("refuses gcp.network mode none (the default) once, naming gcp.network: the instance has only a private IP, and the admin function runs in that network", () => {
        for (const config of [
            gcpCreatedDatabaseConfig({}, { network: { mode: "none" } }),
            { ...gcpCreatedDatabaseConfig(), gcp: { region: "us-central1" } },
        ]) {
            const problems = configProblems(config);
            assert.deepStrictEqual(
                problems.map((p) => p.split(": ")[0]),
                ["postgrest:gcp.network"],
                problems.join("\n"),
            );
            assert.match(
                problems[0],
                /is none, but the created Cloud SQL instance has only a private IP, in a network.*Example: network: \{ mode: create \}/,
            );
        }
    });

    it("names a created database's misplaced keys together with the database block's own problems, not after them", () => {
        const base = gcpCreatedDatabaseConfig({}, { cloudSqlInstance: "my-project-id:us-central1:other" });
        const config = { ...base, database: { ...(base.database as Record<string, unknown>), port: 6543, sslMode: "sometimes" } };
        const keys = configProblems(config).map((p) => p.split(": ")[0]);
        for (const key of ["postgrest:database.sslMode", "postgrest:database.port", "postgrest:gcp.cloudSqlInstance"])
            assert.ok(keys.includes(key), keys.join("\n"));
    });

    it("lists the created database's problems and the database block's at once", () => {
        const problems = configProblems(
            withDatabase(gcpCreatedDatabaseConfig({ tier: "db-n1-standard-1", storageGb: 5 }), { host: "db.example.com", sslMode: "disable" }),
        );
        assert.deepStrictEqual(
            problems.map((p) => p.split(": ")[0]).sort(),
            ["postgrest:database.create.storageGb", "postgrest:database.create.tier", "postgrest:database.host", "postgrest:database.sslMode"],
            problems.join("\n"),
        );
    });
});
