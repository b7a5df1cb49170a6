/**
 * Reads the stack config once, validates all of it, and returns one typed
 * object with defaults applied. Nothing may be registered before this returns:
 * an invalid config throws one ConfigError that lists every problem.
 *
 * Defaults live here, in code: Pulumi.yaml defaults are not applied under
 * mocks, and one place is easier to read than two.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConfig, authenticatorRoles } from "../model/api";
import { ADMIN_SECRET_EXAMPLES, adminSecretProblem } from "./admin-secret";
import { parseApi } from "./api";
import { AwsConfig, parseAws } from "../aws/config";
import { awsPeakInstances } from "../aws/config/rules";
import { CLOUDS, Cloud } from "./cloud";
import {
    CreatedDatabaseReader,
    DatabaseConfig,
    checkAdminDatabase,
    checkAdminTls,
    checkAdminUrl,
    checkClientCertificate,
    parseDatabase,
} from "./database";
import { GcpConfig, parseGcp } from "../gcp/config";
import { parseAwsCreatedDatabase } from "../aws/config/database";
import { auroraPostgrestSettings } from "../aws/config/aurora";
import { parseGcpCreatedDatabase } from "../gcp/config/database";
import { gcpPeakInstances } from "../gcp/config/rules";
import { iamUserNameProblem } from "../gcp/config/cloud-sql";
import { MonitoringConfig, parseMonitoring } from "./monitoring";
import { Problems, closestName, describeValue } from "./problems";
import { isObject } from "../model/values";
import { parseProduction } from "./production";
import { defaultJwtRoleClaimKey, jwtRoleClaimKeyProblem } from "../model/jwt-role-claim-key";
import { ServiceConfig, parseService, peakConnections } from "./service";
import { unexposedTableWarnings } from "./warnings";

export { ConfigError } from "./problems";
export type { ApiConfig, AwsConfig, Cloud, DatabaseConfig, GcpConfig, MonitoringConfig, ServiceConfig };

/** Top-level keys of the project's config namespace. */
export const CONFIG_KEYS = [
    "cloud",
    "production",
    "database",
    "databaseAdminUrl",
    "databaseClientKey",
    "api",
    "jwtSecret",
    "service",
    "monitoring",
    "deletionProtection",
    "aws",
    "gcp",
] as const;

// A plain jwt-secret shorter than 32 characters stops PostgREST from starting since v13
// (PostgREST CHANGELOG 13.0.0, #3607).
export const MIN_JWT_SECRET_LENGTH = 32;

interface CommonConfig<S> {
    /** The team workflow deploys a production stack after the others, behind reviewers. @default false */
    production: boolean;
    database: DatabaseConfig;
    /** Secret: connection URL with rights to create roles and grant privileges; undefined with database.adminSecret. */
    databaseAdminUrl?: S;
    /** The user of databaseAdminUrl (not secret); undefined with database.adminSecret, whose user is read at deploy time, or when the URL is an unreadable secret (`npm run check`). */
    adminUser?: string;
    /** Secret: PEM private key of database.sslCert; undefined when PostgREST presents no client certificate. */
    databaseClientKey?: S;
    api: ApiConfig;
    /** Secret; undefined: generated at deploy time. */
    jwtSecret?: S;
    service: ServiceConfig;
    monitoring: MonitoringConfig;
    /**
     * Protect what holds the API's identity from `pulumi destroy` and replacement: Pulumi's `protect` on the generated JWT
     * secret, the stored secrets and the roles resource, and the cloud's own deletion protection on the load balancer (AWS)
     * or the Cloud Run service (GCP).
     */
    deletionProtection: boolean;
}

type CloudConfig<S> = (CommonConfig<S> & { cloud: "aws"; aws: AwsConfig }) | (CommonConfig<S> & { cloud: "gcp"; gcp: GcpConfig });

/** The validated config, with secrets still in plain text: for pure checks and tests only. */
export type ParsedConfig = CloudConfig<string>;

/** The validated config the program uses; secrets are secret Outputs. */
export type StackConfig = CloudConfig<pulumi.Output<string>>;

/** What the cloud providers are configured with, from their own config keys or environment variables. */
export interface ProviderSettings {
    /** The Google provider's project: `gcp:project`, else GOOGLE_PROJECT and its aliases. */
    gcpProject?: string;
    /** The Google provider's region: `gcp:region`, else GOOGLE_REGION and its aliases. */
    gcpRegion?: string;
}

