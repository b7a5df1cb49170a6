/**
 * `npm run check -- <stack>`: validates Pulumi.<stack>.yaml offline, in seconds, before the first `pulumi preview`:
 * no cloud, no Pulumi CLI, no credentials. It reads the stack file as the engine would (the `yaml` package), runs the
 * program's own validation (parseConfig) on its values, and prints every problem, or a summary of what `pulumi up`
 * would create, and the warnings the preview would print. A secret (`secure:`) cannot be decrypted without the
 * stack's secrets provider: it counts as present and set with --secret, and what its text would tell (the admin URL's
 * form, the JWT secret's length) is left to the preview. Exit status: 0 valid, 1 problems, 2 no such stack file.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, ParsedConfig, configWarnings, parseConfig, providerSettingsOf } from "../components/config";
import { CreatedDatabaseSpec, onDestroy } from "../components/model/created-database";
import { declaredItems } from "../components/database/declarations";

export interface CheckResult {
    /** 0: valid; 1: the config has problems; 2: the stack file cannot be read. */
    status: 0 | 1 | 2;
    /** What to print, one line per entry. */
    lines: string[];
}

/** `stack` is a stack name (Pulumi.<stack>.yaml next to Pulumi.yaml in `projectDir`) or a path to a stack file. */
export function checkStack(stack: string, projectDir: string, env: Record<string, string | undefined> = process.env): CheckResult {
    const file = stack.endsWith(".yaml") ? path.resolve(stack) : path.join(projectDir, `Pulumi.${stack}.yaml`);
    const dir = path.dirname(file);
    let settings: { config?: Record<string, unknown> };
    let project: { name?: string };
    try {
        settings = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as typeof settings;
        project = parseYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as typeof project;
    } catch (error) {
        return { status: 2, lines: [`cannot read the stack: ${(error as Error).message}`] };
    }
    const namespace = project.name ?? "postgrest";
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const unreadableSecrets = new Set<string>();
    const providerConfig: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(settings.config ?? {})) {
        const secure = typeof value === "object" && value !== null && "secure" in value;
        const text = secure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
        if (!fullKey.startsWith(`${namespace}:`)) {
            if (!secure) providerConfig[fullKey] = typeof value === "string" ? value : String(value);
            continue;
        }
        const name = fullKey.slice(namespace.length + 1);
        values[name] = text;
        if (secure) {
            secretKeys.add(name);
            unreadableSecrets.add(name);
        }
    }
    const name = path.basename(file);
    const placeholders = placeholderWarnings(settings.config ?? {}).map((warning) => `warning: ${warning}`);
    try {
        const config = parseConfig({
            values,
            secretKeys,
            unreadableSecrets,
            namespace,
            projectDir: dir,
            provider: providerSettingsOf(providerConfig, env),
        });
        const warnings = configWarnings(config, namespace).map((warning) => `warning: ${warning}`);
        return {
            status: 0,
            lines: [`${name}: valid. \`pulumi up\` would:`, ...summary(config, providerConfig, unreadableSecrets), ...warnings, ...placeholders],
        };
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return {
            status: 1,
            lines: [
                `${name}: ${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}:`,
                ...error.problems.map((p) => `  - ${p}`),
                ...placeholders,
            ],
        };
    }
}

// Values no real stack holds: reserved example domains (RFC 2606), the documentation's sample ids and names, and AWS ids
// with a counting or repeating pattern (real ones are random hexadecimal).
const PLACEHOLDERS = [/(^|[.@])example\.(com|net|org)$/, /abc123/, /^my-project(-id)?$/, /^(vpc|subnet|sg)-[0-9a-f]*(0123456789|([0-9a-f])\3{3})/];

