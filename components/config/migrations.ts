/**
 * `database.migrations`: a folder of SQL files, read when the program starts. Each file's text travels to the
 * provider as an input (not secret: schema, not data), so the same files are applied from this machine, a Lambda
 * function or a Cloud Run function, and the provider's diff can tell which ones are new without a connection.
 */
import * as fs from "fs";
import * as path from "path";
import { Migration } from "../model/migrations";
import { Problems } from "./problems";

export { MIGRATIONS_SCHEMA, migrationChecksum } from "../model/migrations";
export type { Migration } from "../model/migrations";

/** The folder as a config key names it: a path relative to the project, and its files in name order. */
export interface MigrationsConfig {
    path: string;
    files: Migration[];
}

// The texts are inputs of the roles-and-grants resource: stored twice in each state checkpoint (inputs and outputs) and
// sent whole in every in-network request, whose synchronous Lambda payload is at most 6 MB
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). 1 MiB of schema is far above a
// hand-written history and far below that limit once JSON-escaped.
export const MAX_MIGRATIONS_BYTES = 1024 * 1024;

const EXAMPLE = "migrations: migrations (a folder next to Pulumi.yaml holding 001-trees.sql, 002-...)";

/**
 * Reads the `.sql` files of `folder` (relative to `projectDir`), sorted by file name as JavaScript compares
 * strings (code units): the order they are applied in. Other files and sub-folders are left alone.
 */
export function readMigrations(folder: string, projectDir: string, key: string, problems: Problems): MigrationsConfig | undefined {
    if (path.isAbsolute(folder) || folder.split(/[\\/]/).includes("..")) {
        problems.add(key, "must be a folder inside the project, relative to Pulumi.yaml, so that every clone applies the same files", EXAMPLE);
        return undefined;
    }
    const dir = path.join(projectDir, folder);
    let names: string[];
    try {
        names = fs
            .readdirSync(dir, { withFileTypes: true })
            .filter((entry) => entry.isFile() && entry.name.endsWith(".sql"))
            .map((entry) => entry.name)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch (error) {
        const reason = (error as { code?: string }).code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
        problems.add(key, `names the folder ${folder}, which ${reason} in ${projectDir}`, EXAMPLE);
        return undefined;
    }
    if (names.length === 0) {
        problems.add(key, `names the folder ${folder}, which holds no .sql file`, EXAMPLE);
        return undefined;
    }
    const files = names.map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), "utf8") }));
    const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.sql, "utf8"), 0);
    if (bytes > MAX_MIGRATIONS_BYTES) {
        problems.add(
            key,
            `holds ${bytes} bytes of SQL, more than ${MAX_MIGRATIONS_BYTES}: the files travel in the deployment's state and in each in-network request; ` +
                "load bulk data another way (COPY from a file, pg_restore) and keep migrations to schema",
            EXAMPLE,
        );
        return undefined;
    }
    const before = problems.count;
    for (const file of files) {
        const found = transactionStatement(file.sql);
        if (found)
            problems.add(
                key,
                `${file.name} holds ${found.statement} at line ${found.line}: every file runs inside the one transaction that also applies roles and grants, ` +
                    "and must not begin, end or roll it back; remove it",
                EXAMPLE,
            );
    }
    if (problems.count > before) return undefined;
    return { path: folder, files };
}

// Statements that begin, end or roll back a transaction (https://www.postgresql.org/docs/current/sql-commands.html).
const TRANSACTION_CONTROL = new Set(["begin", "start", "commit", "end", "rollback", "abort", "prepare"]);

/**
 * The first top-level statement of `sql` that controls the transaction, and its line: words are read outside
 * comments, quoted strings and identifiers, and dollar-quoted bodies (a function's BEGIN ... END is not one).
 * `ROLLBACK TO SAVEPOINT` stays inside the transaction; `PREPARE name AS` is a prepared statement, not PREPARE TRANSACTION.
 * A SQL-standard body (BEGIN ATOMIC ... END) is skipped to its END.
 */
export function transactionStatement(sql: string): { statement: string; line: number } | undefined {
    const words: { word: string; at: number; starts: boolean }[] = [];
    let starts = true;
    for (let i = 0; i < sql.length;) {
        const rest = sql.slice(i);
        const skip =
            /^--[^\n]*/.exec(rest) ??
            /^\/\*[\s\S]*?\*\//.exec(rest) ??
            /^[eE]'(?:[^'\\]|\\[\s\S]|'')*'/.exec(rest) ??
            /^'(?:[^']|'')*'/.exec(rest) ??
            /^"(?:[^"]|"")*"/.exec(rest) ??
            dollarQuoted(rest);
        if (skip) {
            i += skip[0].length;
            continue;
        }
        const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest);
        if (word) {
            words.push({ word: word[0].toLowerCase(), at: i, starts });
            starts = false;
            i += word[0].length;
            continue;
        }
        if (sql[i] === ";") starts = true;
        else if (!/\s/.test(sql[i])) starts = false;
        i++;
    }
    let atomic = false;
    for (let n = 0; n < words.length; n++) {
        const { word, at, starts: first } = words[n];
        const next = words[n + 1]?.word;
        if (word === "begin" && next === "atomic" && !first) atomic = true;
        if (!first) continue;
        if (atomic) {
            if (word === "end") atomic = false;
            continue;
        }
        if (!TRANSACTION_CONTROL.has(word)) continue;
        if (word === "start" && next !== "transaction") continue;
        if (word === "rollback" && (next === "to" || ((next === "transaction" || next === "work") && words[n + 2]?.word === "to"))) continue;
        if (word === "prepare" && next !== "transaction") continue;
        return { statement: word.toUpperCase(), line: sql.slice(0, at).split("\n").length };
    }
    return undefined;
}

/** A dollar-quoted string at the start of `text` ($$...$$ or $tag$...$tag$), as a match. */
function dollarQuoted(text: string): [string] | undefined {
    const open = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text);
    if (!open) return undefined;
    const close = text.indexOf(open[0], open[0].length);
    return [close < 0 ? text : text.slice(0, close + open[0].length)];
}
