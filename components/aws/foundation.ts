/**
 * What an AWS stack makes before its roles and grants are applied: with database.create, the VPC (created or the
 * user's) and the RDS or Aurora database in it. Without database.create nothing: the service's own component keeps
 * its network, where existing stacks have it.
 */
import * as pulumi from "@pulumi/pulumi";
import { AuroraDatabase } from "./aurora";
import { RdsDatabase } from "./database";
import { Network } from "./network";
import { StackConfig } from "../config";
import { Foundation } from "../postgrest/target";

export interface AwsFoundation extends Foundation {
    /** With database.create: the network the database, the tasks and the in-network function share. */
    network?: Network;
    /** With database.create: the database's security group, which admits the tasks and the in-network function. */
    databaseSecurityGroupId?: pulumi.Output<string>;
}

/** The component type that held the network before a created database needed it first; its URN is kept under an alias. */
export const SERVICE_COMPONENT_TYPE = "postgrest:aws:PostgrestOnAws";

export function awsFoundation(name: string, config: StackConfig & { cloud: "aws" }): AwsFoundation {
    const spec = config.database.create;
    if (!spec) return {};
    // A stack that had a created VPC and now creates its database keeps the VPC: same name, former parent as an alias
    // (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
    const network = new Network(
        `${name}-network`,
        { network: config.aws.network, databaseSubnets: true },
        { aliases: [{ parent: pulumi.createUrn(name, SERVICE_COMPONENT_TYPE) }] },
    );
    const place = {
        vpcId: network.vpcId,
        subnetIds: network.databaseSubnetIds!,
        databaseName: config.database.name,
        port: config.database.port,
        backupRetentionDays: spec.backupRetentionDays,
        deletionProtection: spec.deletionProtection,
        finalSnapshot: spec.finalSnapshot,
    };
    if (spec.engine === "cloud-sql") throw new Error("database.create engine cloud-sql is GCP's; the AWS config admits rds and aurora-serverless");
    const database =
        spec.engine === "rds"
            ? new RdsDatabase(`${name}-database`, {
                  ...place,
                  instanceClass: spec.instanceClass,
                  postgresMajor: spec.postgresMajor,
                  allocatedStorageGb: spec.storageGb,
                  maxAllocatedStorageGb: spec.maxStorageGb,
              })
            : new AuroraDatabase(`${name}-database`, {
                  ...place,
                  engineVersion: spec.engineVersion,
                  minCapacity: spec.minCapacity,
                  maxCapacity: spec.maxCapacity,
                  secondsUntilAutoPause: spec.secondsUntilAutoPause,
              });
    return {
        network,
        databaseSecurityGroupId: database.securityGroupId,
        createdDatabase: {
            host: database instanceof RdsDatabase ? database.address : database.endpoint,
            adminSecret: database.masterUserSecretArn,
        },
    };
}