/** Each value of the stack file that is still an example's placeholder, with its key: the file's first edit. */
function placeholderWarnings(config: Record<string, unknown>): string[] {
    const found: string[] = [];
    const visit = (value: unknown, key: string) => {
        if (typeof value === "string" && PLACEHOLDERS.some((pattern) => pattern.test(value)))
            found.push(`${key} is ${JSON.stringify(value)}, an example's placeholder: replace it with yours before \`pulumi preview\``);
        else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${key}[${i}]`));
        else if (typeof value === "object" && value !== null && !("secure" in value))
            for (const [field, inner] of Object.entries(value)) visit(inner, `${key}.${field}`);
    };
    for (const [key, value] of Object.entries(config)) visit(value, key);
    return found;
}

/** What the stack would create, in the order `pulumi up` does it. */
function summary(config: ParsedConfig, providerConfig: Record<string, string>, unreadable: ReadonlySet<string>): string[] {
    const { database, api, service } = config;
    const from = database.adminAccess === "in-network" ? "a function inside the database's network" : "this machine";
    const migrations = database.migrations
        ? [`  - apply the pending files of ${database.migrations.path}/ (${database.migrations.files.map((f) => f.name).join(", ")}), in that order`]
        : [];
    const roles = api.roles.map((role) => role.name).join(", ");
    const where =
        config.cloud === "aws"
            ? `ECS Fargate behind an Application Load Balancer in ${providerConfig["aws:region"] ?? "the AWS provider's region"}, ` +
              (config.aws.network.mode === "existing" ? `in the existing VPC ${config.aws.network.vpcId}` : "in a new VPC")
            : `Cloud Run in ${config.gcp.region ?? providerConfig["gcp:region"] ?? "the Google provider's region"}`;
    const iamLogin = config.cloud === "gcp" && config.gcp.cloudSqlIamAuthentication;
    // The IAM user's name is known once its service account exists: the declared items count its membership, not its name.
    const declared = Object.keys(declaredItems(iamLogin ? { ...api, rotation: undefined, loginMembers: ["the IAM user"] } : api)).length;
    const login = iamLogin
        ? [
              `  - log PostgREST in as its service account's Cloud SQL IAM user on ${config.gcp.cloudSqlInstance ?? "the created instance"}, through the Cloud SQL Auth Proxy ` +
                  "sidecar, with no password: " +
                  (database.create
                      ? "`pulumi up` turns the created instance's cloudsql.iam_authentication flag on (docs/cloud-sql-iam.md)"
                      : "the instance needs the database flag cloudsql.iam_authentication=on, which `pulumi up` does not set (docs/cloud-sql-iam.md)"),
          ]
        : [];
    return [
        ...(database.create ? [`  - ${createdDatabaseLine(database.create, database.name)}`] : []),
        `  - connect to the database ${database.name} on ${database.host ?? "the created server"}:${database.port} (sslMode ${database.sslMode}) from ${from}`,
        ...migrations,
        iamLogin
            ? `  - create or adopt the authenticator ${api.authenticatorRole} (no password, no LOGIN: the IAM user is its member) and the API roles ${roles}, with ${declared} declared items (roles, memberships, grants)`
            : `  - create or adopt the login role ${api.authenticatorRole} and the API roles ${roles}, with ${declared} declared items (roles, memberships, grants)`,
        ...login,
        `  - run PostgREST ${service.image} on ${where}, ${service.minInstances} to ${service.maxInstances} instances, exposing the schemas ${api.schemas.join(", ")}`,
        ...[...unreadable].sort().map((key) => `  (${key} is a secret: present, its text is checked at \`pulumi preview\`)`),
    ];
}

/** What a created database is, and what `pulumi destroy` would do to it. */
function createdDatabaseLine(spec: CreatedDatabaseSpec, name: string): string {
    const size =
        spec.engine === "rds"
            ? `RDS ${spec.instanceClass}`
            : spec.engine === "aurora-serverless"
              ? `Aurora Serverless v2 ${spec.minCapacity}-${spec.maxCapacity} ACU`
              : `Cloud SQL ${spec.tier}`;
    return `create the database ${name} on ${size}, private, TLS only, up to ${spec.maxConnections} connections; ${onDestroy(spec)}`;
}

if (require.main === module) {
    const stack = process.argv[2];
    if (!stack) {
        console.error("usage: npm run check -- <stack>   (checks Pulumi.<stack>.yaml)");
        process.exit(2);
    }
    const result = checkStack(stack, path.resolve(__dirname, ".."));
    (result.status === 0 ? console.log : console.error)(result.lines.join("\n"));
    process.exit(result.status);
}