/** Raw stack config: values as the engine passes them (objects as JSON text). */
export interface RawConfig {
    provider: ProviderSettings;
    /** Config values of the project namespace, keyed without the namespace. */
    values: Record<string, string>;
    /** Keys (without namespace) that were set with --secret. */
    secretKeys: ReadonlySet<string>;
    namespace: string;
    /** Keys set as secrets whose text cannot be read here (`npm run check` has no key to decrypt them): checked as present and secret only. @default none */
    unreadableSecrets?: ReadonlySet<string>;
    /** The folder of Pulumi.yaml, which database.migrations is relative to. @default process.cwd(), where Pulumi runs the program */
    projectDir?: string;
}

/**
 * Validates raw config values. Pure: the same input gives the same result or
 * the same ConfigError, with no Pulumi runtime involved.
 */
export function parseConfig(raw: RawConfig, now: Date = new Date()): ParsedConfig {
    const problems = new Problems();
    const ns = raw.namespace;
    const key = (name: string) => `${ns}:${name}`;
    const values: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(raw.values)) {
        values[name] = raw.secretKeys.has(name) ? text : parseJson(text);
    }

    for (const name of Object.keys(values)) {
        if ((CONFIG_KEYS as readonly string[]).includes(name)) continue;
        const closest = closestName(name, CONFIG_KEYS);
        problems.add(
            key(name),
            `unknown key${closest ? `, did you mean "${closest}"?` : `; known keys: ${CONFIG_KEYS.join(", ")}`}`,
            key(closest ?? "cloud"),
        );
    }

    const cloud = values.cloud;
    if (cloud === undefined) {
        problems.add(key("cloud"), "is required: choose where PostgREST runs (aws or gcp)", `pulumi config set ${key("cloud")} aws`);
    } else if (typeof cloud !== "string" || !(CLOUDS as readonly string[]).includes(cloud)) {
        problems.add(key("cloud"), `${describeValue(cloud)} is not one of ${CLOUDS.join(", ")}`, `pulumi config set ${key("cloud")} aws`);
    }
    const chosenCloud = CLOUDS.find((c) => c === cloud);
    const production = parseProduction(values.production, key("production"), problems);

    // What a created database does on destroy follows the stack's deletionProtection unless database.create says otherwise.
    const protection = values.deletionProtection === true || values.deletionProtection === "true";
    const readCreate: CreatedDatabaseReader | undefined =
        chosenCloud === "aws"
            ? (obj, at, found) => parseAwsCreatedDatabase(obj, at, found, protection)
            : chosenCloud === "gcp"
              ? (obj, at, found) => parseGcpCreatedDatabase(obj, at, found, protection)
              : undefined;
    const database = parseDatabase(values.database, key("database"), problems, now, raw.projectDir ?? process.cwd(), readCreate);
    const creates = isObject(values.database) && values.database.create !== undefined;
    if (creates && raw.values.databaseAdminUrl !== undefined) {
        problems.add(
            key("databaseAdminUrl"),
            `is not used with ${key("database")}.create: the created database's admin password is generated and kept in the cloud's secret store; remove databaseAdminUrl`,
            `pulumi config rm ${key("databaseAdminUrl")}`,
        );
    }
    const adminSecret = database?.adminSecret;
    if (adminSecret !== undefined && raw.values.databaseAdminUrl !== undefined) {
        problems.add(
            key("databaseAdminUrl"),
            `and ${key("database")}.adminSecret are both set: the admin credentials come from one of them; remove databaseAdminUrl to read them from the secret store`,
            `pulumi config rm ${key("databaseAdminUrl")}`,
        );
    }
    if (adminSecret !== undefined && chosenCloud) {
        const problem = adminSecretProblem(adminSecret, chosenCloud);
        if (problem) problems.add(`${key("database")}.adminSecret`, problem, ADMIN_SECRET_EXAMPLES[chosenCloud]);
    }
    // A secret `npm run check` cannot decrypt is present and secret; only what its text would tell is left unchecked.
    const unreadable = (name: string) => raw.unreadableSecrets?.has(name) === true;
    const adminUser =
        adminSecret !== undefined || creates || unreadable("databaseAdminUrl")
            ? undefined
            : checkAdminUrl(raw.values.databaseAdminUrl, raw.secretKeys.has("databaseAdminUrl"), key("databaseAdminUrl"), problems);
    if (adminUser !== undefined && database) {
        checkAdminDatabase(raw.values.databaseAdminUrl!, database, key("databaseAdminUrl"), problems);
        checkAdminTls(raw.values.databaseAdminUrl!, database, key("databaseAdminUrl"), problems);
    }
    const databaseClientKey = raw.values.databaseClientKey;
    checkClientCertificate(
        database,
        databaseClientKey,
        raw.secretKeys.has("databaseClientKey"),
        { database: key("database"), clientKey: key("databaseClientKey") },
        problems,
        now,
        !unreadable("databaseClientKey"),
    );
    const api = values.api === undefined ? problemMissingApi(key("api"), problems) : parseApi(values.api, key("api"), problems);
    if (api && adminUser !== undefined && api.authenticatorRole === adminUser) {
        problems.add(
            `${key("api")}.authenticatorRole`,
            `is "${adminUser}", the user of ${key("databaseAdminUrl")}: its password would be replaced by the authenticator's and PostgREST would log in as the admin; choose another role`,
            "authenticatorRole: authenticator",
        );
    } else if (api && adminUser !== undefined && authenticatorRoles(api).includes(adminUser)) {
        problems.add(
            `${key("api")}.rotation`,
            `makes "${adminUser}", the user of ${key("databaseAdminUrl")}, the second login role: its password would be rotated and PostgREST would log in as the admin; choose another api.authenticatorRole`,
            "authenticatorRole: authenticator",
        );
    }
    const deletionProtection = values.deletionProtection ?? false;
    if (typeof deletionProtection !== "boolean") {
        problems.add(
            key("deletionProtection"),
            `must be true or false, got ${describeValue(deletionProtection)}`,
            `pulumi config set ${key("deletionProtection")} true (production), false lets \`pulumi destroy\` remove the stack`,
        );
    }
    const jwtSecret = unreadable("jwtSecret")
        ? raw.values.jwtSecret
        : checkJwtSecret(raw.values.jwtSecret, raw.secretKeys.has("jwtSecret"), key("jwtSecret"), problems);
    // The service block's cloud-dependent defaults need a cloud; AWS's stand in for an invalid one.
    const service = parseService(values.service, key("service"), chosenCloud ?? "aws", problems);

    if (service?.settings["jwt-secret-is-base64"] === "true" && !unreadable("jwtSecret"))
        checkBase64JwtSecret(jwtSecret, `${key("service")}.settings.jwt-secret-is-base64`, problems);

    let jwtRoleClaimKey: string | undefined;
    if (api && service) {
        jwtRoleClaimKey = api.jwtRoleClaimKey ?? defaultJwtRoleClaimKey(service.postgrestMajor);
        const claimProblem = jwtRoleClaimKeyProblem(jwtRoleClaimKey, service.postgrestMajor);
        if (claimProblem) problems.add(`${key("api")}.jwtRoleClaimKey`, claimProblem.problem, claimProblem.example);
    }

    const monitoring = parseMonitoring(values.monitoring, key("monitoring"), chosenCloud, problems);

    const aws = chosenCloud === "aws" ? parseAws(values.aws, key("aws"), service, key("service"), problems) : undefined;
    const gcp = chosenCloud === "gcp" ? parseGcp(values.gcp, key("gcp"), service, key("service"), problems, raw.provider.gcpRegion) : undefined;
    // Without a project pulumi-gcp only warns, and every Google resource then fails at create, after the database
    // roles were applied (the provider's `project` setting, https://www.pulumi.com/registry/packages/gcp/installation-configuration/).
    if (chosenCloud === "gcp" && !raw.provider.gcpProject) {
        problems.add(
            "gcp:project",
            "is not set, nor GOOGLE_PROJECT, GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT or CLOUDSDK_CORE_PROJECT in the environment: the Google provider needs the project to create anything in",
            'export CLOUDSDK_CORE_PROJECT="$(gcloud config get-value project)" (gcloud\'s project), or pulumi config set gcp:project my-project-id',
        );
    }

    if (gcp?.cloudSqlIamAuthentication) checkCloudSqlIamAuthentication(creates, gcp, raw.provider.gcpProject, key, problems);

    // From the raw block, so these come with the block's own problems rather than after they are fixed.
    if (creates) checkCreatedDatabasePlace(database?.port ?? rawPort(values.database), aws, gcp, key, problems);
    if (database?.create) {
        // Its size gives the connection budget, so it holds without anyone typing a number; a larger one would not hold.
        const allowed = database.create.maxConnections;
        if (database.maxConnections === undefined) database.maxConnections = allowed;
        else if (database.maxConnections > allowed)
            problems.add(
                `${key("database")}.maxConnections`,
                `is ${database.maxConnections}, more than the created database allows at its size (${allowed}): lower it, or leave it out to use ${allowed}`,
                `maxConnections: ${allowed}`,
            );
        if (database.create.engine === "aurora-serverless" && service)
            pausableAurora(database.create.minCapacity, values.service, service, key("service"), problems);
    }
    if (database?.adminAccess === "in-network") checkInNetworkAdmin(database, aws, gcp, key, problems);

    if (database?.maxConnections !== undefined && service && (aws || gcp)) {
        const peakInstances = aws ? awsPeakInstances(service) : gcpPeakInstances(service);
        const peak = peakConnections(service, peakInstances);
        if (peak > database.maxConnections) {
            const perInstance = service.dbPool + (service.dbChannelEnabled ? 1 : 0);
            const fittingPool = Math.floor(database.maxConnections / peakInstances) - (service.dbChannelEnabled ? 1 : 0);
            problems.add(
                `${key("service")}.dbPool`,
                `the connection budget is exceeded: up to ${peakInstances} instances at once × ${perInstance} connections ` +
                    `(dbPool ${service.dbPool}${service.dbChannelEnabled ? " + 1 LISTEN" : ""}) = ${peak}, ` +
                    `more than database.maxConnections (${database.maxConnections}); lower service.maxInstances or service.dbPool`,
                fittingPool >= 1 ? `dbPool: ${fittingPool}` : "maxInstances: 1, dbPool: 5",
            );
        }
    }

    problems.throwIfAny();
    const common = {
        production,
        database: database!,
        databaseAdminUrl: adminSecret === undefined && !creates ? raw.values.databaseAdminUrl! : undefined,
        adminUser,
        databaseClientKey,
        api: { ...api!, jwtRoleClaimKey: jwtRoleClaimKey! },
        jwtSecret,
        service: service!,
        monitoring: monitoring!,
        deletionProtection: deletionProtection as boolean,
    };
    return chosenCloud === "aws" ? { ...common, cloud: "aws", aws: aws! } : { ...common, cloud: "gcp", gcp: gcp! };
}

