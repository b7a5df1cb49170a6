/** A created database component under mocks, alone or with the in-network function its security group must admit. */
import * as pulumi from "@pulumi/pulumi";
import { InNetworkAdmin } from "../components/aws/in-network-admin";
import { ProgramRun, runUnderMocks } from "./harness";

/** The private subnets of a VPC the stack created. */
export const CREATED_NETWORK = { vpcId: "vpc-created", subnetIds: ["subnet-private-a", "subnet-private-b"] };

/** Runs `create` in CREATED_NETWORK, and with `withFunction` the in-network function beside it; `outputs` become the run's. */
export function runCreatedDatabase<D extends { securityGroupId: pulumi.Input<string> }>(
    create: (network: typeof CREATED_NETWORK) => D,
    outputs: (database: D) => Record<string, unknown>,
    withFunction: boolean,
): Promise<ProgramRun> {
    return runUnderMocks(() => {
        const database = create(CREATED_NETWORK);
        if (withFunction)
            new InNetworkAdmin("postgrest-admin", {
                ...CREATED_NETWORK,
                databaseSecurityGroupId: database.securityGroupId,
                databasePort: 5432,
                source: Promise.resolve("exports.handler = async () => ({})"),
                logRetentionDays: 7,
                timeoutSeconds: 360,
            });
        return outputs(database);
    });
}
