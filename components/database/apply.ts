/**
 * Stage 5, apply: reads the catalog, plans and runs the plan in one transaction,
 * serialized with every other apply by a transaction-level advisory lock, with
 * bounded waits. The catalog is read after the lock is taken, so two applies at once plan on
 * what the other one committed and both succeed; an apply on another database of the same
 * server that creates or alters the same role at once makes one of them plan again (RACE_LOST, CONCURRENT_UPDATE). Any failure rolls back
 * everything: nothing is left half-applied.
 */
import { ApiConfig } from "../model/api";
import { Plan, observeAccess, planAccess } from "./plan";
import { readCatalog } from "./catalog";
import { Migration, MigrationChecksums, MigrationError, applyMigrations, readAppliedMigrations } from "./migrations";
import { RoleMarker } from "./role-marker";
import { unrevokedGrants } from "./grantors";
import { catalogScope } from "./declarations";
import { scramVerifier } from "./scram";
import { LOCK_TIMEOUT, STATEMENT_TIMEOUT, Session, withSession } from "./session";
import { TlsDefaults } from "./tls";

// Any constant works as long as every apply uses the same one; advisory locks are per database.
const ADVISORY_LOCK_KEY = 7_370_011_220_601;
// Roles and memberships are cluster-wide, the lock is not: an apply on another database of the server may create the
// same role or membership at the same moment. The loser gets one of these SQLSTATEs after the winner commits
// (https://www.postgresql.org/docs/current/errcodes-appendix.html) and plans again on what the winner made.
// An array, not a Set: Pulumi's closure serialization turns a captured Set into a plain object.
const RACE_LOST = ["23505", "42710", "40P01"];
// Two applies on two databases that alter the same role (an adopted one, or its comment) at once: the second waits for
// the first's row, then fails with this internal error (XX000) once the first commits; planning again sees the change.
const CONCURRENT_UPDATE = /^tuple concurrently (updated|deleted)$/;
const ATTEMPTS = 3;

export interface ConvergeRequest {
    adminUrl: string;
    /** database.sslMode and database.sslRootCert, for an admin URL without sslmode. @default { sslMode: "require" } */
    adminTls?: TlsDefaults;
    /** The config to converge to; undefined deletes what `previous` declared. */
    desired?: ApiConfig;
    previous?: ApiConfig;
    createdRoles: string[];
    createdSchemas: string[];
    /** Login roles' passwords, by role, for those that must be (re)set; kept out of SQL text and errors. */
    passwords?: Record<string, string>;
    /** database.migrations: the pending ones run first, in the same transaction. @default [] */
    migrations?: Migration[];
    /** Who this resource is: the marker its roles carry (role-marker.ts). @default undefined (none read or written) */
    roleMarker?: RoleMarker;
}

export interface ConvergeResult extends Plan {
    /** Statements run to converge (0 when nothing differed), and client-server round trips in all. */
    statementsExecuted: number;
    roundTrips: number;
    /** The migration files this apply ran, in order. */
    migrationsApplied: string[];
}

export async function converge(request: ConvergeRequest): Promise<ConvergeResult> {
    return withSession(
        request.adminUrl,
        request.adminTls,
        Object.values(request.passwords ?? {}),
        "applying roles and grants failed, nothing was changed",
        async (session) => {
            for (let attempt = 1; ; attempt++) {
                try {
                    return await convergeOnce(session, request);
                } catch (error) {
                    const raceLost = !(error instanceof MigrationError) && lostRace(error as { code?: string; message?: string });
                    if (attempt >= ATTEMPTS || !raceLost) throw error;
                }
            }
        },
    );
}

function lostRace(error: { code?: string; message?: string }): boolean {
    return RACE_LOST.includes(error.code ?? "") || (error.code === "XX000" && CONCURRENT_UPDATE.test(error.message ?? ""));
}

/** One transaction: lock, inspect, plan, apply; rolled back whole on any error. */
async function convergeOnce(session: Session, request: ConvergeRequest): Promise<ConvergeResult> {
    await session.query(
        `BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'; SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'; ` +
            `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`,
    );
    try {
        // Before the catalog is read: the grants are planned on the tables the migrations make.
        const migrationsApplied = await applyMigrations(session, request.migrations ?? []);
        const configs = [request.desired, request.previous].filter((c): c is ApiConfig => c !== undefined);
        const scope = catalogScope(configs, request.desired?.objectOwner);
        const catalog = await readCatalog(session, scope);
        const plan = planAccess({
            desired: request.desired,
            previous: request.previous,
            catalog,
            createdRoles: request.createdRoles,
            createdSchemas: request.createdSchemas,
            passwordVerifiers: Object.fromEntries(Object.entries(request.passwords ?? {}).map(([role, password]) => [role, scramVerifier(password)])),
            roleMarker: request.roleMarker,
        });
        if (plan.statements.length > 0 || migrationsApplied.length > 0) {
            session.warnings.length = 0;
            // One round trip for all statements; NOTIFY is delivered on commit only, so PostgREST reloads once it is all in place.
            await session.query([...plan.statements, "NOTIFY pgrst, 'reload schema'"].join(";\n"));
            // A REVOKE removes only its caller's grants, and the server does not always warn: what it left is read back.
            const revokes = plan.revoking.memberships.length + plan.revoking.grants.length > 0;
            const unrevoked = revokes ? unrevokedGrants(plan.revoking, await readCatalog(session, scope)) : [];
            if (session.warnings.length > 0 || unrevoked.length > 0) {
                throw new Error(`the server did less than planned: ${[...session.warnings, ...unrevoked].join("; ")}`);
            }
        }
        await session.query("COMMIT");
        return { ...plan, statementsExecuted: plan.statements.length, roundTrips: session.roundTrips, migrationsApplied };
    } catch (error) {
        await session.query("ROLLBACK").catch(() => undefined);
        throw error;
    }
}

export interface Observation {
    /** Each declared line and whether it holds: see observeAccess. */
    observed: Record<string, string>;
    /** Client-server round trips the reading took. */
    roundTrips: number;
    /** The migrations the database recorded as applied. */
    migrations: MigrationChecksums;
}

/** Reads what holds of `api` in the database (for refresh), and the migrations record when `withMigrations`. */
export async function observe(adminUrl: string, api: ApiConfig, adminTls?: TlsDefaults, withMigrations = false): Promise<Observation> {
    return withSession(adminUrl, adminTls, [], "reading roles and grants failed", async (session) => {
        const observed = observeAccess(api, await readCatalog(session, catalogScope([api], api.objectOwner)));
        const migrations = withMigrations ? await readAppliedMigrations(session) : {};
        return { observed, roundTrips: session.roundTrips, migrations };
    });
}