/**
 * A created database lives in the stack's network and is its own: the keys that point at a database elsewhere do not
 * apply, and on GCP it needs a network to take a private IP in.
 */
function checkCreatedDatabasePlace(
    port: number | undefined,
    aws: AwsConfig | undefined,
    gcp: GcpConfig | undefined,
    key: (name: string) => string,
    problems: Problems,
): void {
    if (aws?.databaseSecurityGroupId !== undefined)
        problems.add(
            `${key("aws")}.databaseSecurityGroupId`,
            "is the created database's own group with database.create, which admits only the tasks and the roles/grants function: remove it",
            `pulumi config rm --path ${key("aws")}.databaseSecurityGroupId`,
        );
    // A DB subnet group needs subnets in at least two Availability Zones
    // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets).
    if (aws?.network.mode === "existing" && new Set(aws.network.taskSubnetIds).size < 2)
        problems.add(
            `${key("aws")}.network.taskSubnetIds`,
            "must name subnets in at least two Availability Zones with database.create: the database lives in them, and RDS needs two",
            "taskSubnetIds: [subnet-0aaa1111bbbb2222c, subnet-0ddd3333eeee4444f]",
        );
    if (!gcp) return;
    if (gcp.cloudSqlInstance !== undefined)
        problems.add(
            `${key("gcp")}.cloudSqlInstance`,
            "names another instance, but database.create makes its own, reached on its private IP: remove gcp.cloudSqlInstance",
            `pulumi config rm --path ${key("gcp")}.cloudSqlInstance`,
        );
    if (gcp.network.mode === "none")
        problems.add(
            `${key("gcp")}.network`,
            "is none, but the created Cloud SQL instance has only a private IP, in a network: create one here, or name yours",
            "network: { mode: create }",
        );
    if (gcp.network.mode === "existing" && gcp.network.network === undefined)
        problems.add(
            `${key("gcp")}.network.network`,
            "is required with database.create: the Cloud SQL instance takes its private IP in this network, peered through Private Service Access",
            "network: { mode: existing, network: my-vpc, subnetwork: my-subnet }",
        );
    // Cloud SQL for PostgreSQL listens on 5432 only (https://cloud.google.com/sql/docs/postgres/connect-overview).
    if (port !== undefined && port !== 5432)
        problems.add(`${key("database")}.port`, `is ${port}, but Cloud SQL listens on 5432: remove database.port`, "port: 5432");
}

