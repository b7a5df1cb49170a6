/**
 * A PostgreSQL database the program creates (issue 22, database.create on GCP): Cloud SQL for PostgreSQL, one zonal
 * instance, private, TLS-only, its admin credentials in Secret Manager. Not yet wired to the stack config: the program
 * reads the admin credentials through database.adminSecret, which lands with the rotation work.
 *
 * - A private IP through Private Service Access on the given network: an allocated range (a global address with purpose
 *   VPC_PEERING) peered with servicenetworking.googleapis.com, and no public IP
 *   (https://cloud.google.com/sql/docs/postgres/configure-private-services-access).
 * - settings.ipConfiguration.sslMode ENCRYPTED_ONLY: plain-text connections are refused, without asking clients for a
 *   certificate (https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/instances#ipconfiguration).
 * - Data at rest is encrypted by Cloud SQL itself, always (https://cloud.google.com/sql/docs/postgres/data-protection).
 * - The admin user's password is a random.RandomPassword, given to Cloud SQL and stored in Secret Manager as JSON
 *   {username, password}, the shape RDS keeps a managed master password in, so database.adminSecret reads both alike.
 * - Automated backups with point-in-time recovery; deletion protection and a final backup set by the caller, with
 *   defaults that suit dev.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_TIER, cloudSqlMaxConnections, cloudSqlTierProblem } from "./config/cloud-sql";

export interface CloudSqlDatabaseArgs {
    /** The VPC network (id or self link) the instance gets its private IP in: gcp.network's, created or existing. @default none, required */
    network: pulumi.Input<string>;
    /** Region of the instance: the service's. @default none, required */
    region: string;
    /** Name of the database created in the instance (database.name). @default none, required */
    databaseName: string;
    /** The admin user's name; its password is generated and kept in Secret Manager. @default "postgres_admin" */
    adminUsername?: string;
    /** PostgreSQL major version (POSTGRES_<major>). @default 17 */
    postgresMajor?: number;
    /** Machine type: db-f1-micro, db-g1-small or db-custom-<vCPUs>-<MiB> (config/cloud-sql.ts). @default "db-g1-small" */
    tier?: string;
    /** SSD storage at creation, in GB (Cloud SQL's minimum is 10). @default 10 */
    diskSizeGb?: number;
    /** The ceiling automatic storage increases may grow to, in GB. @default 100 */
    diskAutoresizeLimitGb?: number;
    /** Automated backups kept (1 to 365). @default 7 */
    retainedBackups?: number;
    /** Prefix length of the range allocated to Private Service Access (Cloud SQL needs at least a /24). @default 20 */
    privateRangePrefixLength?: number;
    /** Refuse to delete the instance, in Pulumi and in Cloud SQL, until this is turned off. @default false (dev) */
    deletionProtection?: boolean;
    /** Take a final backup when the instance is deleted, kept 30 days. @default false (dev) */
    finalBackup?: boolean;
    /** Turn on Cloud SQL IAM database authentication (the cloudsql.iam_authentication flag), for gcp.cloudSqlIamAuthentication. @default false */
    iamAuthentication?: boolean;
    /** Resources the instance waits for: the enabled APIs (sqladmin, servicenetworking). @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export const DEFAULT_POSTGRES_MAJOR = 17;

export class CloudSqlDatabase extends pulumi.ComponentResource {
    /** project:region:instance, for the Cloud SQL connectors and the Auth Proxy. */
    public readonly connectionName: pulumi.Output<string>;
    /** The instance's private IP in the network: database.host. */
    public readonly privateIp: pulumi.Output<string>;
    /** The Secret Manager secret (projects/P/secrets/S) holding the admin {username, password}: database.adminSecret. */
    public readonly adminSecretId: pulumi.Output<string>;
    /** The connection budget the tier allows (cloudSqlMaxConnections), for database.maxConnections. */
    public readonly maxConnections: number;

    constructor(name: string, args: CloudSqlDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:CloudSqlDatabase", name, {}, opts);
        const tier = args.tier ?? DEFAULT_TIER;
        const problem = cloudSqlTierProblem(tier);
        if (problem) throw new Error(`tier ${problem}`);
        const parent = { parent: this };
        const major = args.postgresMajor ?? DEFAULT_POSTGRES_MAJOR;
        const adminUsername = args.adminUsername ?? "postgres_admin";
        const deletionProtection = args.deletionProtection ?? false;
        const retainedBackups = args.retainedBackups ?? 7;

        const range = new gcp.compute.GlobalAddress(
            `${name}-private-range`,
            {
                network: args.network,
                purpose: "VPC_PEERING",
                addressType: "INTERNAL",
                prefixLength: args.privateRangePrefixLength ?? 20,
                description: "Private Service Access range for the PostgREST database",
            },
            { ...parent, dependsOn: args.dependsOn },
        );
        const peering = new gcp.servicenetworking.Connection(
            `${name}-private-access`,
            { network: args.network, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name] },
            { ...parent, dependsOn: args.dependsOn },
        );
        const instance = new gcp.sql.DatabaseInstance(
            `${name}-instance`,
            {
                region: args.region,
                databaseVersion: `POSTGRES_${major}`,
                deletionProtection,
                settings: {
                    tier,
                    // PostgreSQL 16 and later default to Enterprise Plus, which refuses shared-core and custom tiers
                    // (https://cloud.google.com/sql/docs/postgres/editions-intro).
                    edition: "ENTERPRISE",
                    availabilityType: "ZONAL",
                    diskType: "PD_SSD",
                    diskSize: args.diskSizeGb ?? 10,
                    diskAutoresize: true,
                    diskAutoresizeLimit: args.diskAutoresizeLimitGb ?? 100,
                    ipConfiguration: {
                        ipv4Enabled: false,
                        privateNetwork: args.network,
                        allocatedIpRange: range.name,
                        sslMode: "ENCRYPTED_ONLY",
                    },
                    backupConfiguration: {
                        enabled: true,
                        pointInTimeRecoveryEnabled: true,
                        transactionLogRetentionDays: Math.min(7, retainedBackups),
                        backupRetentionSettings: { retainedBackups, retentionUnit: "COUNT" },
                    },
                    deletionProtectionEnabled: deletionProtection,
                    // IAM database users log in only with this flag on (https://cloud.google.com/sql/docs/postgres/create-edit-iam-instances).
                    ...(args.iamAuthentication ? { databaseFlags: [{ name: "cloudsql.iam_authentication", value: "on" }] } : {}),
                    ...(args.finalBackup ? { finalBackupConfig: { enabled: true, retentionDays: 30 } } : {}),
                },
            },
            // Pulumi's protect as well: `pulumi destroy` refuses at its preview, naming the instance, rather than failing half-way.
            { ...parent, dependsOn: [peering], protect: deletionProtection },
        );
        const database = new gcp.sql.Database(`${name}-database`, { instance: instance.name, name: args.databaseName }, parent);

        const password = new random.RandomPassword(`${name}-admin-password`, { length: 40, special: false }, parent);
        const admin = new gcp.sql.User(
            `${name}-admin`,
            { instance: instance.name, name: adminUsername, password: pulumi.secret(password.result) },
            parent,
        );
        const secret = new gcp.secretmanager.Secret(`${name}-admin`, { replication: { auto: {} } }, parent);
        const version = new gcp.secretmanager.SecretVersion(
            `${name}-admin`,
            {
                secret: secret.id,
                secretData: pulumi.secret(password.result.apply((value) => JSON.stringify({ username: adminUsername, password: value }))),
            },
            parent,
        );

        this.connectionName = instance.connectionName;
        // Known once the database and its admin exist, and the secret holds a version: whoever connects waits for all three.
        this.privateIp = pulumi.all([instance.privateIpAddress, database.id, admin.id]).apply(([ip]) => ip);
        this.adminSecretId = pulumi.all([secret.id, version.id]).apply(([id]) => id);
        this.maxConnections = cloudSqlMaxConnections(tier);
        this.registerOutputs({ connectionName: this.connectionName, privateIp: this.privateIp, adminSecretId: this.adminSecretId });
    }
}
