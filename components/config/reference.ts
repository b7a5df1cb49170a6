/**
 * The catalog of every stack-config key the readers accept: the source of docs/configuration.md's reference tables
 * (`npm run docs`, scripts/docs.ts). A key added to a reader is added here too; tests/docs.test.ts fails while the
 * readers and this catalog disagree, and feeds each example below through parseConfig.
 *
 * Paths are dotted, under the project's namespace (`postgrest:`); `<role>` stands for a role name you choose.
 */
import { MONITORING_DEFAULTS } from "./monitoring";
import { DEFAULT_IMAGE } from "./service";
import type { CreatedDatabaseSpec } from "../model/created-database";

export interface ConfigKeyReference {
    /** Dotted path, such as `database.sslMode`; a part in angle brackets is a name you choose. */
    path: string;
    /** The value's type, as a reader checks it. */
    type: string;
    /** What applies when the key is absent, or `required`. */
    default: string;
    /** One line: what the key decides (markdown). */
    description: string;
    /** A value the readers accept at `path`, as the stack file holds it (objects as YAML maps). */
    example: unknown;
    /** How the example is shown, when a command says it better than the value (secrets, file contents). */
    shownAs?: string;
    /** Keys the example needs beside it, by path: the mode it belongs to, a key it depends on. */
    with?: Record<string, unknown>;
    /** The cloud whose block the example is read under. @default "aws" */
    cloud?: "aws" | "gcp";
    /** Set with `pulumi config set --secret`. */
    secret?: true;
    /** The `database.create` engines that read the key, for a created database's engine-specific keys. @default every engine */
    engines?: readonly CreatedDatabaseSpec["engine"][];
}

const EXISTING_AWS_NETWORK = {
    "aws.network.mode": "existing",
    "aws.network.vpcId": "vpc-0123456789abcdef0",
    "aws.network.publicSubnetIds": ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
};
const SHARED_LOAD_BALANCER = {
    listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2",
    securityGroupId: "sg-0123456789abcdef0",
    host: "api.example.com",
    priority: 100,
};
const SHARED_INGRESS = { "aws.ingress": "shared-load-balancer", ...EXISTING_AWS_NETWORK };
const SHARED_INGRESS_WITH_BLOCK = { ...SHARED_INGRESS, "aws.sharedLoadBalancer": SHARED_LOAD_BALANCER };
const HTTP_API_INGRESS = { "aws.ingress": "http-api", "service.settings": { "db-max-rows": 1000 } };
const EXISTING_GCP_NETWORK = { "gcp.network.mode": "existing", "gcp.network.subnetwork": "run-egress" };
/** A stack that creates its database names no server and no admin URL: the config refuses both with `database.create`. */
const CREATED = { "database.host": undefined, databaseAdminUrl: undefined };
const CREATED_AURORA = { ...CREATED, "database.create.engine": "aurora-serverless" };
/** On GCP the created Cloud SQL instance takes its private IP in the stack's network. */
const CREATED_CLOUD_SQL = { ...CREATED, "gcp.network.mode": "create" };

