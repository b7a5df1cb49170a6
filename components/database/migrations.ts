/**
 * database.migrations, applied inside converge's transaction (apply.ts): after the advisory lock, before the catalog
 * is read, so roles and grants are planned on the tables the migrations made, and a failing file rolls back the
 * grants too. Applied files are recorded, with their sha256, in postgrest_migrations.applied.
 *
 * Why not a library. postgrator and node-pg-migrate both read the migrations from a folder on the disk where they
 * run (no folder exists in the Lambda or Cloud Run function: the texts travel in the request) and both own the
 * transaction: node-pg-migrate's runner sends its own BEGIN and COMMIT (singleTransaction) and takes its own
 * session-level lock, and its COMMIT would end this transaction before the grants; postgrator runs and records file
 * after file, leaving earlier files applied when a later one fails, and records an md5. Each would split the one
 * transaction this design rests on; what is left to do here (a table, a checksum, an ordered loop) is small.
 */
import { MIGRATIONS_SCHEMA, Migration, migrationChecksum } from "../model/migrations";
import { Queryable } from "./catalog";

export { MIGRATIONS_SCHEMA, Migration, migrationChecksum };

/** File name -> "sha256:<hex>" of what was applied (or, in inputs, of what is declared). */
export type MigrationChecksums = Record<string, string>;

const TABLE = `${MIGRATIONS_SCHEMA}.applied`;

/** The declared files' checksums: the resource's visible `migrations` input, which the preview prints. */
export function declaredMigrations(files: Migration[]): MigrationChecksums {
    return Object.fromEntries(files.map((file) => [file.name, migrationChecksum(file.sql)]));
}

/**
 * Why the declared files cannot be applied on top of `applied`, or nothing: a file applied before and edited since,
 * or a new file whose name sorts before one already applied (it would run after files that come later by name).
 */
export function migrationProblems(applied: MigrationChecksums, declared: MigrationChecksums): string[] {
    const problems: string[] = [];
    for (const [name, checksum] of Object.entries(declared)) {
        const recorded = applied[name];
        if (recorded !== undefined && recorded !== checksum)
            problems.push(
                `migration ${name} was applied (${recorded}) and has been edited since (${checksum}): an applied migration must not change; ` +
                    "restore it and put the change in a new file whose name sorts after the last one",
            );
    }
    const last = Object.keys(applied).sort().pop();
    for (const name of pendingMigrations(applied, declared))
        if (last !== undefined && name < last)
            problems.push(`migration ${name} is new but sorts before ${last}, which is applied: rename it to sort after ${last}`);
    return problems;
}

/** The declared files not applied yet, in the order they run. */
export function pendingMigrations(applied: MigrationChecksums, declared: MigrationChecksums): string[] {
    return Object.keys(declared)
        .filter((name) => applied[name] === undefined)
        .sort();
}

export class MigrationError extends Error {}

/** What the database recorded; empty when no migration was ever applied there. */
export async function readAppliedMigrations(session: Queryable): Promise<MigrationChecksums> {
    const exists = await session.query("select to_regclass($1) is not null as present", [TABLE]);
    if (!exists.rows[0].present) return {};
    const rows = await session.query(`select name, checksum from ${TABLE} order by name`);
    return Object.fromEntries(rows.rows.map((row: { name: string; checksum: string }) => [row.name, row.checksum]));
}

// Set LOCAL in the transaction: a file that ends the transaction (COMMIT, ROLLBACK) resets it, which is how that is caught.
const IN_TRANSACTION_MARK = "postgrest.migrations_transaction";

/**
 * Applies the pending files in name order and records each, inside the caller's open transaction. Refuses, before
 * running any file, edited or misordered ones; a failing file's error names it and the line. Returns the names applied.
 */
export async function applyMigrations(session: Queryable, files: Migration[]): Promise<string[]> {
    // No round trip for a stack without migrations.
    if (files.length === 0) return [];
    const declared = declaredMigrations(files);
    const applied = await readAppliedMigrations(session);
    const problems = migrationProblems(applied, declared);
    if (problems.length > 0) throw new MigrationError(problems.join("; "));
    const pending = pendingMigrations(applied, declared);
    if (pending.length === 0) return [];
    // The admin user owns the schema; PUBLIC gets no USAGE on a new schema, so API roles cannot read it.
    await session.query(
        `CREATE SCHEMA IF NOT EXISTS ${MIGRATIONS_SCHEMA}; ` +
            `CREATE TABLE IF NOT EXISTS ${TABLE} (name text PRIMARY KEY, checksum text NOT NULL, ` +
            "applied_at timestamptz NOT NULL DEFAULT now(), applied_by name NOT NULL DEFAULT current_user); " +
            `SET LOCAL ${IN_TRANSACTION_MARK} = 'open'`,
    );
    const byName = new Map(files.map((file) => [file.name, file]));
    for (const name of pending) {
        const file = byName.get(name)!;
        try {
            await session.query(file.sql);
        } catch (error) {
            const e = error as { message?: string; position?: string };
            const line = e.position === undefined ? "" : ` at line ${lineOf(file.sql, Number(e.position))}`;
            throw Object.assign(new MigrationError(`migration ${name} failed${line}: ${e.message ?? String(error)}`), {
                code: (error as { code?: string }).code,
            });
        }
        const mark = await session.query("select current_setting($1, true) as mark", [IN_TRANSACTION_MARK]);
        if (mark.rows[0].mark !== "open")
            throw new MigrationError(
                `migration ${name} ends the transaction (COMMIT, ROLLBACK or END): every file runs in the one transaction that also applies roles ` +
                    "and grants; remove its transaction statements (what ran before them may be committed: check the database)",
            );
        await session.query(`INSERT INTO ${TABLE} (name, checksum) VALUES ($1, $2)`, [name, declared[name]]);
    }
    return pending;
}

/** The 1-based line of a 1-based character position, as PostgreSQL reports an error's position. */
function lineOf(text: string, position: number): number {
    return text.slice(0, Math.max(0, position - 1)).split("\n").length;
}
