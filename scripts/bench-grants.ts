/**
 * Benchmark: converge TABLES tables x 5 roles from scratch, re-run with
 * nothing to do, and refresh; compared in the same run with the floor (the
 * same statements in one transaction with nothing else; the one catalog
 * query alone) and with the per-grant approach of terraform-provider-postgresql
 * (one connection and transaction per grant, REVOKE ALL then GRANT; one read
 * query per grant on refresh). Fails when the no-op runs a statement or when
 * converge or refresh takes more than twice the floor (medians of interleaved runs).
 *
 * Usage: npm run bench:grants [-- [--skip-per-grant] TABLES [RUNS]]   (default 1000 tables, 5 runs; PostgreSQL 18 from npm)
 * --skip-per-grant leaves out the terraform-style part (minutes at 1000 tables), e.g. while iterating on the provider.
 */
import * as os from "os";
import { Client } from "pg";
import { ApiConfig } from "../components/model/api";
import { converge, observe } from "../components/database/apply";
import { readCatalog } from "../components/database/catalog";
import { qualified } from "../components/database/sql";
import { catalogScope } from "../components/database/declarations";
import { apiConfig, freshDatabase, withClient } from "../testing/databases";
import { stopTestServers, testServer } from "../testing/servers";

const SKIP_PER_GRANT = process.argv.includes("--skip-per-grant");
const [tablesArgument, runsArgument] = process.argv.slice(2).filter((a) => a !== "--skip-per-grant");
const TABLES = Number(tablesArgument ?? 1000);
/** Runs of this provider and its floor, interleaved; the figures are their medians. */
const RUNS = Number(runsArgument ?? 5);
const ROLE_PRIVILEGES: Record<string, string[]> = {
    web_anon: ["select"],
    reader: ["select"],
    writer: ["select", "insert", "update"],
    editor: ["select", "insert", "update", "delete"],
    auditor: ["select", "references"],
};

interface Figures {
    statements: number;
    roundTrips: number;
    seconds: number;
}

function tableNames(): string[] {
    return Array.from({ length: TABLES }, (_, i) => `t${String(i).padStart(4, "0")}`);
}

function benchConfig(): ApiConfig {
    const roles = Object.fromEntries(
        Object.entries(ROLE_PRIVILEGES).map(([role, privileges]) => [
            role,
            { tables: Object.fromEntries(tableNames().map((t) => [`api.${t}`, privileges])) },
        ]),
    );
    return apiConfig({ roles });
}

const SCHEMA_WITH_TABLES = `create schema api;
do $$ begin for i in 0..${TABLES - 1} loop execute format('create table api.%I (id int primary key, body text)', 't' || lpad(i::text, 4, '0')); end loop; end $$;`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
    const start = process.hrtime.bigint();
    const result = await work();
    return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

const MAX_RATIO_TO_FLOOR = 2;

/** `beforeRefresh` runs once the grants are in place, so that a floor measured first reads the same catalog. */
async function ours(
    url: string,
    api: ApiConfig,
    beforeRefresh = async () => {},
): Promise<{ figures: Record<string, Figures>; statements: string[] }> {
    const [created, createSeconds] = await timed(() =>
        converge({ adminUrl: url, desired: api, createdRoles: [], createdSchemas: [], passwords: { authenticator: "BenchmarkPassword0123456789" } }),
    );
    const [noop, noopSeconds] = await timed(() =>
        converge({ adminUrl: url, desired: api, previous: api, createdRoles: created.createdRoles, createdSchemas: [] }),
    );
    await beforeRefresh();
    const [refreshed, refreshSeconds] = await timed(() => observe(url, api));
    if (Object.values(refreshed.observed).some((v) => v !== "declared")) throw new Error("refresh found drift right after converging");
    return {
        figures: {
            "converge from scratch": { statements: created.statementsExecuted, roundTrips: created.roundTrips, seconds: createSeconds },
            "no-op re-run": { statements: noop.statementsExecuted, roundTrips: noop.roundTrips, seconds: noopSeconds },
            refresh: { statements: 0, roundTrips: refreshed.roundTrips, seconds: refreshSeconds },
        },
        statements: created.statements,
    };
}

