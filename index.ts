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
