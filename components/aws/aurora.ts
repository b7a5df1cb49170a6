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
import {
    AuroraPostgrestSettings,
    DEFAULT_AURORA_VERSION,
    auroraMaxConnections,
    auroraPostgrestSettings,
    auroraScalingProblems,
} from "./config/aurora";
import { finalSnapshotIdentifier } from "./database";

export interface AuroraDatabaseArgs {
    /** VPC the cluster lives in. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Private or isolated subnets, in at least two Availability Zones. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the database created in the cluster (database.name). @default none, required */
    databaseName: string;
    /** The port it listens on (database.port). @default 5432 */
    port?: number;
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
                port: args.port ?? 5432,
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
                ...(finalSnapshot ? { finalSnapshotIdentifier: finalSnapshotIdentifier(name, this) } : {}),
            },
            // Pulumi's protect as well, as for RdsDatabase: `pulumi destroy` refuses at its preview.
            { ...parent, protect: args.deletionProtection ?? false },
        );
        const writer = new aws.rds.ClusterInstance(
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

        // Known once the writer exists: whoever connects to the endpoint (the roles and grants) waits for an instance to answer.
        this.endpoint = pulumi.all([cluster.endpoint, writer.id]).apply(([endpoint]) => endpoint);
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
