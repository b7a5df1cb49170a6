/**
 * database.adminSecret: the admin credentials kept in the cloud's secret store instead of the stack's
 * databaseAdminUrl. The stack keeps only this reference; the provider reads the value when an operation needs it
 * (components/database/admin-secret.ts), so a password the database's provider rotates never breaks a deploy.
 * Which references a stack may name is the config's (components/config/admin-secret.ts).
 */

/** Where the admin credentials are, and the database they are for (database.host, port and name). */
export interface AdminSecretReference {
    /** An AWS Secrets Manager secret ARN, or a GCP Secret Manager secret (projects/P/secrets/S, optionally /versions/V). */
    secret: string;
    host: string;
    port: number;
    database: string;
}

/** Which store holds `secret`: its ARN says Secrets Manager, anything else is a Secret Manager name. */
export function secretStoreOf(secret: string): "aws" | "gcp" {
    return secret.startsWith("arn:") ? "aws" : "gcp";
}

/**
 * The admin URL from a secret's text and the database it is for. The text is either the JSON RDS and Aurora store for
 * a managed master user ({"username", "password", ...}) or a postgresql:// URL, of which the user, the password and the
 * query (sslmode...) are kept. Host, port and database always come from the reference: the stack's database.
 */
export function adminUrlFromSecret(text: string, reference: AdminSecretReference): string {
    const target = new URL(`postgresql://${reference.host.includes(":") ? `[${reference.host}]` : reference.host}:${reference.port}`);
    target.pathname = `/${encodeURIComponent(reference.database)}`;
    const trimmed = text.trim();
    if (trimmed.startsWith("{")) {
        let parsed: { username?: unknown; password?: unknown };
        try {
            parsed = JSON.parse(trimmed);
        } catch {
            throw new Error("the admin secret is neither JSON with username and password nor a postgresql:// URL");
        }
        if (typeof parsed.username !== "string" || typeof parsed.password !== "string")
            throw new Error('the admin secret\'s JSON has no "username" and "password" strings, as RDS and Aurora store a managed master user');
        target.username = encodeURIComponent(parsed.username);
        target.password = encodeURIComponent(parsed.password);
        return target.toString();
    }
    let given: URL;
    try {
        given = new URL(trimmed);
    } catch {
        throw new Error("the admin secret is neither JSON with username and password nor a postgresql:// URL");
    }
    if (given.protocol !== "postgresql:" && given.protocol !== "postgres:") throw new Error("the admin secret's URL must start with postgresql://");
    target.username = given.username;
    target.password = given.password;
    target.search = given.search;
    return target.toString();
}

/** The database a reference names, as a URL without credentials: how the provider tells one database from another. */
export function referenceTarget(reference: AdminSecretReference): string {
    return adminUrlFromSecret('{"username":"","password":""}', reference).replace("postgresql://:@", "postgresql://");
}
