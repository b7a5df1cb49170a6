/**
 * The request the provider makes of an Applier, to converge or observe. The
 * direct transport runs apply.ts in this process; the in-network ones send the
 * same request to a function inside the database's network (transports/), whose
 * entry (entries/) answers it with handleAccessRequest, here again. Both ends
 * share the planner, the catalog reader and the SQL: only the wire differs.
 */
import { ApiConfig } from "../model/api";
import { ConvergeRequest, converge, observe } from "./apply";
import { MigrationChecksums } from "./migrations";
import { TlsDefaults } from "./tls";

export interface ObserveRequest {
    adminUrl: string;
    api: ApiConfig;
    /** database.sslMode and database.sslRootCert, for an admin URL without sslmode. @default { sslMode: "require" } */
    adminTls?: TlsDefaults;
    /** Read the database.migrations record too: the resource declares migrations. @default false */
    migrations?: boolean;
}

/** What the provider needs of a converge: small, and free of SQL text (a statement may hold the authenticator's SCRAM verifier). */
export interface ConvergeOutcome {
    createdRoles: string[];
    createdSchemas: string[];
    statementsExecuted: number;
    /** The migration files applied, in order. */
    migrationsApplied: string[];
}

export interface ObserveOutcome {
    /** Each declared item and whether it holds (see observeAccess). */
    observed: Record<string, string>;
    /** What the database records as applied of database.migrations. */
    migrations: MigrationChecksums;
}

export interface Applier {
    converge(request: ConvergeRequest): Promise<ConvergeOutcome>;
    observe(request: ObserveRequest): Promise<ObserveOutcome>;
}

/** A request as it crosses the wire to the in-network function. */
export type AccessRequest = { operation: "converge"; request: ConvergeRequest } | { operation: "observe"; request: ObserveRequest };

/** Runs apply.ts in this process: the direct transport, and the function's body. */
export const localApplier: Applier = {
    async converge(request) {
        const { createdRoles, createdSchemas, statementsExecuted, migrationsApplied } = await converge(request);
        return { createdRoles, createdSchemas, statementsExecuted, migrationsApplied };
    },
    async observe(request) {
        const { observed, migrations } = await observe(request.adminUrl, request.api, request.adminTls, request.migrations);
        return { observed, migrations };
    },
};

/** Answers one wire request with the local applier. */
export function handleAccessRequest(event: AccessRequest): Promise<ConvergeOutcome | ObserveOutcome> {
    switch (event?.operation) {
        case "converge":
            return localApplier.converge(event.request);
        case "observe":
            return localApplier.observe(event.request);
        default:
            return Promise.reject(
                new Error(`unknown operation ${JSON.stringify((event as { operation?: unknown })?.operation)}: expected converge or observe`),
            );
    }
}
