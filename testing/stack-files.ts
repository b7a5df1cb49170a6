/** The committed Pulumi.<stack>.yaml files, read the way the engine reads them. */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

const root = path.resolve(__dirname, "..");

/** What a user sets with `pulumi config set --secret` before the first `pulumi up` of a stack that names its server; never committed. */
export const ADMIN_URL = "postgresql://root:stack-file-admin-pw-51c0@db.internal:5432/startup";

/** Reads a stack file the way the engine does: `postgrest:` keys for the program, the rest for providers. */
export function readStackFile(file: string): { config: Record<string, unknown>; providerConfig: Record<string, string> } {
    const settings = parseYaml(fs.readFileSync(path.join(root, file), "utf8")) as { config: Record<string, unknown> };
    const config: Record<string, unknown> = {};
    const providerConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(settings.config)) {
        if (key.startsWith("postgrest:")) config[key.slice("postgrest:".length)] = value;
        else providerConfig[key] = String(value);
    }
    // A stack that creates its database, or reads the admin secret from the cloud, has no admin URL to set.
    const database = (config.database ?? {}) as Record<string, unknown>;
    if (database.create === undefined && database.adminSecret === undefined) config.databaseAdminUrl = ADMIN_URL;
    return { config, providerConfig };
}

/** The stack files in the repository root, such as Pulumi.dev.yaml. */
export function stackFiles(): string[] {
    return fs
        .readdirSync(root)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .sort();
}

/** The stack files for a database you already have, which a user copies next to Pulumi.yaml. */
export const EXAMPLES_FOLDER = "examples/existing-database";

/** The example stack files, by their path from the repository root. */
export function exampleStackFiles(): string[] {
    return fs
        .readdirSync(path.join(root, EXAMPLES_FOLDER))
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .sort()
        .map((f) => `${EXAMPLES_FOLDER}/${f}`);
}

/** The stack name a stack file holds: Pulumi.dev-gcp.yaml -> dev-gcp. */
export function stackName(file: string): string {
    return path.basename(file).replace(/^Pulumi\.(.+)\.yaml$/, "$1");
}
