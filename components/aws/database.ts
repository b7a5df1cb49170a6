/**
 * A PostgreSQL database the program creates (issue 22, database.create on AWS): RDS for PostgreSQL, one instance,
 * private, encrypted, TLS-only, its master password managed by RDS in Secrets Manager. Not yet wired to the stack
 * config: the program reads the master password through database.adminSecret, which lands with the rotation work.
 *
 * - Not publicly accessible, in the given private subnets (a DB subnet group needs subnets in at least two
 *   Availability Zones: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html).
 * - Its own security group, with no rule: whoever may connect (the tasks, the in-network function) adds an ingress
 *   rule referencing it, as they do for aws.databaseSecurityGroupId, so nothing else is admitted.
 * - gp3 storage that grows by itself up to maxAllocatedStorageGb (storage autoscaling:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html), encrypted at rest.
 * - rds.force_ssl = 1 in its own parameter group: plain-text connections are refused
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html).
 * - manageMasterUserPassword: RDS generates the password and keeps it in Secrets Manager, so it is in no input
 *   and no state (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
 * - Automated backups; deletion protection and the final snapshot set by the caller, with defaults that suit dev.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_INSTANCE_CLASS, DEFAULT_POSTGRES_MAJOR, rdsMaxConnections } from "./config/database";

export interface RdsDatabaseArgs {
    /** VPC the database lives in. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Private or isolated subnets, in at least two Availability Zones. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the database created in the instance (database.name). @default none, required */
    databaseName: string;
    /** The port it listens on (database.port). @default 5432 */
    port?: number;
    /** The master user's name; its password is generated and kept by RDS in Secrets Manager. @default "postgres_admin" */
    masterUsername?: string;
    /** PostgreSQL major version: the engine version and the parameter group family. @default 17 */
    postgresMajor?: number;
    /** Instance class. @default "db.t4g.micro" */
    instanceClass?: string;
    /** Storage allocated at creation, in GB (gp3's minimum for RDS PostgreSQL is 20). @default 20 */
    allocatedStorageGb?: number;
    /** The ceiling storage autoscaling may grow to, in GB. @default 100 */
    maxAllocatedStorageGb?: number;
    /** Days of automated backups (1 to 35). @default 7 */
    backupRetentionDays?: number;
    /** Refuse to delete the instance until this is turned off. @default false (dev) */
    deletionProtection?: boolean;
    /** Take a final snapshot when the instance is deleted. @default false (dev) */
    finalSnapshot?: boolean;
}

export class RdsDatabase extends pulumi.ComponentResource {
    /** Host name PostgREST and the admin connect to. */
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** The security group connecting clients must be admitted to (aws.databaseSecurityGroupId's role). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The Secrets Manager secret RDS keeps the master user's {username, password} in. */
    public readonly masterUserSecretArn: pulumi.Output<string>;
    /** The connection budget the instance class allows (rdsMaxConnections), for database.maxConnections. */
    public readonly maxConnections: number;

    constructor(name: string, args: RdsDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:RdsDatabase", name, {}, opts);
        const parent = { parent: this };
        const major = args.postgresMajor ?? DEFAULT_POSTGRES_MAJOR;
        const instanceClass = args.instanceClass ?? DEFAULT_INSTANCE_CLASS;
        const finalSnapshot = args.finalSnapshot ?? false;

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "PostgREST database: admits only the groups given rules to it", revokeRulesOnDelete: true },
            parent,
        );
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds, description: "PostgREST database" }, parent);
        const parameters = new aws.rds.ParameterGroup(
            `${name}-parameters`,
            { family: `postgres${major}`, description: "PostgREST database: TLS only", parameters: [{ name: "rds.force_ssl", value: "1" }] },
            parent,
        );
        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                engine: "postgres",
                engineVersion: String(major),
                instanceClass,
                dbName: args.databaseName,
                port: args.port ?? 5432,
                username: args.masterUsername ?? "postgres_admin",
                manageMasterUserPassword: true,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorageGb ?? 20,
                maxAllocatedStorage: args.maxAllocatedStorageGb ?? 100,
                storageEncrypted: true,
                publiclyAccessible: false,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [group.id],
                parameterGroupName: parameters.name,
                backupRetentionPeriod: args.backupRetentionDays ?? 7,
                copyTagsToSnapshot: true,
                deletionProtection: args.deletionProtection ?? false,
                skipFinalSnapshot: !finalSnapshot,
                ...(finalSnapshot ? { finalSnapshotIdentifier: finalSnapshotIdentifier(name, this) } : {}),
                autoMinorVersionUpgrade: true,
            },
            // Pulumi's protect as well: `pulumi destroy` then refuses at its preview, naming the instance, rather than
            // deleting the service first and failing at the instance.
            { ...parent, protect: args.deletionProtection ?? false },
        );

        this.address = instance.address;
        this.port = instance.port;
        this.securityGroupId = group.id;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
        this.maxConnections = rdsMaxConnections(instanceClass);
        this.registerOutputs({
            address: this.address,
            port: this.port,
            securityGroupId: this.securityGroupId,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }
}

/**
 * A final snapshot's name, unique to this database: a fixed one would collide with the snapshot an earlier stack of
 * the same name left, and fail the delete (snapshot identifiers are unique per account and region:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html).
 */
export function finalSnapshotIdentifier(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const suffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent });
    return pulumi.interpolate`${name}-final-${suffix.hex}`;
}
