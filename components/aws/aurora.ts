/**
 * database.create on AWS, the alternative to RDS (components/aws/database.ts): Aurora Serverless v2 for PostgreSQL
 * with a minimum of 0 ACUs, so an idle database pauses and costs only its storage. Not yet wired to the stack config:
 * the program reads the master password through database.adminSecret, which lands with the rotation work.
 *
 * - Auto-pause: with minCapacity 0 an instance pauses after secondsUntilAutoPause (300 to 86,400) without user
 *   connections, and resumes on the next connection. Resuming takes about 15 seconds, and longer (30 seconds or more)
 *   after more than 24 hours paused, so the first request after a quiet spell waits for it
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html).
 *   PostgREST's LISTEN connection and idle pool connections would keep it awake: auroraPostgrestSettings turns them off.
 * - Private: the cluster's one writer instance is not publicly accessible, in the given private subnets, behind its own
 *   security group with no rule; whoever may connect adds an ingress rule referencing it, as for RdsDatabase.
 * - Encrypted storage; rds.force_ssl = 1 in the cluster parameter group
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL).
 * - manageMasterUserPassword: Aurora generates the password and keeps it in Secrets Manager, in no input and no state
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html).
 * - Automated backups; deletion protection and the final snapshot set by the caller, with defaults that suit dev.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AuroraDatabaseArgs {
    /** VPC the cluster lives in. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Private or isolated subnets, in at least two Availability Zones. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the database created in the cluster (database.name). @default none, required */
    databaseName: string;
    /** The master user's name; its password is generated and kept by Aurora in Secrets Manager. @default "postgres_admin" */
    masterUsername?: string;
    /** Aurora PostgreSQL version, major.minor; 0 ACUs needs one of AUTO_PAUSE_MINIMUM_VERSIONS or later. @default "16.6" */
    engineVersion?: string;
    /** Fewest ACUs an instance scales down to; 0 lets it pause. @default 0 */
    minCapacity?: number;
    /** Most ACUs an instance scales up to (1 ACU is about 2 GiB of memory). @default 2 */
    maxCapacity?: number;
    /** Seconds without user connections before an instance pauses (300 to 86,400), with minCapacity 0. @default 300 */
    secondsUntilAutoPause?: number;
    /** Days of automated backups (1 to 35). @default 7 */
    backupRetentionDays?: number;
    /** Refuse to delete the cluster until this is turned off. @default false (dev) */
    deletionProtection?: boolean;
    /** Take a final snapshot when the cluster is deleted. @default false (dev) */
    finalSnapshot?: boolean;
}

export const DEFAULT_AURORA_VERSION = "16.6";

export class AuroraDatabase extends pulumi.ComponentResource {
    /** The cluster's writer endpoint: database.host. */
    public readonly endpoint: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** The security group connecting clients must be admitted to (aws.databaseSecurityGroupId's role). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The Secrets Manager secret Aurora keeps the master user's {username, password} in: database.adminSecret. */
    public readonly masterUserSecretArn: pulumi.Output<string>;
    /** The connection budget at maxCapacity (auroraMaxConnections), for database.maxConnections. */
    public readonly maxConnections: number;
    /** What PostgREST must be told so that it lets the database pause (auroraPostgrestSettings). */
    public readonly postgrestSettings: AuroraPostgrestSettings;

    constructor(name: string, args: AuroraDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:AuroraDatabase", name, {}, opts);
        const scaling = {
            minCapacity: args.minCapacity ?? 0,
            maxCapacity: args.maxCapacity ?? 2,
            secondsUntilAutoPause: args.secondsUntilAutoPause ?? 300,
        };
        const engineVersion = args.engineVersion ?? DEFAULT_AURORA_VERSION;
        const problems = auroraScalingProblems(engineVersion, scaling);
        if (problems.length > 0) throw new Error(`Aurora Serverless v2: ${problems.join("; ")}`);
        const parent = { parent: this };
        const finalSnapshot = args.finalSnapshot ?? false;
        const pauses = scaling.minCapacity === 0;

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "PostgREST database: admits only the groups given rules to it", revokeRulesOnDelete: true },
            parent,
        );
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds, description: "PostgREST database" }, parent);
        const parameters = new aws.rds.ClusterParameterGroup(
            `${name}-parameters`,
            {
                family: `aurora-postgresql${engineVersion.split(".")[0]}`,
                description: "PostgREST database: TLS only",
                parameters: [{ name: "rds.force_ssl", value: "1" }],
            },
            parent,
        );
        const cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion,
                databaseName: args.databaseName,
                masterUsername: args.masterUsername ?? "postgres_admin",
                manageMasterUserPassword: true,
                storageEncrypted: true,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [group.id],
                dbClusterParameterGroupName: parameters.name,
                serverlessv2ScalingConfiguration: {
                    minCapacity: scaling.minCapacity,
                    maxCapacity: scaling.maxCapacity,
                    ...(pauses ? { secondsUntilAutoPause: scaling.secondsUntilAutoPause } : {}),
                },
                backupRetentionPeriod: args.backupRetentionDays ?? 7,
                copyTagsToSnapshot: true,
                deletionProtection: args.deletionProtection ?? false,
                skipFinalSnapshot: !finalSnapshot,
                ...(finalSnapshot ? { finalSnapshotIdentifier: `${name}-final` } : {}),
            },
            parent,
        );
        new aws.rds.ClusterInstance(
            `${name}-writer`,
            {
                clusterIdentifier: cluster.id,
                instanceClass: "db.serverless",
                engine: "aurora-postgresql",
                engineVersion: cluster.engineVersion,
                dbSubnetGroupName: subnets.name,
                publiclyAccessible: false,
                autoMinorVersionUpgrade: true,
            },
            parent,
        );

        this.endpoint = cluster.endpoint;
        this.port = cluster.port;
        this.securityGroupId = group.id;
        this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
        this.maxConnections = auroraMaxConnections(scaling.minCapacity, scaling.maxCapacity);
        this.postgrestSettings = auroraPostgrestSettings(scaling.minCapacity);
        this.registerOutputs({
            endpoint: this.endpoint,
            port: this.port,
            securityGroupId: this.securityGroupId,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }
}

