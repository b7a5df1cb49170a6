/**
 * PostgreSQL naming rules, checked at preview so that a name PostgreSQL would
 * reject (or silently truncate) fails before anything is deployed. Names are
 * used exactly as written and always quoted in SQL, so they are case-sensitive.
 */
import { MIGRATIONS_SCHEMA } from "./migrations";

// NAMEDATALEN is 64: identifiers keep at most 63 bytes, longer ones are truncated
// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS).
export const MAX_IDENTIFIER_BYTES = 63;

// CREATE ROLE rejects these names: "role name ... is reserved"
// (src/backend/commands/user.c, src/backend/utils/adt/acl.c check_rolespec).
const RESERVED_ROLE_NAMES = ["public", "none", "current_user", "session_user", "current_role"];

/** Why `name` is not a usable identifier, or undefined when it is. */
export function identifierProblem(name: string): string | undefined {
    if (name.length === 0) return "must not be empty";
    if (name.includes("\0")) return "must not contain a NUL character";
    const bytes = Buffer.byteLength(name, "utf8");
    if (bytes > MAX_IDENTIFIER_BYTES) {
        return `is ${bytes} bytes long; PostgreSQL truncates identifiers to ${MAX_IDENTIFIER_BYTES} bytes`;
    }
    return undefined;
}

/** Why `name` cannot be a role PostgREST uses, or undefined when it can. */
export function roleNameProblem(name: string): string | undefined {
    const problem = identifierProblem(name);
    if (problem) return problem;
    if (RESERVED_ROLE_NAMES.includes(name.toLowerCase())) return `"${name}" is a reserved role name in PostgreSQL`;
    // "role name ... is reserved. Role names starting with "pg_" are reserved." (src/backend/commands/user.c)
    if (name.startsWith("pg_")) return `"${name}" starts with "pg_", which PostgreSQL reserves for system roles`;
    return undefined;
}

/** Why `name` cannot be an exposed schema, or undefined when it can. */
export function schemaNameProblem(name: string): string | undefined {
    const problem = identifierProblem(name);
    if (problem) return problem;
    // CREATE SCHEMA: "The prefix "pg_" is reserved for system schemas." (src/backend/commands/schemacmds.c)
    if (name.startsWith("pg_")) return `"${name}" starts with "pg_", which PostgreSQL reserves for system schemas`;
    // PostgREST v16 refuses to start with pg_catalog or information_schema in db-schemas (CHANGELOG, Migration to v16).
    if (name === "information_schema") return `PostgREST refuses to expose "information_schema"`;
    return undefined;
}

/**
 * Why `name` cannot be one item of a comma-separated PostgREST setting (db-schemas, db-extra-search-path), or
 * undefined: PostgREST splits the value on "," and strips spaces around each item (Config.hs splitOnCommas).
 */
export function commaListItemProblem(name: string): string | undefined {
    if (name.includes(",")) return `"${name}" contains ",", where PostgREST would split it into two names`;
    if (name.trim() !== name) return `"${name}" starts or ends with spaces, which PostgREST strips`;
    return undefined;
}

/** Why `name` cannot be an exposed schema (listed in PGRST_DB_SCHEMAS), or undefined when it can. */
export function exposedSchemaProblem(name: string): string | undefined {
    if (name === MIGRATIONS_SCHEMA) return `"${name}" records which database.migrations were applied and must stay out of the API`;
    return schemaNameProblem(name) ?? commaListItemProblem(name);
}

/** A schema-qualified object name, such as `api.trees`. */
export interface QualifiedName {
    schema: string;
    name: string;
}

/** A function, optionally with its argument types to pick one overload: `api.login(text, text)`. */
export interface FunctionName extends QualifiedName {
    /** Argument types as written; undefined means "the only function of that name". */
    args?: string[];
}

/**
 * Splits `schema.name` into its parts. Either part may be double-quoted to hold
 * dots or quotes (`"my.schema"."a ""b"""`), as in SQL.
 */
export function parseQualifiedName(text: string): QualifiedName | string {
    const parts: string[] = [];
    let rest = text.trim();
    while (rest.length > 0) {
        if (rest.startsWith('"')) {
            const match = /^"((?:[^"]|"")*)"/.exec(rest);
            if (!match) return "has an unterminated double quote";
            parts.push(match[1].replace(/""/g, '"'));
            rest = rest.slice(match[0].length);
        } else {
            const end = rest.indexOf(".");
            parts.push(end === -1 ? rest : rest.slice(0, end));
            rest = end === -1 ? "" : rest.slice(end);
        }
        if (rest.startsWith(".")) {
            rest = rest.slice(1);
            if (rest.length === 0) parts.push("");
        } else if (rest.length > 0) {
            return "has text after a closing quote";
        }
    }
    if (parts.length !== 2) return "must be schema-qualified, as schema.name";
    const [schema, name] = parts;
    const problem = identifierProblem(schema) ?? identifierProblem(name);
    if (problem) return `has a part that ${problem}`;
    return { schema, name };
}

/** Parses `schema.name` or `schema.name(type, type)`. */
export function parseFunctionName(text: string): FunctionName | string {
    const open = text.indexOf("(");
    if (open === -1) return parseQualifiedName(text);
    if (!text.trimEnd().endsWith(")")) return "has an argument list without a closing parenthesis";
    const qualified = parseQualifiedName(text.slice(0, open));
    if (typeof qualified === "string") return qualified;
    const inner = text.slice(open + 1, text.trimEnd().length - 1).trim();
    const parts = inner === "" ? [] : splitTopLevel(inner);
    if (parts === undefined) return "has unbalanced parentheses in its argument list";
    const args = parts.map((arg) => arg.trim().replace(/\s+/g, " "));
    if (args.some((arg) => arg === "")) return "has an empty argument type";
    return { ...qualified, args };
}

/** Splits on commas outside parentheses, so `numeric(10,2), text` is two types; undefined when unbalanced. */
function splitTopLevel(text: string): string[] | undefined {
    const parts = [""];
    let depth = 0;
    for (const char of text) {
        if (char === "(") depth++;
        if (char === ")" && --depth < 0) return undefined;
        if (char === "," && depth === 0) parts.push("");
        else parts[parts.length - 1] += char;
    }
    return depth === 0 ? parts : undefined;
}

/** Formats a name back to the form the user writes, quoting parts only when needed. */
export function formatQualifiedName(name: QualifiedName): string {
    const part = (p: string) => (/^[^".()]+$/.test(p) ? p : `"${p.replace(/"/g, '""')}"`);
    return `${part(name.schema)}.${part(name.name)}`;
}