/** Top-level keys, then each block's keys, in the order the reference shows them. */
export const CONFIG_REFERENCE: readonly ConfigKeyReference[] = [
    // Top level.
    { path: "cloud", type: "`aws` or `gcp`", default: "required", description: "where PostgREST runs", example: "aws" },
    {
        path: "production",
        type: "boolean",
        default: "`false`",
        description:
            "whether the stack serves production: the team workflow deploys it after every other stack, behind its environment's reviewers, and previews it on a pull request only from a redacted copy of its state ([team workflow](team-workflow.md#stacks-promotion-and-the-reviewed-plan))",
        example: true,
    },
    {
        path: "database",
        type: "object",
        default: "required",
        description: "the PostgreSQL that PostgREST serves ([database](#database))",
        example: { host: "db.example.com", name: "startup" },
    },
    {
        path: "databaseAdminUrl",
        type: "`postgresql://` URL",
        default: "required, unless `database.adminSecret` or `database.create` is set (refused with `create`)",
        secret: true,
        description:
            "URL of a role that can create roles and grant privileges (RDS `rds_superuser` or Cloud SQL `cloudsqlsuperuser` members work; no superuser needed). Used only at deploy time by the roles/grants provider, never given to PostgREST. Its database must be `database.name`, and a reserved character of its user name or password must be percent-encoded (`encodeURIComponent`; see [the admin URL](first-run.md#2-the-admin-url)). Its `sslmode`, `sslrootcert`, `sslcert` and `sslkey` mean what they mean to libpq ([TLS](tls.md)); without `sslmode`, `database.sslMode` and `database.sslRootCert` apply. Must not log in as `api.authenticatorRole`",
        example: "postgresql://admin:PW@db.example.com:5432/startup",
        shownAs: "pulumi config set --secret databaseAdminUrl 'postgresql://admin:PW@db.example.com:5432/startup'",
    },
    {
        path: "databaseClientKey",
        type: "PEM private key",
        default: "unset",
        secret: true,
        description: "the private key of `database.sslCert`, for PostgREST's client certificate; given with `database.sslCert` or not at all",
        example: "<PEM private key of database.sslCert>",
        shownAs: 'pulumi config set --secret databaseClientKey -- "$(cat postgrest-key.pem)"',
        with: { "database.sslCert": "<PEM client certificate>" },
    },
    {
        path: "jwtSecret",
        type: "string of 32+ characters, or a JWK/JWKS JSON",
        default: "generated: 64 random letters and digits",
        secret: true,
        description: "PostgREST's JWT secret, which the backend that signs tokens shares (`pulumi stack output --show-secrets jwtSecret`)",
        example: "q7LwV2nYx9PzR4kT8mB3cF6hJ1sD5gA0eU",
        shownAs: 'pulumi config set --secret jwtSecret "$(openssl rand -base64 48)"',
    },
    {
        path: "api",
        type: "object",
        default: "required (`roles`)",
        description: "schemas, roles and grants ([api](#api))",
        example: { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
    },
    {
        path: "service",
        type: "object",
        default: "required (`maxInstances`)",
        description: "how PostgREST runs, on either cloud ([service](#service))",
        example: { maxInstances: 2 },
    },
    {
        path: "monitoring",
        type: "object",
        default: "on, notifying nobody",
        description: "alarms, an uptime check (GCP) and a dashboard, and who they notify ([monitoring](#monitoring))",
        example: { alertEmails: ["ops@example.com"] },
    },
    {
        path: "deletionProtection",
        type: "boolean",
        default: "`false`, so a dev stack can be destroyed",
        description:
            "protects what carries the API's identity: Pulumi's `protect` on the generated JWT secret, the stored secrets and the roles resource, and the cloud's own deletion protection on the ALB (AWS) or the Cloud Run service (GCP); while true, `pulumi destroy` fails ([removing a stack](operations.md#removing-a-stack-deliberately)). The default of a created database's `deletionProtection` and `finalSnapshot`",
        example: true,
    },
    { path: "aws", type: "object", default: "`{}`", description: "AWS-only settings, read when `cloud` is `aws` ([aws](#aws))", example: {} },
    {
        path: "gcp",
        type: "object",
        default: "`{}`",
        description: "GCP-only settings, read when `cloud` is `gcp` ([gcp](#gcp))",
        example: {},
        cloud: "gcp",
    },

    // database
    {
        path: "database.host",
        type: "host name or IP address",
        default: "required, unless `database.create`",
        description: "the server: no scheme, no port (`database.port`), no brackets; refused with `database.create`, whose address the program knows",
        example: "startup.abc123.us-east-1.rds.amazonaws.com",
    },
    {
        path: "database.create",
        type: "object",
        default: "unset: `database.host` is your server",
        description:
            "the program creates the PostgreSQL server instead of taking `database.host`: RDS or Aurora Serverless v2 on AWS, Cloud SQL on GCP; private, encrypted, TLS only, its admin password kept in the cloud's secret store and read through the `adminSecret` path. Refuses `database.host`, `database.adminSecret`, `database.sslCert`, `sslMode: disable` and `databaseAdminUrl` ([created database](created-database.md))",
        example: { engine: "rds" },
        with: CREATED,
    },
    {
        path: "database.create.engine",
        type: "`rds` or `aurora-serverless` (AWS), `cloud-sql` (GCP)",
        default: "`rds` (AWS), `cloud-sql` (GCP)",
        description:
            "which database: RDS for PostgreSQL (one instance, runs all month), Aurora Serverless v2 (pauses at 0 ACUs when unused) or Cloud SQL for PostgreSQL (one zonal instance); each reads its own keys below",
        example: "aurora-serverless",
        with: CREATED,
    },
    {
        path: "database.create.backupRetentionDays",
        type: "whole number: 1–35 (AWS), 1–365 (GCP)",
        default: "`7`",
        description: "days of automated backups (Cloud SQL: daily backups kept, with point-in-time recovery)",
        example: 14,
        with: CREATED,
    },
    {
        path: "database.create.deletionProtection",
        type: "boolean",
        default: "the stack's `deletionProtection`",
        description:
            "the cloud refuses to delete the database, and Pulumi's `protect` makes `pulumi destroy` refuse at its preview, until this is turned off and applied ([destroying it](created-database.md#destroying-it))",
        example: true,
        with: CREATED,
    },
    {
        path: "database.create.finalSnapshot",
        type: "boolean",
        default: "the stack's `deletionProtection`",
        description: "deleting the database leaves a final snapshot named `<name>-final-<random hex>` (Cloud SQL: a final backup, kept 30 days)",
        example: true,
        with: CREATED,
    },
    {
        path: "database.create.instanceClass",
        type: "`db.t4g.micro`, `db.t4g.small`, `db.t4g.medium`, `db.t4g.large`, `db.m7g.large`, `db.m7g.xlarge` or `db.r7g.large`",
        default: "`db.t4g.micro`",
        description:
            "(rds) the instance class; its memory sets `database.maxConnections` ([the connection budget](created-database.md#the-connection-budget))",
        example: "db.t4g.small",
        with: CREATED,
        engines: ["rds"],
    },
    {
        path: "database.create.postgresMajor",
        type: "`14`, `15`, `16` or `17`",
        default: "`17`",
        description: "(rds, cloud-sql) the PostgreSQL major version",
        example: 16,
        with: CREATED,
        engines: ["rds", "cloud-sql"],
    },
    {
        path: "database.create.storageGb",
        type: "whole number: 20–65536 (RDS gp3), 10–65536 (Cloud SQL SSD)",
        default: "`20` (RDS), `10` (Cloud SQL)",
        description: "(rds, cloud-sql) the disk allocated at creation, in GB, encrypted; billed as allocated",
        example: 50,
        with: CREATED,
        engines: ["rds", "cloud-sql"],
    },
    {
        path: "database.create.maxStorageGb",
        type: "whole number, GB",
        default: "`100`",
        description:
            "(rds, cloud-sql) the most the disk may grow to by itself: RDS storage autoscaling (at least 10% above `storageGb`), Cloud SQL automatic storage increases (at least `storageGb`)",
        example: 200,
        with: CREATED,
        engines: ["rds", "cloud-sql"],
    },
    {
        path: "database.create.engineVersion",
        type: "Aurora PostgreSQL version `major.minor`",
        default: "`16.6`",
        description: "(aurora-serverless) the engine version; `minCapacity: 0` needs 13.15, 14.12, 15.7, 16.3, 17.0 or later in its major",
        example: "17.4",
        with: CREATED_AURORA,
        engines: ["aurora-serverless"],
    },
    {
        path: "database.create.minCapacity",
        type: "ACUs, 0–256 in steps of 0.5",
        default: "`0`",
        description:
            "(aurora-serverless) the fewest ACUs; `0` lets the instance pause when nothing is connected, and turns PostgREST's LISTEN off ([auto-pause](created-database.md#aurora-auto-pause))",
        example: 0.5,
        with: CREATED_AURORA,
        engines: ["aurora-serverless"],
    },
    {
        path: "database.create.maxCapacity",
        type: "ACUs, 1–256 in steps of 0.5",
        default: "`2`",
        description: "(aurora-serverless) the most ACUs (1 ACU is about 2 GiB of memory); sets `database.maxConnections`",
        example: 4,
        with: CREATED_AURORA,
        engines: ["aurora-serverless"],
    },
    {
        path: "database.create.secondsUntilAutoPause",
        type: "whole number, 300–86400",
        default: "`300`",
        description: "(aurora-serverless, `minCapacity: 0`) seconds without connections before the instance pauses",
        example: 600,
        with: CREATED_AURORA,
        engines: ["aurora-serverless"],
    },
    {
        path: "database.create.tier",
        type: "`db-f1-micro`, `db-g1-small` or `db-custom-<vCPUs>-<MiB>`",
        default: "`db-g1-small`",
        description:
            "(cloud-sql) the machine type (Enterprise edition); its memory sets `database.maxConnections`: db-f1-micro leaves 22, db-g1-small 47 ([the connection budget](created-database.md#the-connection-budget))",
        example: "db-custom-1-3840",
        with: CREATED_CLOUD_SQL,
        cloud: "gcp",
        engines: ["cloud-sql"],
    },
    { path: "database.port", type: "whole number, 1–65535", default: "`5432`", description: "the server's port", example: 6543 },
    { path: "database.name", type: "string", default: "required", description: "the database PostgREST serves", example: "startup" },
    {
        path: "database.sslMode",
        type: "`disable`, `require`, `verify-ca` or `verify-full`",
        default: "`require`",
        description:
            "libpq `sslmode` of PostgREST's connection, and of the deploy-time admin connection when `databaseAdminUrl` names none (`allow`/`prefer` are refused: they silently fall back to plain text); see [TLS](tls.md)",
        example: "verify-full",
        with: { "database.sslRootCert": "<PEM CA certificate>" },
    },
    {
        path: "database.sslRootCert",
        type: "PEM certificates",
        default: "unset",
        description:
            "the CA(s) that signed the server's certificate (not secret); required by `verify-ca` and `verify-full`; with `require` it makes libpq verify the chain (as `verify-ca`)",
        example: "<PEM CA certificate>",
        shownAs: 'pulumi config set --path database.sslRootCert -- "$(cat global-bundle.pem)"',
    },
    {
        path: "database.sslCert",
        type: "PEM certificate",
        default: "unset",
        description:
            "the client certificate PostgREST presents (its CN is the authenticator role, for pg_hba `cert`); its key is the secret `databaseClientKey`; refused with `database.create`, which authenticates by password",
        example: "<PEM client certificate>",
        shownAs: 'pulumi config set --path database.sslCert -- "$(cat postgrest-cert.pem)"',
        with: { databaseClientKey: "<PEM private key of database.sslCert>" },
    },
    {
        path: "database.maxConnections",
        type: "whole number",
        default: "unset; with `database.create`, what its size allows",
        description:
            "connections this API may use in all; when set, the [connection budget](#the-connection-budget) is checked. With `database.create` it is derived from the database's size, and a larger value is refused ([created database](created-database.md#the-connection-budget))",
        example: 80,
    },
    {
        path: "database.adminAccess",
        type: "`direct` or `in-network`",
        default: "`direct`; `in-network` with `database.create`",
        description:
            "where the deploy-time roles/grants connection starts: `direct` from the machine that runs Pulumi, which must then reach the database; `in-network` from a function inside the database's network (AWS: a Lambda, beside a created database, or with `aws.network.mode: existing` and `aws.databaseSecurityGroupId`; GCP: a Cloud Run function, in a created database's network, created or existing, or with `gcp.network.mode: existing`). See [when the database must be reachable](database-access.md#when-the-database-must-be-reachable) and [database without a public address](private-database.md)",
        example: "in-network",
        with: { ...EXISTING_AWS_NETWORK, "aws.databaseSecurityGroupId": "sg-0123456789abcdef0" },
    },
    {
        path: "database.migrations",
        type: "folder, relative to `Pulumi.yaml`",
        default: "unset",
        description:
            "SQL files applied once each, in file-name order, before roles and grants and in the same transaction; recorded with their sha256 in `postgrest_migrations.applied`; an applied file edited since is refused at preview. See [migrations](first-run.md#migrations)",
        example: "migrations",
    },
    {
        path: "database.adminSecret",
        type: "Secrets Manager secret ARN (AWS) or `projects/P/secrets/S[/versions/V]` (GCP)",
        default: "unset: `databaseAdminUrl`; refused with `database.create`, whose own secret it is",
        description:
            "instead of `databaseAdminUrl`: the secret holding the admin credentials (an RDS- or Aurora-managed master user secret, or a `postgresql://` URL), read with the deployer's identity at each deploy, refresh and destroy, so a password the database's provider rotates breaks none of them; host, port and name come from this block ([admin credentials from the secret store](rotation.md#admin-credentials-from-the-secret-store))",
        example: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1a2b3c4d-AbCdEf",
        with: { databaseAdminUrl: undefined },
    },
    {
        path: "database.retainOnDelete",
        type: "boolean",
        default: "`false`",
        description:
            "`pulumi destroy` leaves the roles, memberships and grants in the database instead of dropping them (Pulumi's `retainOnDelete` on the roles resource; [deletion safety](operations.md#deletion-safety))",
        example: true,
    },

    // service
    {
        path: "service.image",
        type: "image reference with a release tag or digest",
        default: `\`${DEFAULT_IMAGE}\``,
        description:
            "the PostgREST image; `latest` and untagged images are refused. A tag is resolved to its digest at preview and run by digest. Its major version decides the settings, syntax and health checks; images before v10 are refused",
        example: "postgrest/postgrest:v14.17",
    },
    {
        path: "service.postgrestVersion",
        type: "whole number (major version)",
        default: "read from the official image's `vN` tag",
        description:
            "the image's PostgREST major version; required when the image does not say it: given by digest only, a tag without `v`, or a repository other than `postgrest/postgrest`",
        example: 16,
        with: { "service.image": "ghcr.io/example/postgrest:16.2" },
    },
    {
        path: "service.resolveDigest",
        type: "boolean",
        default: "`true`",
        description:
            "resolve the image's tag to its digest at preview and run the image by digest ([the image by digest](operations.md#the-image-by-digest)); `false` deploys the tag as given (offline, or a registry that refuses anonymous reads)",
        example: false,
    },
    {
        path: "service.cpu",
        type: "number (vCPU)",
        default: "AWS `0.25`, GCP `1`",
        description: "vCPUs per instance; checked against Fargate's task sizes or Cloud Run's rules",
        example: 0.5,
        with: { "service.memory": 1024 },
    },
    { path: "service.memory", type: "whole number (MiB)", default: "`512`", description: "memory per instance; checked likewise", example: 1024 },
    {
        path: "service.minInstances",
        type: "whole number",
        default: "AWS `1`, GCP `0` (scale to zero)",
        description: "instances kept running (at least 1 on AWS: ECS does not start a task on a request)",
        example: 2,
    },
    {
        path: "service.maxInstances",
        type: "whole number",
        default: "required",
        description: "most instances at once: protects the database's connections",
        example: 4,
    },
    {
        path: "service.dbPool",
        type: "whole number",
        default: "`10`",
        description: "PostgREST's connection pool per instance (`PGRST_DB_POOL`)",
        example: 5,
    },
    {
        path: "service.dbChannelEnabled",
        type: "boolean",
        default: "`true`",
        description: "`LISTEN` for schema reloads (`PGRST_DB_CHANNEL_ENABLED`); `false` behind a transaction-mode pooler",
        example: false,
    },
    {
        path: "service.logLevel",
        type: "`crit`, `error`, `warn`, `info` or `debug`",
        default: "`error`",
        description: "PostgREST's log level (`PGRST_LOG_LEVEL`)",
        example: "info",
    },
    {
        path: "service.capacity",
        type: "`on-demand` or `spot`",
        default: "`on-demand`",
        description:
            "AWS only: regular Fargate, or Fargate Spot (interruptible with a two-minute warning, X86_64 only, so `aws.cpuArchitecture` defaults to `X86_64` and `ARM64` is refused) ([Spot capacity](costs.md#spot-capacity-servicecapacity-spot))",
        example: "spot",
    },
    {
        path: "service.onDemandBase",
        type: "whole number, at most `service.maxInstances`",
        default: "`0`",
        description:
            "with `capacity: spot`, the first this-many tasks run on regular Fargate and the rest on Spot; keep 1 for an API that must answer while Spot is short",
        example: 1,
        with: { "service.capacity": "spot" },
    },
    {
        path: "service.settings",
        type: "map of PostgREST setting names to values",
        default: "none",
        description:
            "further [PostgREST settings](https://docs.postgrest.org/en/latest/references/configuration.html), named as PostgREST names them, passed as `PGRST_*` environment variables ([service.settings](#servicesettings))",
        example: { "db-max-rows": 1000, "jwt-aud": "https://api.example.com" },
    },

    // monitoring
    {
        path: "monitoring.enabled",
        type: "`true` or `false`",
        default: "`true`",
        description: "create the alarms, their notification target, the uptime check (GCP) and the dashboard ([operations](operations.md))",
        example: false,
    },
    {
        path: "monitoring.alertEmails",
        type: "list of email addresses",
        default: "`[]`",
        description:
            "told of every alarm and its recovery: SNS email subscriptions, each confirmed once by mail (AWS); email notification channels (GCP)",
        example: ["ops@example.com"],
    },
    {
        path: "monitoring.snsTopicArn",
        type: "SNS topic ARN",
        default: "unset: a topic is created",
        description: "AWS: an existing topic the alarms notify instead (its subscriptions are managed where it lives); not with `alertEmails`",
        example: "arn:aws:sns:us-east-1:123456789012:ops-alerts",
    },
    {
        path: "monitoring.notificationChannels",
        type: "list of `projects/<project>/notificationChannels/<id>`",
        default: "`[]`",
        description: "GCP: existing Cloud Monitoring channels, notified besides `alertEmails`",
        example: ["projects/my-project/notificationChannels/1234567890123456789"],
        cloud: "gcp",
    },
    {
        path: "monitoring.thresholds",
        type: "object",
        default: "the defaults below",
        description: "where the alarms fire",
        example: { p95LatencyMs: 500 },
    },
    {
        path: "monitoring.thresholds.errorRatePercent",
        type: "number, 0.1–100",
        default: `\`${MONITORING_DEFAULTS.thresholds.errorRatePercent}\``,
        description: "percent of requests answered 5xx, at the load balancer or PostgREST, that fires the 5xx alarms",
        example: 2,
    },
    {
        path: "monitoring.thresholds.p95LatencyMs",
        type: "whole number (ms)",
        default: `\`${MONITORING_DEFAULTS.thresholds.p95LatencyMs}\``,
        description: "p95 of the time to answer that fires the latency alarm",
        example: 500,
    },
    {
        path: "monitoring.thresholds.cpuPercent",
        type: "number, 0.1–100",
        default: `\`${MONITORING_DEFAULTS.thresholds.cpuPercent}\``,
        description: "AWS: the tasks' average CPU that fires `cpu-high` (refused on GCP, where Cloud Run scales on load itself)",
        example: 90,
    },
    {
        path: "monitoring.thresholds.memoryPercent",
        type: "number, 0.1–100",
        default: `\`${MONITORING_DEFAULTS.thresholds.memoryPercent}\``,
        description: "AWS: the most loaded task's memory that fires `memory-high` (refused on GCP)",
        example: 90,
    },

    // api
    {
        path: "api.schemas",
        type: "list of schema names",
        default: "`[api]`",
        description: "schemas PostgREST exposes (`PGRST_DB_SCHEMAS`); created when missing",
        example: ["api", "api_v2"],
    },
    {
        path: "api.anonRole",
        type: "role name",
        default: "`web_anon`",
        description: "role for requests without a JWT (`PGRST_DB_ANON_ROLE`); must be one of `api.roles`",
        example: "web_anon",
    },
    {
        path: "api.authenticatorRole",
        type: "role name",
        default: "`authenticator`",
        description: "the login role PostgREST connects as, with a generated password; member of every API role",
        example: "postgrest",
    },
    {
        path: "api.jwtRoleClaimKey",
        type: "JSON Path (v16+) or JSPath (v12–v14)",
        default: "`$.role` (v16+), `.role` (v12–v14)",
        description: "where the role is in the JWT (`PGRST_JWT_ROLE_CLAIM_KEY`)",
        example: "$.app.role",
    },
    {
        path: "api.roles",
        type: "map of role names to grants",
        default: "required",
        description: "each API role and what it may do ([roles](#what-a-role-can-be-given))",
        example: { web_anon: { tables: { "api.trees": ["select"] } } },
    },
    {
        path: "api.revokePublicExecute",
        type: "boolean",
        default: "`false`",
        description: "revoke `EXECUTE` from `PUBLIC` on the functions of the exposed schemas, so only roles granted `EXECUTE` can call them",
        example: true,
    },
    {
        path: "api.objectOwner",
        type: "role name",
        default: "the user of `databaseAdminUrl`",
        description: "the role that creates your tables (your migrations); `defaultPrivileges` apply to objects it creates",
        example: "migrator",
    },
    {
        path: "api.adoptRoles",
        type: "list of role names",
        default: "`[]`",
        description:
            "existing roles this stack may take over ([adopting roles](database-access.md#adopting-existing-roles)); any other declared role that exists stops the apply",
        example: ["web_anon"],
    },
    {
        path: "api.rotation",
        type: "object: `generation` (whole number ≥ 0, default 0), `everyDays` (whole number ≥ 1)",
        default: "unset: one authenticator and one JWT secret, rotated by hand",
        description:
            "two alternating login roles (`<authenticatorRole>` and `<authenticatorRole>_b`) and, without `jwtSecret`, two alternating JWT keys, rotated without an outage: a changed `generation` rotates at the next `up`, and with `everyDays` the first `up` that many days after the last rotation does ([rotation](rotation.md), [the schedule](rotation.md#the-schedule))",
        example: { generation: 0, everyDays: 30 },
    },
    {
        path: "api.roles.<role>.memberOf",
        type: "list of role names",
        default: "`[]`",
        description: "roles whose privileges this role inherits",
        example: ["web_anon"],
    },
    {
        path: "api.roles.<role>.tables",
        type: "map of `schema.table` to privileges",
        default: "`{}`",
        description: "privileges on tables, views, materialized and foreign tables",
        example: { "api.todos": ["select", "insert", "update", "delete"] },
    },
    {
        path: "api.roles.<role>.columns",
        type: "map of `schema.table` to privilege → columns",
        default: "`{}`",
        description: "column privileges",
        example: { "api.users": { select: ["id", "name"], update: ["name"] } },
    },
    {
        path: "api.roles.<role>.sequences",
        type: "map of `schema.sequence` to privileges",
        default: "`{}`",
        description: "sequence privileges",
        example: { "api.todos_id_seq": ["usage"] },
    },
    {
        path: "api.roles.<role>.functions",
        type: "map of `schema.function(argument types)` to privileges",
        default: "`{}`",
        description: "function privileges; the argument types pick one overload, and may be left out when there is one",
        example: { "api.login(text, text)": ["execute"] },
    },
    {
        path: "api.roles.<role>.allTables",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "privileges on every table and view that exists in the schema at apply time",
        example: { reports: ["select"] },
    },
    {
        path: "api.roles.<role>.allSequences",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "privileges on every sequence that exists in the schema at apply time",
        example: { api: ["usage"] },
    },
    {
        path: "api.roles.<role>.allFunctions",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "privileges on every function that exists in the schema at apply time",
        example: { api: ["execute"] },
    },
    {
        path: "api.roles.<role>.defaultPrivileges",
        type: "object",
        default: "`{}`",
        description: "privileges on objects `api.objectOwner` creates later, by kind",
        example: { tables: { api: ["select"] } },
    },
    {
        path: "api.roles.<role>.defaultPrivileges.tables",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "on tables and views created later in the schema",
        example: { api: ["select"] },
    },
    {
        path: "api.roles.<role>.defaultPrivileges.sequences",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "on sequences created later in the schema",
        example: { api: ["usage"] },
    },
    {
        path: "api.roles.<role>.defaultPrivileges.functions",
        type: "map of schema to privileges",
        default: "`{}`",
        description: "on functions created later in the schema",
        example: { api: ["execute"] },
    },

    // aws
    {
        path: "aws.network",
        type: "object",
        default: "`{ mode: create }`",
        description: "where the load balancer and the tasks live; the keys of the other mode are refused",
        example: { mode: "create", nat: "instance" },
    },
    {
        path: "aws.network.mode",
        type: "`create` or `existing`",
        default: "`create`",
        description:
            "`create`: a new VPC (awsx) with public subnets for the load balancer and task subnets, in each AZ; `existing`: your VPC and subnets (the VPC of your database)",
        example: "existing",
        with: EXISTING_AWS_NETWORK,
    },
    {
        path: "aws.network.nat",
        type: "`none`, `gateway`, `gateway-per-az` or `instance`",
        default: "`none`",
        description:
            "(create) how tasks reach the internet for the image, secrets and logs: `none` (tasks in the public subnets with a public IP, reachable only from the load balancer's group: cheapest), `gateway` (one NAT gateway, private task subnets), `gateway-per-az` (one per AZ: no cross-AZ single point of failure), `instance` (a single Graviton NAT instance: forwarding and masquerading set up by its user data, source/dest check off, the task routes go through it); see [costs](costs.md#aws-monthly-cost-per-nat-option)",
        example: "instance",
    },
    {
        path: "aws.network.cidrBlock",
        type: "IPv4 CIDR, `/16` to `/24`",
        default: "`10.0.0.0/16`",
        description: "(create) the VPC's range, aligned",
        example: "10.20.0.0/16",
    },
    {
        path: "aws.network.availabilityZones",
        type: "list of AZ names, at least two",
        default: "the region's first two",
        description: "(create) the AZs of the subnets (the load balancer needs two)",
        example: ["us-east-1a", "us-east-1b", "us-east-1c"],
    },
    {
        path: "aws.network.natInstanceType",
        type: "Graviton EC2 instance type",
        default: "`t4g.nano`",
        description: "(create, `nat: instance`) the NAT instance's type (its AMI is arm64)",
        example: "t4g.micro",
        with: { "aws.network.nat": "instance" },
    },
    {
        path: "aws.network.vpcId",
        type: "VPC id",
        default: "required with `existing`",
        description: "(existing) your VPC",
        example: "vpc-0123456789abcdef0",
        with: EXISTING_AWS_NETWORK,
    },
    {
        path: "aws.network.publicSubnetIds",
        type: "list of subnet ids",
        default: "required with `existing`",
        description: "(existing) public subnets of the load balancer, in at least two AZs",
        example: ["subnet-0aaa1111", "subnet-0bbb2222"],
        with: EXISTING_AWS_NETWORK,
    },
    {
        path: "aws.network.taskSubnetIds",
        type: "list of subnet ids",
        default: "`publicSubnetIds`",
        description: "(existing) subnets of the tasks (and of the in-network roles/grants function)",
        example: ["subnet-0ccc3333", "subnet-0ddd4444"],
        with: EXISTING_AWS_NETWORK,
    },
    {
        path: "aws.network.assignPublicIp",
        type: "boolean",
        default: "`true`",
        description:
            "(existing) give tasks a public IP: `true` for public task subnets; `false` needs `taskSubnetIds` that route through a NAT (or VPC endpoints)",
        example: false,
        with: { ...EXISTING_AWS_NETWORK, "aws.network.taskSubnetIds": ["subnet-0ccc3333", "subnet-0ddd4444"] },
    },
    {
        path: "aws.databaseSecurityGroupId",
        type: "security group id",
        default: "unset: egress to any address on the database port, no rule added",
        description:
            "the database's security group: gets an ingress rule from the tasks on the database port, and the tasks' egress on that port goes only to it; needs `network.mode: existing` in the database's VPC; with `database.adminAccess: in-network` it also admits the roles/grants function, and is required. Refused with `database.create`, whose database has a group of its own that admits the same two",
        example: "sg-0123456789abcdef0",
        with: EXISTING_AWS_NETWORK,
    },
    {
        path: "aws.certificateArn",
        type: "ACM certificate ARN, in the stack's region",
        default: "unset: created and DNS-validated when `hostedZoneId` is set, else HTTP only (preview warns)",
        description:
            "the certificate of an HTTPS listener (policy `ELBSecurityPolicy-TLS13-1-2-Res-2021-06`: TLS 1.3 and 1.2) with HTTP → HTTPS redirect; needs `domainName`",
        example: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        with: { "aws.domainName": "api.example.com" },
    },
    {
        path: "aws.hostedZoneId",
        type: "Route 53 hosted zone id",
        default: "unset: no DNS records, HTTP only unless `certificateArn`",
        description:
            "the public hosted zone holding `domainName`: the program creates the ACM certificate, validates it with a DNS record in the zone, and makes the alias A record to the load balancer (with `certificateArn`, only the alias); preview asks Route 53 that the zone holds the name and is public",
        example: "Z0123456789ABCDEFGHIJ",
        with: { "aws.domainName": "api.example.com" },
    },
    {
        path: "aws.domainName",
        type: "host name",
        default: "unset: the load balancer's name",
        description:
            "the API's host name, used in `url`; with `hostedZoneId` the program points it at the load balancer, else point it at `details.loadBalancerDnsName` yourself",
        example: "api.example.com",
    },
    {
        path: "aws.logRetentionDays",
        type: "days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653",
        default: "`30`",
        description: "how long CloudWatch Logs keeps PostgREST's logs (the retention periods CloudWatch Logs accepts)",
        example: 90,
    },
    {
        path: "aws.cpuArchitecture",
        type: "`ARM64` or `X86_64`",
        default: "`ARM64` for the official `postgrest/postgrest` v16+ (multi-arch), else `X86_64`; `X86_64` with `service.capacity: spot`",
        description:
            "the tasks' CPU: `ARM64` (Graviton, 20% cheaper), or `X86_64` for a custom image built only for amd64; `ARM64` with Spot is refused (Fargate Spot is X86_64 only)",
        example: "X86_64",
    },
    {
        path: "aws.ingress",
        type: "`load-balancer`, `shared-load-balancer` or `http-api`",
        default: "`load-balancer`",
        description:
            "the front door: an ALB of the stack's own, a rule on your ALB's listener (`sharedLoadBalancer`), or an API Gateway HTTP API with a VPC link (needs `service.settings.db-max-rows`); what each creates, costs and limits: [front doors](costs.md#three-front-doors-awsingress)",
        example: "http-api",
        with: { "service.settings": { "db-max-rows": 1000 } },
    },
    {
        path: "aws.sharedLoadBalancer",
        type: "object",
        default: "required with `ingress: shared-load-balancer`",
        description: "the listener rule on your ALB: the program adds a target group and this rule, and the tasks admit only the ALB's group",
        example: SHARED_LOAD_BALANCER,
        with: SHARED_INGRESS,
    },
    {
        path: "aws.sharedLoadBalancer.listenerArn",
        type: "ALB listener ARN",
        default: "required",
        description:
            "the listener (HTTP or HTTPS) the rule is added to; its load balancer must be in the tasks' VPC (`network.mode: existing`), checked at preview",
        example: SHARED_LOAD_BALANCER.listenerArn,
        with: SHARED_INGRESS_WITH_BLOCK,
    },
    {
        path: "aws.sharedLoadBalancer.securityGroupId",
        type: "security group id",
        default: "required",
        description: "the ALB's security group: the only source the tasks admit, on PostgREST's port and the health check port",
        example: SHARED_LOAD_BALANCER.securityGroupId,
        with: SHARED_INGRESS_WITH_BLOCK,
    },
    {
        path: "aws.sharedLoadBalancer.host",
        type: "host name",
        default: "unset (then `pathPrefix` is required)",
        description: "the host header the rule matches; the API's URL uses it",
        example: "api.example.com",
        with: SHARED_INGRESS_WITH_BLOCK,
    },
    {
        path: "aws.sharedLoadBalancer.pathPrefix",
        type: "path such as `/api`",
        default: "unset (then `host` is required)",
        description: "the path prefix the rule matches; cut off before PostgREST sees the path (ALB url-rewrite transform)",
        example: "/api",
        with: SHARED_INGRESS_WITH_BLOCK,
    },
    {
        path: "aws.sharedLoadBalancer.priority",
        type: "whole number, 1–50000",
        default: "required",
        description: "the rule's priority, unique on the listener; lower is evaluated first",
        example: 120,
        with: SHARED_INGRESS_WITH_BLOCK,
    },
    {
        path: "aws.httpApi",
        type: "object",
        default: "`{ rateLimit: 100, burstLimit: 200 }`",
        description: "with `ingress: http-api`, the stage's throttling, across all clients",
        example: { rateLimit: 20 },
        with: HTTP_API_INGRESS,
    },
    {
        path: "aws.httpApi.rateLimit",
        type: "requests per second, at most 10000",
        default: "`100`",
        description: "steady request rate the HTTP API lets through; more is answered 429",
        example: 20,
        with: HTTP_API_INGRESS,
    },
    {
        path: "aws.httpApi.burstLimit",
        type: "whole number, at most 5000",
        default: "`200`",
        description: "requests the HTTP API lets through at once above the rate",
        example: 40,
        with: HTTP_API_INGRESS,
    },
    {
        path: "aws.scaling",
        type: "object",
        default: "`{ cpuPercent: 60, requestsPerTaskPerMinute: 3000 }`",
        description: "target tracking between `service.minInstances` and `service.maxInstances`",
        example: { cpuPercent: 50 },
    },
    {
        path: "aws.scaling.cpuPercent",
        type: "whole number, 10–90",
        default: "`60`",
        description: "target average CPU of the tasks",
        example: 50,
    },
    {
        path: "aws.scaling.requestsPerTaskPerMinute",
        type: "whole number",
        default: "`3000`",
        description: "target ALB requests per task per minute (`ALBRequestCountPerTarget`)",
        example: 6000,
    },
    {
        path: "aws.imagePullThroughCache",
        type: "object",
        default: "unset: tasks pull from Docker Hub",
        description:
            "tasks pull the Docker Hub image through an ECR pull-through cache rule ([ECR pull-through cache](operations.md#ecr-pull-through-cache-aws))",
        example: { credentialArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf" },
    },
    {
        path: "aws.imagePullThroughCache.credentialArn",
        type: "Secrets Manager secret ARN",
        default: "required",
        description:
            "the secret holding your Docker Hub user name and access token; its name starts with `ecr-pullthroughcache/`, in the stack's account and region",
        example: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
    },
    {
        path: "aws.imagePullThroughCache.repositoryPrefix",
        type: "2–30 lowercase letters, digits and `._-`",
        default: "`docker-hub`",
        description: "the rule's ECR repository prefix: one rule per prefix per account and region",
        example: "docker-hub-api",
        with: {
            "aws.imagePullThroughCache.credentialArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
        },
    },

    // gcp
    {
        path: "gcp.region",
        type: "region name",
        default: "the provider's `gcp:region`, else `us-central1`",
        description: "region of the Cloud Run service (and of the NEG and a created subnetwork); choose the database's",
        example: "europe-west1",
        cloud: "gcp",
    },
    {
        path: "gcp.secretsAs",
        type: "`files` or `env`",
        default: "`files`",
        description:
            "how PostgREST gets its two secrets: `files` mounts each as a secret volume and sets `PGRST_DB_URI=@/etc/postgrest/db-uri/value` (PostgREST reads a value `@/path` from that file); `env` uses a Secret Manager reference (`secretKeyRef`). Either way the version is pinned, so a new value rolls out a new revision, and no env var holds a value",
        example: "env",
        cloud: "gcp",
    },
    {
        path: "gcp.concurrency",
        type: "whole number, 1–1000",
        default: "`80`; `1` below 1 vCPU",
        description: "requests one instance serves at once (`maxInstanceRequestConcurrency`)",
        example: 40,
        cloud: "gcp",
    },
    {
        path: "gcp.executionEnvironment",
        type: "`gen1` or `gen2`",
        default: "`gen2`; `gen1` below 1 vCPU or 512 MiB",
        description: "Cloud Run's execution environment",
        example: "gen1",
        cloud: "gcp",
    },
    {
        path: "gcp.public",
        type: "boolean",
        default: "`true`",
        description:
            "`true`: anyone may call the service (`invokerIamDisabled`, which also works under domain-restricted sharing); `false`: only `invokerMembers`, which send their Google ID token in `X-Serverless-Authorization: Bearer ...` so that `Authorization` still carries PostgREST's JWT ([Cloud Run service-to-service authentication](https://cloud.google.com/run/docs/authenticating/service-to-service)). Refused with `loadBalancer`: the load balancer attaches no ID token, and its ingress setting already closes the `run.app` URL",
        example: false,
        cloud: "gcp",
    },
    {
        path: "gcp.invokerMembers",
        type: "list of IAM principals",
        default: "`[]`",
        description: "who may call a non-public service (`roles/run.invoker`); not `allUsers`",
        example: ["serviceAccount:backend@my-project.iam.gserviceaccount.com"],
        with: { "gcp.public": false },
        cloud: "gcp",
    },
    {
        path: "gcp.network",
        type: "object",
        default: "`{ mode: none }`",
        description: "Cloud Run's egress; the keys of the other modes are refused",
        example: { mode: "existing", subnetwork: "run-egress" },
        cloud: "gcp",
    },
    {
        path: "gcp.network.mode",
        type: "`none`, `existing` or `create`",
        default: "`none`",
        description:
            "`none`: Cloud Run's own egress; `existing`: Direct VPC egress into `network.subnetwork` (a database on a private IP); `create`: into a new network and subnetwork (to peer, or to give Cloud SQL a private IP on); `database.adminAccess: in-network` needs `existing` (its function egresses into the same subnetwork), or `database.create`. With `database.create`, `none` is refused: the created Cloud SQL instance takes its private IP in this network (`create`, or `existing` with `network.network`)",
        example: "existing",
        with: EXISTING_GCP_NETWORK,
        cloud: "gcp",
    },
    {
        path: "gcp.network.subnetwork",
        type: "subnetwork name or `projects/P/regions/R/subnetworks/S`",
        default: "required with `existing`",
        description: "(existing) the subnetwork, in the service's region, `/26` or larger",
        example: "run-egress",
        with: EXISTING_GCP_NETWORK,
        cloud: "gcp",
    },
    {
        path: "gcp.network.network",
        type: "network name or path",
        default: "the subnetwork's; required with `database.create`",
        description:
            "(existing) the subnetwork's network; with `database.create`, where the Cloud SQL instance gets its private IP through Private Service Access",
        example: "prod-vpc",
        with: EXISTING_GCP_NETWORK,
        cloud: "gcp",
    },
    {
        path: "gcp.network.ipCidrRange",
        type: "private IPv4 CIDR (RFC 1918), `/26` or larger",
        default: "`10.8.0.0/24`",
        description: "(create) the new subnetwork's range (Direct VPC egress reserves addresses 16 at a time)",
        example: "10.20.0.0/26",
        with: { "gcp.network.mode": "create" },
        cloud: "gcp",
    },
    {
        path: "gcp.cloudSqlInstance",
        type: "Cloud SQL connection name `project:region:instance`",
        default: "none",
        description:
            "mounts `/cloudsql`: PostgREST connects through the socket (no TLS on the socket: the Cloud SQL connector encrypts), and the service account gets `roles/cloudsql.client` on that project; `database.host` is then used only by the roles/grants connection. Refused with `database.create`, whose instance is reached on its private IP",
        example: "my-project:us-central1:trees-db",
        cloud: "gcp",
    },
    {
        path: "gcp.cloudSqlIamAuthentication",
        type: "boolean",
        default: "`false`",
        description:
            "needs `cloudSqlInstance` or `database.create` (engine `cloud-sql`): PostgREST logs in with no password as the service account's Cloud SQL IAM user, through a Cloud SQL Auth Proxy sidecar (`--auto-iam-authn`) instead of the `/cloudsql` socket or the private IP; the program creates that user, grants it `roles/cloudsql.instanceUser`, and makes it a member of the authenticator, which then has no password and no LOGIN; your instance needs the flag `cloudsql.iam_authentication=on`, which the program sets on the instance it creates ([Cloud SQL IAM](cloud-sql-iam.md))",
        example: true,
        with: { "gcp.cloudSqlInstance": "my-project:us-central1:trees-db" },
        cloud: "gcp",
    },
    {
        path: "gcp.loadBalancer",
        type: "object",
        default: "none (no load balancer)",
        description: "a global external Application Load Balancer in front of the service",
        example: { domain: "api.example.com" },
        cloud: "gcp",
    },
    {
        path: "gcp.loadBalancer.domain",
        type: "host name",
        default: "required with `loadBalancer`",
        description:
            "the host of the Google-managed certificate; point its DNS A record at `pulumi stack output details` → `loadBalancerIp`, and the certificate is issued after that",
        example: "api.example.com",
        cloud: "gcp",
    },
    {
        path: "gcp.loadBalancer.pathPrefix",
        type: "path",
        default: "`/`",
        description: "requests to this prefix go to PostgREST, prefix stripped (`/rest/trees` → `/trees`); `/` sends everything",
        example: "/rest",
        with: { "gcp.loadBalancer.domain": "api.example.com" },
        cloud: "gcp",
    },
    {
        path: "gcp.loadBalancer.defaultBackend",
        type: "backend service or bucket path",
        default: "PostgREST",
        description: "every other path goes to this existing global backend service or bucket (an `EXTERNAL_MANAGED` one, such as your web app's)",
        example: "projects/my-project/global/backendServices/web",
        with: { "gcp.loadBalancer.domain": "api.example.com", "gcp.loadBalancer.pathPrefix": "/rest" },
        cloud: "gcp",
    },
    {
        path: "gcp.loadBalancer.defaultCloudRunService",
        type: "Cloud Run service name or `projects/P/locations/R/services/NAME`",
        default: "none",
        description:
            "every other path goes to this Cloud Run service (a serverless NEG and backend service are made for it), in the same project and region",
        example: "fastapi",
        with: { "gcp.loadBalancer.domain": "api.example.com", "gcp.loadBalancer.pathPrefix": "/api" },
        cloud: "gcp",
    },
];