/** database.port as written, for the checks that run whether or not the block is valid; undefined when it is no number. */
function rawPort(database: unknown): number | undefined {
    const port = isObject(database) ? Number(database.port ?? 5432) : 5432;
    return Number.isFinite(port) ? port : undefined;
}

/**
 * Aurora at 0 ACUs pauses only without connections: PostgREST's LISTEN connection must go, and its idle pool connections
 * close (aws/config/aurora.ts). Settings the user chose are kept, but a LISTEN turned on explicitly is refused.
 */
function pausableAurora(minCapacity: number, rawService: unknown, service: ServiceConfig, key: string, problems: Problems): void {
    const needed = auroraPostgrestSettings(minCapacity);
    if (needed.dbChannelEnabled === false) {
        if (isObject(rawService) && (rawService.dbChannelEnabled === true || rawService.dbChannelEnabled === "true"))
            problems.add(
                `${key}.dbChannelEnabled`,
                "is true, but its LISTEN connection keeps the Aurora database (minCapacity 0) from ever pausing: remove it, or set minCapacity above 0",
                "dbChannelEnabled: false",
            );
        service.dbChannelEnabled = false;
    }
    service.settings = { ...needed.settings, ...service.settings };
}

/** gcp.cloudSqlIamAuthentication logs in to an instance (gcp.cloudSqlInstance, or the one database.create makes) as an IAM user whose name must fit PostgreSQL's. */
function checkCloudSqlIamAuthentication(
    creates: boolean,
    gcp: GcpConfig,
    project: string | undefined,
    key: (name: string) => string,
    problems: Problems,
): void {
    const at = `${key("gcp")}.cloudSqlIamAuthentication`;
    // The Auth Proxy's automatic IAM authentication connects to one instance by its connection name
    // (https://cloud.google.com/sql/docs/postgres/iam-logins#log-in-with-automatic): the created one's, or gcp.cloudSqlInstance.
    if (!creates && gcp.cloudSqlInstance === undefined) {
        problems.add(
            at,
            "needs gcp.cloudSqlInstance: the Cloud SQL Auth Proxy logs in to the instance that connection name names",
            "cloudSqlInstance: my-project:us-central1:my-db (with cloudSqlIamAuthentication: true), or remove cloudSqlIamAuthentication",
        );
    }
    const nameProblem = project ? iamUserNameProblem(project) : undefined;
    if (nameProblem)
        problems.add(
            at,
            nameProblem,
            "cloudSqlIamAuthentication: false (PostgREST logs in with a generated password), or a project with a shorter id",
        );
}

