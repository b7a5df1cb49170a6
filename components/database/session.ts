/**
 * The admin connection: opened in one place (connectAdmin), counted, and
 * closed after the work; errors come out explained and scrubbed.
 */
import type { Client } from "pg";
import { isPlanError, planError } from "./plan";
import { Queryable } from "./catalog";
import { describeTarget, scrub, secretForms } from "./scrub";
import { AdminConnectionConfig, TlsDefaults, adminConnectionConfig, explainTlsFailure } from "./tls";

// Waits are bounded so that a stuck deployment fails with a clear error instead of hanging.
export const LOCK_TIMEOUT = "30s";
export const STATEMENT_TIMEOUT = "5min";
const CONNECT_TIMEOUT_MS = 15_000;
/** The longest apply, for the in-network functions' timeouts: the connect, lock and statement timeouts above, with room to spare. */
export const APPLY_TIMEOUT_SECONDS = 360;

export interface Session extends Queryable {
    roundTrips: number;
    /** The server's WARNINGs since the session opened, explained (see WARNING_EXPLANATIONS). */
    warnings: string[];
}

/** database.sslMode's default: encrypted, not verified. */
const DEFAULT_TLS: TlsDefaults = { sslMode: "require" };

/** Opens a connection to `adminUrl` as the admin user, TLS as libpq would (tls.ts); the only place the provider connects. */
async function connectAdmin(connection: AdminConnectionConfig): Promise<Client> {
    // Required here, not at the top: the engine runs this code from a serialized closure.
    const pg = require("pg") as typeof import("pg");
    const { sslMode: _mode, ...clientConfig } = connection;
    const client = new pg.Client({ ...clientConfig, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: "postgrest-access" });
    // An error event after connecting would otherwise crash the process with the raw error.
    client.on("error", () => undefined);
    try {
        await client.connect();
    } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
    }
    return client;
}

/**
 * Connects as the admin, runs `work`, and disconnects. Errors come out
 * explained and scrubbed: no URL, password or verifier in any message.
 * `adminTls` (database.sslMode and sslRootCert) applies when the URL names no sslmode.
 */
export async function withSession<T>(
    adminUrl: string,
    adminTls: TlsDefaults | undefined,
    passwords: string[],
    failure: string,
    work: (session: Session) => Promise<T>,
): Promise<T> {
    const secrets = secretForms(adminUrl, passwords);
    const target = describeTarget(adminUrl) ?? "the database";
    let connection: AdminConnectionConfig | undefined;
    let connected: Client;
    try {
        connection = adminConnectionConfig(adminUrl, adminTls ?? DEFAULT_TLS);
        connected = await connectAdmin(connection);
    } catch (error) {
        const tlsFailure = connection && explainTlsFailure(error as { code?: string; message?: string }, connection.sslMode);
        throw explain(error, `cannot connect to ${target} as the admin user`, secrets, tlsFailure);
    }
    const session: Session = {
        roundTrips: 0,
        warnings: [],
        query(text, values) {
            session.roundTrips++;
            return connected.query(text, values);
        },
    };
    connected.on("notice", (notice) => {
        if (notice.severity === "WARNING") session.warnings.push(explainWarning(notice));
    });
    try {
        return await work(session);
    } catch (error) {
        throw explain(error, `${failure} (${target})`, secrets);
    } finally {
        await connected.end().catch(() => undefined);
    }
}

// SQLSTATEs worth a sentence (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const EXPLANATIONS: Record<string, string> = {
    "42501": "the admin user lacks a privilege (on PostgreSQL 16+, granting or altering a role needs ADMIN OPTION on it)",
    "2BP01": "a role cannot be dropped: it still owns objects or holds privileges outside what this stack declares",
    "55P03": `another deployment held the lock for more than ${LOCK_TIMEOUT}`,
    "57014": `a statement ran for more than ${STATEMENT_TIMEOUT}`,
    "28P01": "the admin password was rejected",
    "3D000": "the database does not exist",
};

// The server only warns, and the statement succeeds, when it did less than asked (https://www.postgresql.org/docs/current/sql-grant.html,
// sql-revoke.html): the state would then differ from what `up` reports. Class 01 is "warning" (errcodes-appendix).
const WARNING_EXPLANATIONS: Record<string, string> = {
    "01007":
        "the admin user lacks GRANT OPTION on that object: make the admin a member of its owner (GRANT <owner> TO <admin>), or have the owner grant it",
    "01006":
        "the admin user may revoke only what it granted, or what the object's owner may: make the admin a member of its owner, or have the owner revoke it",
    "01000": "PostgreSQL 16+ records who granted a membership, and only that grantor (or a superuser) may revoke it: have them revoke it",
};

function explainWarning(notice: { code?: string; message?: string }): string {
    return [notice.message, WARNING_EXPLANATIONS[notice.code ?? ""]].filter(Boolean).join(": ");
}

function explain(error: unknown, context: string, secrets: string[], explanation?: string): Error {
    if (isPlanError(error)) return planError(error.problems.map((p) => scrub(p, secrets)));
    const e = (error ?? {}) as { message?: string; code?: string; detail?: string; hint?: string };
    const parts = [
        explanation ?? EXPLANATIONS[e.code ?? ""],
        e.message ?? String(error),
        e.detail && `detail: ${e.detail}`,
        e.hint && `hint: ${e.hint}`,
    ];
    // A new Error, not a wrapper: the original may carry the URL in other fields (e.g. URL parse errors' `input`).
    return new Error(scrub(`${context}: ${parts.filter(Boolean).join("; ")}`, secrets));
}