/** The least any provider must do: connect and run the same statements in one transaction, one round trip. */
async function floorConverge(url: string, statements: string[]): Promise<Figures> {
    const [, seconds] = await timed(() => withClient(url, (client) => client.query(["BEGIN", ...statements, "COMMIT"].join(";\n"))));
    return { statements: statements.length, roundTrips: 1, seconds };
}

/** The least a refresh must do: connect and run the one catalog query, with no comparing. */
async function floorRefresh(url: string, api: ApiConfig): Promise<Figures> {
    const [, seconds] = await timed(() => withClient(url, (client) => readCatalog(client, catalogScope([api], api.objectOwner))));
    return { statements: 0, roundTrips: 1, seconds };
}

/** terraform-provider-postgresql's postgresql_grant, one resource per role and table. */
async function perGrant(url: string): Promise<Record<string, Figures>> {
    const grants = Object.entries(ROLE_PRIVILEGES).flatMap(([role, privileges]) => tableNames().map((table) => ({ role, table, privileges })));
    await withClient(url, (client) =>
        client.query(
            Object.keys(ROLE_PRIVILEGES)
                .map((r) => `CREATE ROLE ${client.escapeIdentifier(r)} NOLOGIN`)
                .join("; "),
        ),
    );
    let statements = 0;
    let roundTrips = 0;
    const [, applySeconds] = await timed(async () => {
        for (const { role, table, privileges } of grants) {
            const client = new Client({ connectionString: url });
            await client.connect();
            const on = `${qualified("api", table)}`;
            const grantee = client.escapeIdentifier(role);
            for (const sql of [
                "BEGIN",
                `REVOKE ALL ON TABLE ${on} FROM ${grantee}`,
                `GRANT ${privileges.join(", ").toUpperCase()} ON TABLE ${on} TO ${grantee}`,
                "COMMIT",
            ]) {
                await client.query(sql);
                roundTrips++;
            }
            statements += 2;
            await client.end();
        }
    });
    // Each resource's Read: one query per grant (on one shared connection, which favours it).
    const [, readSeconds] = await timed(() =>
        withClient(url, async (client) => {
            for (const { role, table } of grants) {
                await client.query(
                    "select array_agg(privilege_type) from information_schema.role_table_grants where table_schema = 'api' and table_name = $1 and grantee = $2",
                    [table, role],
                );
            }
        }),
    );
    const read = { statements: 0, roundTrips: grants.length, seconds: readSeconds };
    return {
        "converge from scratch": { statements, roundTrips, seconds: applySeconds },
        // A plan with nothing to change still reads every grant.
        "no-op re-run": read,
        refresh: read,
    };
}

