/**
 * The `api.roles` block: what each API role may do, read into plain
 * RoleSpec data (grants on named objects, on columns, schema-wide, and
 * default privileges for objects created later).
 */
import type { RoleSpec } from "../model/api";
import { parseFunctionName, parseQualifiedName, roleNameProblem, schemaNameProblem, identifierProblem } from "../model/identifiers";
import {
    COLUMN_PRIVILEGES,
    ColumnGrant,
    ColumnPrivilege,
    DEFAULT_PRIVILEGE_KINDS,
    DefaultPrivilegeGrant,
    DefaultPrivilegeKind,
    FUNCTION_PRIVILEGES,
    SEQUENCE_PRIVILEGES,
    SchemaWideGrant,
    TABLE_PRIVILEGES,
} from "../model/privileges";
import { JsonObject, Problems, describeValue, isObject, readObject, readStringList, rejectUnknownKeys } from "./problems";

const ROLE_KEYS = ["memberOf", "tables", "columns", "sequences", "functions", "allTables", "allSequences", "allFunctions", "defaultPrivileges"];
export const ROLES_EXAMPLE = "api: { roles: { web_anon: { tables: { api.trees: [select] } } } }";

export function parseRoles(value: unknown, key: string, problems: Problems): RoleSpec[] | undefined {
    if (value === undefined) {
        problems.add(key, "is required: declare at least the anonymous role and what it may do", ROLES_EXAMPLE);
        return undefined;
    }
    const obj = readObject(value, key, problems, ROLES_EXAMPLE);
    if (!obj) return undefined;
    const roles: RoleSpec[] = [];
    let valid = true;
    for (const [name, body] of Object.entries(obj)) {
        const roleKey = `${key}.${name}`;
        const problem = roleNameProblem(name);
        if (problem) {
            problems.add(roleKey, `role name ${problem}`, `${key}.web_anon`);
            valid = false;
            continue;
        }
        const role = parseRole(name, body ?? {}, roleKey, problems);
        if (role) roles.push(role);
        else valid = false;
    }
    return valid ? roles : undefined;
}