/**
 * The in-network admin function runs where the tasks' egress goes: on AWS in the task subnets, which must be in the
 * database's VPC (an existing network) whose security group must admit it, as it admits the tasks; on GCP with Direct
 * VPC egress into the database's subnetwork, which must exist already. A database the stack creates is in the stack's
 * own network, created or existing, with its own group.
 */
function checkInNetworkAdmin(
    database: DatabaseConfig,
    aws: AwsConfig | undefined,
    gcp: GcpConfig | undefined,
    key: (name: string) => string,
    problems: Problems,
): void {
    const access = `${key("database")}.adminAccess`;
    // A created database's network is checked with its place (checkCreatedDatabasePlace), which names gcp.network itself.
    if (database.create) return;
    if (gcp && gcp.network.mode !== "existing") {
        problems.add(
            access,
            gcp.network.mode === "none"
                ? "in-network runs a function with Direct VPC egress into the database's subnetwork, and gcp.network names none"
                : "in-network runs a function in the database's network: a network created here cannot hold a private database yet",
            "gcp.network: { mode: existing, subnetwork: <the database's subnetwork, in the service's region> }",
        );
    }
    if (!aws) return;
    if (aws.network.mode !== "existing") {
        problems.add(
            access,
            "in-network runs a function in the task subnets, which must be in the database's VPC: a VPC created here cannot reach a private database",
            "aws.network: { mode: existing, vpcId: <the database's VPC>, taskSubnetIds: [...], publicSubnetIds: [...] }",
        );
    } else if (aws.databaseSecurityGroupId === undefined) {
        problems.add(
            `${key("aws")}.databaseSecurityGroupId`,
            "is required by database.adminAccess in-network: the database's group must admit the function that applies roles and grants",
            "databaseSecurityGroupId: sg-0123456789abcdef0 (the RDS instance's security group)",
        );
    }
}

