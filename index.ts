/**
 * The program: validate the config, apply the database side, then deploy PostgREST with the target of the cloud the
 * stack config names. Only that cloud's module (and provider SDK) is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Cloud, loadConfig } from "./components/config";
import { PostgrestAccess } from "./components/database";
import { CloudTarget } from "./components/postgrest/target";

/** Each cloud's target, required only when chosen: an AWS stack never loads @pulumi/gcp, and the reverse. */
const TARGETS: Record<Cloud, () => CloudTarget> = {
    aws: () => require("./components/aws").target,
    gcp: () => require("./components/gcp").target,
};

const config = loadConfig();
const target = TARGETS[config.cloud]();
const name = "postgrest";

const access = new PostgrestAccess(name, {
    adminUrl: config.databaseAdminUrl,
    adminTls: { sslMode: config.database.sslMode, sslRootCert: config.database.sslRootCert },
    adminTransport: config.database.adminAccess === "in-network" ? target.inNetworkAdmin(`${name}-admin`, config) : undefined,
    api: config.api,
    migrations: config.database.migrations?.files,
});

const jwtSigningSecret =
    config.jwtSecret ??
    // 64 alphanumerics: well over PostgREST's 32-character minimum, and safe in any env or file.
    new random.RandomPassword(`${name}-jwt-secret`, { length: 64, special: false }).result;

const deployed = target.deploy(name, {
    config,
    jwtSecret: jwtSigningSecret,
    authenticatorRole: access.authenticatorRole,
    authenticatorPassword: access.authenticatorPassword,
    dependsOn: [access],
});

export const cloud = config.cloud;
export const url = deployed.url;
export const serviceName = deployed.serviceName;
export const secretIds = deployed.secretIds;
export const details = deployed.details;
/** For the backend that signs tokens: `pulumi stack output --show-secrets jwtSecret`. */
export const jwtSecret = pulumi.secret(jwtSigningSecret);
