/** The committed Pulumi.<stack>.yaml files, read the way the engine reads them. */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

const root = path.resolve(__dirname, "..");

/** What a user sets with `pulumi config set --secret` before the first `pulumi up`; never committed. */
export const ADMIN_URL = "postgresql://root:stack-file-admin-pw-51c0@db.internal:5432/startup";

/** Reads a stack file the way the engine does: `postgrest:` keys for the program, the rest for providers. */
export function readStackFile(file: string): { config: Record<string, unknown>; providerConfig: Record<string, string> } {
    const settings = parseYaml(fs.readFileSync(path.join(root, file), "utf8")) as { config: Record<string, unknown> };
    const config: Record<string, unknown> = { databaseAdminUrl: ADMIN_URL };
    const providerConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(settings.config)) {
        if (key.startsWith("postgrest:")) config[key.slice("postgrest:".length)] = value;
        else providerConfig[key] = String(value);
    }
    return { config, providerConfig };
}

/** The stack files in the repository root, such as Pulumi.dev.yaml. */
export function stackFiles(): string[] {
    return fs
        .readdirSync(root)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .sort();
}

/** The stack name a stack file holds: Pulumi.dev-gcp.yaml -> dev-gcp. */
export function stackName(file: string): string {
    return file.replace(/^Pulumi\.(.+)\.yaml$/, "$1");
}
