/**
 * Thin wiring: validate the config, apply the database side, then deploy
 * PostgREST to the cloud the stack config names. Only that cloud's code (and
 * provider SDK) is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackConfig, loadConfig } from "./components/config";
import { PostgrestAccess } from "./components/database";
import { TargetInputs, TargetOutputs } from "./components/postgrest/target";

const config = loadConfig();
const name = "postgrest";

const access = new PostgrestAccess(name, {
    adminUrl: config.databaseAdminUrl,
    adminTls: { sslMode: config.database.sslMode, sslRootCert: config.database.sslRootCert },
    adminFunction: config.database.adminAccess === "in-network" ? inNetworkAdminFunction(config) : undefined,
    api: config.api,
});

const jwtSigningSecret =
    config.jwtSecret ??
    // 64 alphanumerics: well over PostgREST's 32-character minimum, and safe in any env or file.
    new random.RandomPassword(`${name}-jwt-secret`, { length: 64, special: false }).result;

const target = deploy(config, {
    jwtSecret: jwtSigningSecret,
    authenticatorRole: access.authenticatorRole,
    authenticatorPassword: access.authenticatorPassword,
    dependsOn: [access],
});

/** The function inside the database's network that applies roles and grants (database.adminAccess in-network). */
function inNetworkAdminFunction(config: StackConfig): pulumi.Output<string> {
    // Required here, not at the top: a direct stack never loads the function's bundler or the applier's timeouts.
    const bundle: typeof import("./components/database/bundle") = require("./components/database/bundle");
    const { APPLY_TIMEOUT_SECONDS }: typeof import("./components/database/session") = require("./components/database/session");
    switch (config.cloud) {
        case "aws": {
            // Config validation admits in-network on AWS only in an existing VPC with the database's security group.
            if (config.aws.network.mode !== "existing" || !config.aws.databaseSecurityGroupId)
                throw new Error("database.adminAccess in-network needs aws.network.mode existing and aws.databaseSecurityGroupId");
            const { InNetworkAdmin }: typeof import("./components/aws/in-network-admin") = require("./components/aws/in-network-admin");
            return new InNetworkAdmin(`${name}-admin`, {
                vpcId: config.aws.network.vpcId,
                subnetIds: config.aws.network.taskSubnetIds,
                databaseSecurityGroupId: config.aws.databaseSecurityGroupId,
                databasePort: config.database.port,
                source: bundle.bundleFunctionSource("lambda"),
                logRetentionDays: config.aws.logRetentionDays,
                timeoutSeconds: APPLY_TIMEOUT_SECONDS,
            }).functionArn;
        }
        case "gcp": {
            // Config validation admits in-network on GCP only with Direct VPC egress into an existing subnetwork.
            const network = config.gcp.network;
            if (network.mode !== "existing") throw new Error("database.adminAccess in-network needs gcp.network.mode existing");
            const { InNetworkAdmin }: typeof import("./components/gcp/in-network-admin") = require("./components/gcp/in-network-admin");
            const { resolveRegion }: typeof import("./components/config/gcp-rules") = require("./components/config/gcp-rules");
            const gcp: typeof import("@pulumi/gcp") = require("@pulumi/gcp");
            return new InNetworkAdmin(`${name}-admin`, {
                region: resolveRegion(config.gcp.region, gcp.config.region),
                egress: { network: network.network, subnetwork: network.subnetwork },
                source: bundle.bundleFunctionSource("cloud-run"),
                entryPoint: bundle.CLOUD_RUN_FUNCTION_TARGET,
                timeoutSeconds: APPLY_TIMEOUT_SECONDS,
            }).url;
        }
    }
}

function deploy(config: StackConfig, inputs: Omit<TargetInputs<StackConfig>, "config">): TargetOutputs {
    // require() inside each branch, so an AWS stack never loads @pulumi/gcp and the reverse.
    switch (config.cloud) {
        case "aws": {
            const aws: typeof import("./components/aws") = require("./components/aws");
            return new aws.PostgrestOnAws(name, { ...inputs, config });
        }
        case "gcp": {
            const gcp: typeof import("./components/gcp") = require("./components/gcp");
            return new gcp.PostgrestOnGcp(name, { ...inputs, config });
        }
    }
}

export const cloud = config.cloud;
export const url = target.url;
export const serviceName = target.serviceName;
export const secretIds = target.secretIds;
export const details = target.details;
/** For the backend that signs tokens: `pulumi stack output --show-secrets jwtSecret`. */
export const jwtSecret = pulumi.secret(jwtSigningSecret);