function parseRole(name: string, value: unknown, key: string, problems: Problems): RoleSpec | undefined {
    const obj = readObject(value, key, problems, "{ tables: { api.trees: [select] } }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, ROLE_KEYS, problems);
    const before = problems.count;

    const memberOf = readStringList(obj, "memberOf", key, problems, { default: [], example: "memberOf: [web_anon]", check: roleNameProblem }) ?? [];
    if (memberOf.includes(name)) problems.add(`${key}.memberOf`, "a role cannot be a member of itself", "memberOf: [web_anon]");

    const role: RoleSpec = {
        name,
        memberOf,
        tables: parseNamedGrants(
            obj,
            "tables",
            key,
            problems,
            parseQualifiedName,
            TABLE_PRIVILEGES,
            "table or view",
            "tables: { api.trees: [select, insert] }",
        ),
        sequences: parseNamedGrants(
            obj,
            "sequences",
            key,
            problems,
            parseQualifiedName,
            SEQUENCE_PRIVILEGES,
            "sequence",
            "sequences: { api.trees_id_seq: [usage] }",
        ),
        functions: parseNamedGrants(
            obj,
            "functions",
            key,
            problems,
            parseFunctionName,
            FUNCTION_PRIVILEGES,
            "function",
            'functions: { "api.login(text, text)": [execute] }',
        ),
        columns: parseColumnGrants(obj, key, problems),
        allTables: parseSchemaWide(obj, "allTables", key, problems, TABLE_PRIVILEGES, "table or view", "allTables: { api: [select] }"),
        allSequences: parseSchemaWide(obj, "allSequences", key, problems, SEQUENCE_PRIVILEGES, "sequence", "allSequences: { api: [usage] }"),
        allFunctions: parseSchemaWide(obj, "allFunctions", key, problems, FUNCTION_PRIVILEGES, "function", "allFunctions: { api: [execute] }"),
        defaultPrivileges: parseDefaultPrivileges(obj, key, problems),
    };
    return problems.count === before ? role : undefined;
}

/**
 * Reads a privilege list such as `[select, insert]`. Case-insensitive; `all`
 * stands for every privilege of the kind.
 */
function parsePrivileges<P extends string>(
    value: unknown,
    key: string,
    problems: Problems,
    allowed: readonly P[],
    kind: string,
    example: string,
): P[] {
    if (!Array.isArray(value) || value.length === 0 || value.some((p) => typeof p !== "string")) {
        problems.add(key, `must be a non-empty list of privileges, got ${describeValue(value)}`, example);
        return [];
    }
    const result = new Set<P>();
    for (const raw of value as string[]) {
        const privilege = raw.toLowerCase();
        if (privilege === "all") {
            allowed.forEach((p) => result.add(p));
        } else if ((allowed as readonly string[]).includes(privilege)) {
            result.add(privilege as P);
        } else {
            problems.add(key, `"${raw}" is not a privilege on a ${kind}; use ${allowed.join(", ")} or all`, example);
        }
    }
    // Keep the canonical order so that equal declarations compare equal.
    return allowed.filter((p) => result.has(p));
}

/** Reads a map of object names to privileges; `parseName` reads a name (a problem string when it is not one). */
function parseNamedGrants<N, P extends string>(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    parseName: (text: string) => N | string,
    allowed: readonly P[],
    kind: string,
    example: string,
): { target: N; privileges: P[] }[] {
    const grants: { target: N; privileges: P[] }[] = [];
    for (const [name, privileges] of readMap(obj, field, key, problems, example)) {
        const entryKey = `${key}.${field}.${name}`;
        const target = parseName(name);
        if (typeof target === "string") {
            problems.add(entryKey, `the ${kind} name ${target}`, example);
            continue;
        }
        grants.push({ target, privileges: parsePrivileges(privileges, entryKey, problems, allowed, kind, example) });
    }
    return grants;
}

function parseColumnGrants(obj: JsonObject, key: string, problems: Problems): ColumnGrant[] {
    const example = "columns: { api.users: { select: [id, name], update: [name] } }";
    const grants: ColumnGrant[] = [];
    for (const [name, byPrivilege] of readMap(obj, "columns", key, problems, example)) {
        const entryKey = `${key}.columns.${name}`;
        const target = parseQualifiedName(name);
        if (typeof target === "string") {
            problems.add(entryKey, `the table name ${target}`, example);
            continue;
        }
        if (!isObject(byPrivilege)) {
            problems.add(entryKey, `must map privileges to column lists, got ${describeValue(byPrivilege)}`, example);
            continue;
        }
        for (const rawPrivilege of Object.keys(byPrivilege)) {
            const privilege = rawPrivilege.toLowerCase() as ColumnPrivilege;
            if (!COLUMN_PRIVILEGES.includes(privilege)) {
                problems.add(`${entryKey}.${rawPrivilege}`, `is not a column privilege; use ${COLUMN_PRIVILEGES.join(", ")}`, example);
                continue;
            }
            const list = readStringList(byPrivilege, rawPrivilege, entryKey, problems, { example, nonEmpty: true, check: identifierProblem });
            if (list) grants.push({ target, privilege, columns: [...new Set(list)] });
        }
    }
    return grants;
}

function parseSchemaWide<P extends string>(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    allowed: readonly P[],
    kind: string,
    example: string,
): SchemaWideGrant<P>[] {
    const grants: SchemaWideGrant<P>[] = [];
    for (const [schema, privileges] of readMap(obj, field, key, problems, example)) {
        const entryKey = `${key}.${field}.${schema}`;
        const problem = schemaNameProblem(schema);
        if (problem) problems.add(entryKey, `schema name ${problem}`, example);
        else grants.push({ schema, privileges: parsePrivileges(privileges, entryKey, problems, allowed, kind, example) });
    }
    return grants;
}

function parseDefaultPrivileges(obj: JsonObject, key: string, problems: Problems): DefaultPrivilegeGrant[] {
    const example = "defaultPrivileges: { tables: { api: [select] } }";
    const value = obj.defaultPrivileges;
    if (value === undefined) return [];
    const byKind = readObject(value, `${key}.defaultPrivileges`, problems, example);
    if (!byKind) return [];
    rejectUnknownKeys(byKind, `${key}.defaultPrivileges`, DEFAULT_PRIVILEGE_KINDS, problems);
    const allowedFor: Record<DefaultPrivilegeKind, readonly string[]> = {
        tables: TABLE_PRIVILEGES,
        sequences: SEQUENCE_PRIVILEGES,
        functions: FUNCTION_PRIVILEGES,
    };
    return DEFAULT_PRIVILEGE_KINDS.flatMap((kind) =>
        parseSchemaWide(byKind, kind, `${key}.defaultPrivileges`, problems, allowedFor[kind], kind.replace(/s$/, ""), example).map((grant) => ({
            kind,
            ...grant,
        })),
    );
}

function readMap(obj: JsonObject, field: string, key: string, problems: Problems, example: string): [string, unknown][] {
    const value = obj[field];
    if (value === undefined) return [];
    const map = readObject(value, `${key}.${field}`, problems, example);
    return map ? Object.entries(map) : [];
}