function machine(): string {
    const cpus = os.cpus();
    return `${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The median of each figure over the runs: the machine is shared, and one run can be off by 2x either way. */
function medians(runs: Figures[]): Figures {
    const median = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        const middle = sorted.length >> 1;
        return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    };
    return {
        statements: median(runs.map((r) => r.statements)),
        roundTrips: median(runs.map((r) => r.roundTrips)),
        seconds: median(runs.map((r) => r.seconds)),
    };
}

async function main(): Promise<void> {
    const server = await testServer(18);
    const api = benchConfig();
    // Warm up (module loading, JIT) on a throwaway database, so that neither side of a comparison pays it.
    const warmup = server.url(await freshDatabase(server, SCHEMA_WITH_TABLES));
    const warm = await converge({
        adminUrl: warmup,
        desired: api,
        createdRoles: [],
        createdSchemas: [],
        passwords: { authenticator: "BenchmarkPassword0123456789" },
    });
    await observe(warmup, api);
    await floorConverge(
        warmup,
        warm.statements.filter((s) => s.startsWith("GRANT")),
    );
    await floorRefresh(warmup, api);
    // Interleaved: each run measures this provider and its floor back to back, on the same state, so that a slow
    // moment of the shared machine hits both sides; which side goes first alternates.
    const oursRuns: Record<string, Figures>[] = [];
    const floorRuns: Record<string, Figures>[] = [];
    for (let run = 0; run < RUNS; run++) {
        const oursFirst = run % 2 === 0;
        const floor: Record<string, Figures> = {};
        // freshDatabase drops the previous database and roles, so each side starts from the same empty state.
        const convergeFloor = async (statements: string[]) => {
            floor["converge from scratch"] = await floorConverge(server.url(await freshDatabase(server, SCHEMA_WITH_TABLES)), statements);
        };
        if (!oursFirst) await convergeFloor(warm.statements);
        const oursDb = server.url(await freshDatabase(server, SCHEMA_WITH_TABLES));
        // The floor's refresh reads the catalog with the grants in place, as ours does, whichever goes first.
        const { figures, statements } = await ours(oursDb, api, async () => {
            if (!oursFirst) floor.refresh = await floorRefresh(oursDb, api);
        });
        if (oursFirst) {
            floor.refresh = await floorRefresh(oursDb, api);
            await convergeFloor(statements);
        }
        oursRuns.push(figures);
        floorRuns.push(floor);
        const ratios = Object.keys(floor).map((step) => `${step} ${(figures[step].seconds / floor[step].seconds).toFixed(2)}x`);
        console.log(`run ${run + 1}/${RUNS}: ${ratios.join(", ")} the floor`);
    }
    const oursFigures = Object.fromEntries(Object.keys(oursRuns[0]).map((step) => [step, medians(oursRuns.map((r) => r[step]))]));
    const floor = Object.fromEntries(Object.keys(floorRuns[0]).map((step) => [step, medians(floorRuns.map((r) => r[step]))]));
    const theirs = SKIP_PER_GRANT ? undefined : await perGrant(server.url(await freshDatabase(server, SCHEMA_WITH_TABLES)));

    const rows = Object.keys(oursFigures).flatMap(
        (step) =>
            [
                [step, "this provider", oursFigures[step]],
                ...(floor[step] ? ([[step, "floor (same work, nothing else)", floor[step]]] as const) : []),
                ...(theirs ? ([[step, "per grant (terraform-style)", theirs[step]]] as const) : []),
            ] as const,
    );
    console.log(
        `\n${TABLES} tables x ${Object.keys(ROLE_PRIVILEGES).length} roles = ${TABLES * Object.keys(ROLE_PRIVILEGES).length} table grants, PostgreSQL ${server.major}, ${machine()}`,
    );
    console.log(
        `this provider and the floor: medians of ${RUNS} interleaved runs; per grant: ${theirs ? "one run" : "skipped (--skip-per-grant)"}\n`,
    );
    console.log("| step | approach | statements | round trips | wall time |");
    console.log("|---|---|---:|---:|---:|");
    for (const [step, approach, f] of rows) console.log(`| ${step} | ${approach} | ${f.statements} | ${f.roundTrips} | ${f.seconds.toFixed(2)} s |`);

    const failures: string[] = [];
    const noopStatements = Math.max(...oursRuns.map((r) => r["no-op re-run"].statements));
    if (noopStatements !== 0) failures.push(`the no-op re-run executed ${noopStatements} statements`);
    for (const step of Object.keys(floor)) {
        const ratio = oursFigures[step].seconds / floor[step].seconds;
        console.log(`${step}: ${ratio.toFixed(2)}x the floor (medians)`);
        if (ratio > MAX_RATIO_TO_FLOOR) failures.push(`${step} took ${ratio.toFixed(2)}x the floor (at most ${MAX_RATIO_TO_FLOOR}x)`);
    }
    if (failures.length > 0) throw new Error(failures.join("; "));
}

main()
    .catch((error) => {
        console.error(error);
        process.exitCode = 1;
    })
    .finally(stopTestServers);