/**
 * The first Aurora PostgreSQL minor of each major that scales to 0 ACUs; every 17.x does
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity).
 */
export const AUTO_PAUSE_MINIMUM_VERSIONS: Record<number, number> = { 13: 15, 14: 12, 15: 7, 16: 3, 17: 0 };

export interface AuroraScaling {
    minCapacity: number;
    maxCapacity: number;
    secondsUntilAutoPause: number;
}

/**
 * What Aurora would refuse in the scaling configuration: capacities in half-ACU steps from 0 to 256, minimum not above
 * maximum, secondsUntilAutoPause 300 to 86,400, and 0 ACUs only on a version that supports auto-pause
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html).
 */
export function auroraScalingProblems(engineVersion: string, scaling: AuroraScaling): string[] {
    const problems: string[] = [];
    const version = /^(\d+)\.(\d+)$/.exec(engineVersion);
    if (!version) problems.push(`engineVersion "${engineVersion}" is not an Aurora PostgreSQL version such as ${DEFAULT_AURORA_VERSION}`);
    for (const [field, value] of [
        ["minCapacity", scaling.minCapacity],
        ["maxCapacity", scaling.maxCapacity],
    ] as const) {
        if (!(value >= 0 && value <= 256 && Number.isInteger(value * 2))) problems.push(`${field} ${value} must be 0 to 256 ACUs in steps of 0.5`);
    }
    if (scaling.minCapacity > scaling.maxCapacity) problems.push(`minCapacity ${scaling.minCapacity} is above maxCapacity ${scaling.maxCapacity}`);
    if (scaling.maxCapacity < 1) problems.push(`maxCapacity ${scaling.maxCapacity} must be at least 1 ACU`);
    if (scaling.minCapacity === 0) {
        if (!(Number.isInteger(scaling.secondsUntilAutoPause) && scaling.secondsUntilAutoPause >= 300 && scaling.secondsUntilAutoPause <= 86_400))
            problems.push(`secondsUntilAutoPause ${scaling.secondsUntilAutoPause} must be a whole number from 300 to 86400`);
        if (version) {
            const [major, minor] = [Number(version[1]), Number(version[2])];
            const fromMinor = AUTO_PAUSE_MINIMUM_VERSIONS[major];
            if (fromMinor === undefined || minor < fromMinor) {
                const supported = Object.entries(AUTO_PAUSE_MINIMUM_VERSIONS)
                    .map(([m, n]) => `${m}.${n}`)
                    .join(", ");
                problems.push(
                    `engineVersion ${engineVersion} cannot scale to 0 ACUs: use ${supported} or later in the same major, or minCapacity 0.5`,
                );
            }
        }
    }
    return problems;
}

/**
 * The connections the API may plan on: Aurora PostgreSQL's default max_connections, LEAST({DBInstanceClassMemory/9531392}, 5000),
 * taken at maxCapacity (2 GiB per ACU), and at most 2,000 when the minimum is 0 or 0.5 ACUs
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html). As for RDS, 85% of
 * the nominal memory stays under what the instance reports, and 3 connections stay free for the admin connection.
 */
export function auroraMaxConnections(minCapacity: number, maxCapacity: number): number {
    const ceiling = minCapacity <= 0.5 ? 2000 : 5000;
    return Math.min(Math.floor((0.85 * maxCapacity * 2 * 1024 ** 3) / 9531392), ceiling) - 3;
}

export interface AuroraPostgrestSettings {
    /** service.dbChannelEnabled, when it must be off. */
    dbChannelEnabled?: false;
    /** service.settings PostgREST needs. */
    settings: Record<string, string>;
}

/** Seconds PostgREST keeps an idle pool connection (db-pool-max-idletime); far below the shortest pause delay, 300 s. */
export const PAUSABLE_POOL_IDLE_SECONDS = 30;
/** Seconds a request may wait for a pool connection (db-pool-acquisition-timeout): above the 30 s a long-paused instance may take to resume. */
export const PAUSABLE_ACQUISITION_SECONDS = 40;

/**
 * What PostgREST must be told for a cluster that pauses (minCapacity 0): no LISTEN connection, which is held open for
 * good (https://docs.postgrest.org/en/v12/references/listener.html), pool connections closed once idle, and a request
 * that arrives while the instance resumes left to wait rather than fail at the 10 s default
 * (https://docs.postgrest.org/en/v12/references/configuration.html#db-pool-acquisition-timeout). Without the channel
 * NOTIFY pgrst reaches no one: PostgREST reloads its schema cache on SIGUSR1, or when a new task starts. A cluster that
 * never pauses needs nothing.
 */
export function auroraPostgrestSettings(minCapacity: number): AuroraPostgrestSettings {
    if (minCapacity > 0) return { settings: {} };
    return {
        dbChannelEnabled: false,
        settings: {
            "db-pool-max-idletime": String(PAUSABLE_POOL_IDLE_SECONDS),
            "db-pool-acquisition-timeout": String(PAUSABLE_ACQUISITION_SECONDS),
        },
    };
}
