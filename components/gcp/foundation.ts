/**
 * What a GCP stack makes before its roles and grants are applied: with database.create, the APIs Cloud SQL needs, the
 * network (created or the user's) and the Cloud SQL instance with a private IP in it. Without database.create nothing:
 * the service's own component keeps its network, where existing stacks have it.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { Foundation } from "../postgrest/target";
import { GoogleApis } from "./apis";
import { CloudSqlDatabase } from "./database";
import { Network } from "./network";

export interface GcpFoundation extends Foundation {
    /** With database.create: the network the database, the service's egress and the in-network function share. */
    network?: Network;
    /** With database.create: the instance's connection name (project:region:instance), for the Auth Proxy of IAM authentication. */
    cloudSqlInstance?: pulumi.Output<string>;
}

/** The component type that held the network before a created database needed it first; its URN is kept under an alias. */
export const SERVICE_COMPONENT_TYPE = "postgrest:gcp:PostgrestOnGcp";

/** What Cloud SQL with a private IP calls: its admin API, Private Service Access, the network, and the admin secret's store. */
export const DATABASE_APIS = [
    "compute.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "secretmanager.googleapis.com",
];

export function gcpFoundation(name: string, config: StackConfig & { cloud: "gcp" }): GcpFoundation {
    const spec = config.database.create;
    if (!spec) return {};
    if (spec.engine !== "cloud-sql") throw new Error(`database.create engine ${spec.engine} is AWS's; the GCP config admits cloud-sql`);
    const gcpConfig = config.gcp;
    const apis = new GoogleApis(`${name}-database-apis`, { services: DATABASE_APIS });
    // A stack that had a created network and now creates its database keeps the network: same name, former parent as an
    // alias (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
    const network = new Network(
        `${name}-network`,
        { network: gcpConfig.network, region: gcpConfig.region, dependsOn: apis.services },
        { aliases: [{ parent: pulumi.createUrn(name, SERVICE_COMPONENT_TYPE) }] },
    );
    const networkId = network.createdNetworkId ?? (gcpConfig.network.mode === "existing" ? gcpConfig.network.network : undefined);
    // The config requires a network for a created database: a created one, or an existing one named by gcp.network.network.
    if (networkId === undefined) throw new Error("database.create on GCP needs gcp.network: mode create, or mode existing with network");
    const database = new CloudSqlDatabase(`${name}-database`, {
        network: networkId,
        region: gcpConfig.region,
        databaseName: config.database.name,
        tier: spec.tier,
        postgresMajor: spec.postgresMajor,
        diskSizeGb: spec.storageGb,
        diskAutoresizeLimitGb: spec.maxStorageGb,
        retainedBackups: spec.backupRetentionDays,
        deletionProtection: spec.deletionProtection,
        finalBackup: spec.finalSnapshot,
        iamAuthentication: gcpConfig.cloudSqlIamAuthentication,
        dependsOn: apis.services,
    });
    return {
        network,
        cloudSqlInstance: database.connectionName,
        createdDatabase: { host: database.privateIp, adminSecret: database.adminSecretId },
    };
}
