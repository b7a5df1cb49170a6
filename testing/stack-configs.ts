/** Stack configs for the program's main variants, shared by the tests of each cloud and the URN snapshot. */
import { baseConfig } from "./harness";
import { MOCK_VPC_ID } from "./mocks/aws";

/** An AWS stack config with the given `aws` and `service` blocks over baseConfig("aws"); no `aws` block creates a VPC. */
export function awsStack(aws: Record<string, unknown>, service: Record<string, unknown> = { maxInstances: 2 }): Record<string, unknown> {
    return { ...baseConfig("aws"), aws, service };
}

/** aws.network of a stack that joins an existing VPC, its tasks in private subnets. */
export const AWS_EXISTING_NETWORK = {
    mode: "existing",
    vpcId: MOCK_VPC_ID,
    publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
    taskSubnetIds: ["subnet-0ccc3333", "subnet-0ddd4444"],
    assignPublicIp: false,
};

/** The security group of the database an in-network AWS stack administers. */
export const AWS_IN_NETWORK_DATABASE_GROUP = "sg-0123456789abcdef0";

/** database.adminAccess in-network on AWS: the admin function joins the task subnets of an existing VPC. */
export function awsInNetworkConfig(): Record<string, unknown> {
    const base = baseConfig("aws");
    return {
        ...base,
        database: { ...(base.database as object), port: 6432, adminAccess: "in-network" },
        aws: {
            network: AWS_EXISTING_NETWORK,
            databaseSecurityGroupId: AWS_IN_NETWORK_DATABASE_GROUP,
        },
    };
}

/** Set as a secret in GCP stack configs, so the tests can follow it through the wiring. */
export const GCP_JWT_SECRET = "gcp-test-jwt-secret-5c2e9a7b1d3f4e6a8b0c2d4e";

/** A valid GCP stack config with the given `gcp` block (and other keys) over baseConfig("gcp"). */
export function gcpStack(gcp: Record<string, unknown> = {}, others: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...baseConfig("gcp"), jwtSecret: GCP_JWT_SECRET, gcp: { region: "us-central1", ...gcp }, ...others };
}

/** The subnetwork of the database an in-network GCP stack administers. */
export const GCP_IN_NETWORK_SUBNETWORK = "projects/my-project/regions/europe-west1/subnetworks/db-subnet";

/** database.adminAccess in-network on GCP: the admin function egresses into the database's subnetwork. */
export function gcpInNetworkConfig(): Record<string, unknown> {
    const base = baseConfig("gcp");
    return {
        ...base,
        database: { ...(base.database as object), host: "10.20.0.5", adminAccess: "in-network" },
        gcp: { region: "europe-west1", network: { mode: "existing", network: "db-vpc", subnetwork: GCP_IN_NETWORK_SUBNETWORK } },
    };
}

/** `config` creating its database (database.create): no host, and no admin URL, which the config refuses with create. */
export function withCreatedDatabase(
    config: Record<string, unknown>,
    create: Record<string, unknown>,
    database: Record<string, unknown> = {},
): Record<string, unknown> {
    return {
        ...Object.fromEntries(Object.entries(config).filter(([key]) => key !== "databaseAdminUrl")),
        database: { name: "startup", create, ...database },
    };
}

/** database.create on AWS (RDS unless `create` names another engine), in a VPC the stack creates unless `aws` says otherwise. */
export function awsCreatedDatabaseConfig(create: Record<string, unknown> = {}, aws: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...withCreatedDatabase(baseConfig("aws"), create), aws };
}

/** The network a GCP stack with database.create makes: the Cloud SQL instance's private IP and the service's egress. */
export const GCP_CREATED_NETWORK = { mode: "create", ipCidrRange: "10.20.0.0/26" };

/** database.create on GCP (Cloud SQL), in a network the stack creates unless `gcp` names another. */
export function gcpCreatedDatabaseConfig(create: Record<string, unknown> = {}, gcp: Record<string, unknown> = {}): Record<string, unknown> {
    return withCreatedDatabase(gcpStack({ network: GCP_CREATED_NETWORK, ...gcp }), create);
}
