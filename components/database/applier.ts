/**
 * Runs a plan against the database: one transaction, serialized with every
 * other apply by a transaction-level advisory lock, with bounded waits. The
 * catalog is read after the lock is taken, so two applies at once plan on
 * what the other one committed and both succeed. Any failure rolls back
 * everything: nothing is left half-applied.
 */
import type { Client } from "pg";
import { ApiConfig } from "../config/api";
import { Queryable, readCatalog } from "./catalog";
import { catalogScope } from "./declared";
import { Plan, PlanError, observeAccess, planAccess } from "./planner";
import { describeTarget, scramVerifier, scrub, secretForms } from "./secrets";

// Waits are bounded so that a stuck deployment fails with a clear error instead of hanging.
const LOCK_TIMEOUT = "30s";
const STATEMENT_TIMEOUT = "5min";
const CONNECT_TIMEOUT_MS = 15_000;
// Any constant works as long as every apply uses the same one; advisory locks are per database.
const ADVISORY_LOCK_KEY = 7_370_011_220_601;

export interface ConvergeRequest {
    adminUrl: string;
    /** The config to converge to; undefined deletes what `previous` declared. */
    desired?: ApiConfig;
    previous?: ApiConfig;
    createdRoles: string[];
    createdSchemas: string[];
    /** The authenticator's password when it must be (re)set; kept out of SQL text and errors. */
    password?: string;
}

export interface ConvergeResult extends Plan {
    /** Statements run to converge (0 when nothing differed), and client-server round trips in all. */
    statementsExecuted: number;
    roundTrips: number;
}

export async function converge(request: ConvergeRequest): Promise<ConvergeResult> {
    return withSession(request.adminUrl, request.password, "applying roles and grants failed, nothing was changed", async (session) => {
        await session.query(
            `BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'; SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'; ` +
                `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`,
        );
        try {
            const configs = [request.desired, request.previous].filter((c): c is ApiConfig => c !== undefined);
            const catalog = await readCatalog(session, catalogScope(configs, request.desired?.objectOwner));
            const plan = planAccess({
                desired: request.desired,
                previous: request.previous,
                catalog,
                createdRoles: request.createdRoles,
                createdSchemas: request.createdSchemas,
                passwordVerifier: request.password === undefined ? undefined : scramVerifier(request.password),
            });
            if (plan.statements.length > 0) {
                // One round trip for all statements; NOTIFY is delivered on commit only, so PostgREST reloads once it is all in place.
                await session.query([...plan.statements, "NOTIFY pgrst, 'reload schema'"].join(";\n"));
            }
            await session.query("COMMIT");
            return { ...plan, statementsExecuted: plan.statements.length, roundTrips: session.roundTrips };
        } catch (error) {
            await session.query("ROLLBACK").catch(() => undefined);
            throw error;
        }
    });
}

export interface Observation {
    /** Each declared line and whether it holds: see observeAccess. */
    observed: Record<string, string>;
    /** Client-server round trips the reading took. */
    roundTrips: number;
}

/** Reads what holds of `api` in the database (for refresh). */
export async function observe(adminUrl: string, api: ApiConfig): Promise<Observation> {
    return withSession(adminUrl, undefined, "reading roles and grants failed", async (session) => {
        const observed = observeAccess(api, await readCatalog(session, catalogScope([api], api.objectOwner)));
        return { observed, roundTrips: session.roundTrips };
    });
}

interface Session extends Queryable {
    roundTrips: number;
}

/**
 * Connects as the admin, runs `work`, and disconnects. Errors come out
 * explained and scrubbed: no URL, password or verifier in any message.
 */
async function withSession<T>(adminUrl: string, password: string | undefined, failure: string, work: (session: Session) => Promise<T>): Promise<T> {
    const secrets = secretForms(adminUrl, password);
    const target = describeTarget(adminUrl) ?? "the database";
    // Required here, not at the top: the engine runs this code from a serialized closure.
    const pg = require("pg") as typeof import("pg");
    let client: Client | undefined;
    try {
        client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: "postgrest-access" });
        // An error event after connecting would otherwise crash the process with the raw error.
        client.on("error", () => undefined);
        await client.connect();
    } catch (error) {
        await client?.end().catch(() => undefined);
        throw explain(error, `cannot connect to ${target} as the admin user`, secrets);
    }
    const connected = client;
    const session: Session = {
        roundTrips: 0,
        query(text, values) {
            session.roundTrips++;
            return connected.query(text, values);
        },
    };
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

function explain(error: unknown, context: string, secrets: string[]): Error {
    if (error instanceof PlanError) return new PlanError(error.problems.map((p) => scrub(p, secrets)));
    const e = (error ?? {}) as { message?: string; code?: string; detail?: string; hint?: string };
    const parts = [EXPLANATIONS[e.code ?? ""], e.message ?? String(error), e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`];
    // A new Error, not a wrapper: the original may carry the URL in other fields (e.g. URL parse errors' `input`).
    return new Error(scrub(`${context}: ${parts.filter(Boolean).join("; ")}`, secrets));
}
