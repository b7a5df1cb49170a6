/**
 * The program: validate the config, make the database when the stack creates one, apply the database side, then deploy
 * PostgREST with the target of the cloud the stack config names. Only that cloud's module (and provider SDK) is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, loadConfig } from "./components/config";
import { adminSecretReference } from "./components/config/admin-secret";
import { PostgrestAccess } from "./components/database";
import { imageToRun } from "./components/postgrest/image";
import { CloudTarget } from "./components/postgrest/target";
import { jwtSecrets } from "./components/postgrest/jwt-secrets";

/** Each cloud's target, required only when chosen: an AWS stack never loads @pulumi/gcp, and the reverse. */
const TARGETS: Record<Cloud, () => CloudTarget> = {
    aws: () => require("./components/aws").target,
    gcp: () => require("./components/gcp").target,
};

const config = loadConfig();
const target = TARGETS[config.cloud]();
const name = "postgrest";
const login = target.passwordlessLogin?.(config);

const foundation = target.foundation(name, config);
const access = new PostgrestAccess(name, {
    adminUrl: config.databaseAdminUrl,
    adminSecret: adminSecretReference(config.database, foundation.createdDatabase),
    adminTls: { sslMode: config.database.sslMode, sslRootCert: config.database.sslRootCert },
    adminTransport: config.database.adminAccess === "in-network" ? target.inNetworkAdmin(`${name}-admin`, config, foundation) : undefined,
    api: config.api,
    migrations: config.database.migrations?.files,
    loginMembers: login?.members,
    protect: config.deletionProtection,
    retainOnDelete: config.database.retainOnDelete,
});

const jwt = jwtSecrets(name, config, access.rotations);

const deployed = target.deploy(name, {
    config,
    foundation,
    jwtSecret: jwt.postgrest,
    authenticatorRole: access.authenticatorRole,
    authenticatorPassword: access.authenticatorPassword,
    login,
    image: imageToRun(config.service),
    dependsOn: [access],
});

export const cloud = config.cloud;
export const url = deployed.url;
export const serviceName = deployed.serviceName;
export const secretIds = deployed.secretIds;
export const details = deployed.details;
/** For the backend that signs tokens: `pulumi stack output --show-secrets jwtSecret`; with api.rotation, the current key. */
export const jwtSecret = pulumi.secret(jwt.signing);
/** With api.rotation: the current key's id, for the `kid` header of the tokens signed with jwtSecret. */
export const jwtKeyId = jwt.keyId;