function problemMissingApi(key: string, problems: Problems): undefined {
    problems.add(key, "is required: declare the roles PostgREST switches to", "api: { roles: { web_anon: { tables: { api.trees: [select] } } } }");
    return undefined;
}

function checkJwtSecret(secret: string | undefined, isSecret: boolean, key: string, problems: Problems): string | undefined {
    if (secret === undefined) return undefined;
    const example = `pulumi config set --secret ${key} "$(openssl rand -base64 48)", or leave it unset to generate one`;
    if (!isSecret) problems.add(key, "must be set as a secret", example);
    if (!isJsonWebKey(secret) && secret.length < MIN_JWT_SECRET_LENGTH) {
        problems.add(key, `is ${secret.length} characters; PostgREST needs at least ${MIN_JWT_SECRET_LENGTH}`, example);
    }
    return secret;
}

/**
 * jwt-secret-is-base64 makes PostgREST decode jwtSecret before use (PostgREST docs/references/configuration.rst,
 * jwt-secret-is-base64): a generated secret is handed to the token signer as is, so only a given base64 secret fits.
 */
function checkBase64JwtSecret(secret: string | undefined, key: string, problems: Problems): void {
    if (secret === undefined) {
        problems.add(
            key,
            "is true but jwtSecret is generated, and the generated secret is not meant to be decoded; set jwtSecret to your base64 secret",
            "pulumi config set --secret jwtSecret <base64 secret>, or remove jwt-secret-is-base64",
        );
    } else if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) {
        problems.add(
            key,
            "is true but jwtSecret is not base64 (value not shown: it is secret)",
            "remove jwt-secret-is-base64, or set jwtSecret to its base64 form",
        );
    }
}

/** PostgREST also takes a JWK or JWKS as jwt-secret; its length rule is for plain secrets. */
function isJsonWebKey(secret: string): boolean {
    const value = parseJson(secret);
    return typeof value === "object" && value !== null && ("kty" in value || "keys" in value);
}

/** Config objects arrive as JSON text, scalars as plain text. */
function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

// isConfigSecret is marked @internal in @pulumi/pulumi, yet it is the only way to know whether
// a key was set with --secret; tests/config/index.test.ts proves it still works.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * The Google provider's project and region as the provider itself resolves them (its config key, else these
 * environment variables, in @pulumi/gcp config/vars), read without loading @pulumi/gcp on an AWS stack.
 */
function providerSettings(): ProviderSettings {
    return providerSettingsOf(pulumi.runtime.allConfig(), process.env);
}

/** The providers' settings from the stack's config (`gcp:project`, `gcp:region`), else from the environment, as the providers read them. */
export function providerSettingsOf(config: Record<string, string | undefined>, env: Record<string, string | undefined>): ProviderSettings {
    const firstEnv = (...names: string[]) => names.map((name) => env[name]).find((value) => value);
    return {
        gcpProject: config["gcp:project"] || firstEnv("GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"),
        gcpRegion: config["gcp:region"] || firstEnv("GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"),
    };
}

/** What the valid config allows but is likely a mistake, each naming its key and the fix. */
export function configWarnings(config: ParsedConfig, namespace: string): string[] {
    return unexposedTableWarnings(config.api, `${namespace}:api`);
}

/** Reads the project's stack config from the Pulumi runtime and validates it; its warnings are printed by the preview. */
export function loadConfig(): StackConfig {
    const namespace = pulumi.getProject();
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(`${namespace}:`)) continue;
        const name = fullKey.slice(namespace.length + 1);
        values[name] = value;
        if (runtimeConfig.isConfigSecret(fullKey)) secretKeys.add(name);
    }
    const parsed = parseConfig({ values, secretKeys, namespace, provider: providerSettings() });
    for (const warning of configWarnings(parsed, namespace)) pulumi.log.warn(warning);
    return {
        ...parsed,
        databaseAdminUrl: parsed.databaseAdminUrl === undefined ? undefined : pulumi.secret(parsed.databaseAdminUrl),
        databaseClientKey: parsed.databaseClientKey === undefined ? undefined : pulumi.secret(parsed.databaseClientKey),
        jwtSecret: parsed.jwtSecret === undefined ? undefined : pulumi.secret(parsed.jwtSecret),
    };
}
