/**
 * Stage 4, the SQL: every SQL statement the provider runs, as text: roles, schemas, memberships,
 * and grants in as few statements as PostgreSQL allows.
 *
 * Every identifier goes through pg's escapeIdentifier and every literal through
 * escapeLiteral; nothing is concatenated raw.
 */
import { escapeIdentifier, escapeLiteral } from "pg";
import { FunctionRow, Grant, GrantKind } from "./catalog";
import { RoleAttributes } from "./declarations";

export function qualified(schema: string, name: string): string {
    return `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
}

const ATTRIBUTE_KEYWORDS: Record<keyof RoleAttributes, [string, string]> = {
    login: ["LOGIN", "NOLOGIN"],
    inherit: ["INHERIT", "NOINHERIT"],
    superuser: ["SUPERUSER", "NOSUPERUSER"],
    createdb: ["CREATEDB", "NOCREATEDB"],
    createrole: ["CREATEROLE", "NOCREATEROLE"],
};

/** `verifier` null: PASSWORD NULL, the role's password removed. */
function roleOptions(attributes: RoleAttributes, verifier: string | null | undefined): string {
    const keywords = (Object.entries(attributes) as [keyof RoleAttributes, boolean][]).map(
        ([attribute, on]) => ATTRIBUTE_KEYWORDS[attribute][on ? 0 : 1],
    );
    // The SCRAM verifier, never the password: statement logs and errors may show this text.
    const password = verifier === null ? ["PASSWORD NULL"] : verifier ? [`PASSWORD ${escapeLiteral(verifier)}`] : [];
    return [...keywords, ...password].map((k) => ` ${k}`).join("");
}

export function createRole(name: string, attributes: RoleAttributes, verifier?: string): string {
    return `CREATE ROLE ${escapeIdentifier(name)}${roleOptions(attributes, verifier)}`;
}

/** `neverExpires` clears a VALID UNTIL, past or future: PostgREST's login must not stop working on a date. */
export function alterRole(name: string, attributes: RoleAttributes, verifier?: string | null, neverExpires = false): string {
    return `ALTER ROLE ${escapeIdentifier(name)}${roleOptions(attributes, verifier)}${neverExpires ? " VALID UNTIL 'infinity'" : ""}`;
}

/** The role's comment: where the provider writes the marker naming the stack that created it (role-marker.ts). */
export function commentOnRole(name: string, text: string): string {
    return `COMMENT ON ROLE ${escapeIdentifier(name)} IS ${escapeLiteral(text)}`;
}

export function dropRole(name: string): string {
    return `DROP ROLE ${escapeIdentifier(name)}`;
}

export function createSchema(schema: string, owner?: string): string {
    return `CREATE SCHEMA ${escapeIdentifier(schema)}${owner ? ` AUTHORIZATION ${escapeIdentifier(owner)}` : ""}`;
}

export function dropSchema(schema: string): string {
    return `DROP SCHEMA ${escapeIdentifier(schema)}`;
}

export function grantMemberships(member: string, roles: string[]): string {
    return `GRANT ${identifiers(roles)} TO ${escapeIdentifier(member)}`;
}

/** PostgreSQL 16+: turns an option of an existing membership back on (https://www.postgresql.org/docs/current/sql-grant.html). */
export function grantMembershipOption(member: string, role: string, option: "SET" | "INHERIT"): string {
    return `GRANT ${escapeIdentifier(role)} TO ${escapeIdentifier(member)} WITH ${option} TRUE`;
}

export function revokeMembership(member: string, role: string): string {
    return `REVOKE ${escapeIdentifier(role)} FROM ${escapeIdentifier(member)}`;
}

export function revokePublicExecute(fn: FunctionRow): string {
    // The argument list is the server's own oidvectortypes() output, which quotes type names itself.
    return `REVOKE EXECUTE ON ROUTINE ${qualified(fn.schema, fn.name)}(${fn.args}) FROM PUBLIC`;
}

function identifiers(names: Iterable<string>): string {
    return [...names].map(escapeIdentifier).join(", ");
}

/**
 * The object a grant is on, as GRANT writes it. A function's argument list is
 * the server's own oidvectortypes() output, which quotes type names itself.
 */
function objectSql(grant: Grant): string {
    switch (grant.kind) {
        case "schema":
            return escapeIdentifier(grant.schema);
        case "function":
            return `${qualified(grant.schema, grant.name)}(${grant.detail})`;
        default:
            return qualified(grant.schema, grant.name);
    }
}

const OBJECT_KEYWORD: Record<Exclude<GrantKind, "column" | "default">, string> = {
    schema: "SCHEMA",
    table: "TABLE",
    sequence: "SEQUENCE",
    // ROUTINE covers functions and procedures alike (PostgreSQL 11+).
    function: "ROUTINE",
};

/**
 * GRANT (or REVOKE) statements for `grants`, grouped so that objects needing
 * the same privileges for the same role share one statement: converging 1000
 * tables for 5 roles takes 5 statements, not 5000.
 */
export function grantStatements(action: "GRANT" | "REVOKE", grants: Grant[]): string[] {
    const to = action === "GRANT" ? "TO" : "FROM";
    const statements: string[] = [];
    for (const group of groupBy(grants, statementGroup).values()) {
        const { kind, grantee } = group[0];
        if (kind === "column") {
            statements.push(columnStatement(action, group));
            continue;
        }
        if (kind === "default") {
            const { schema, name: objectType, detail: owner } = group[0];
            const privileges = [...new Set(group.map((g) => g.privilege))].sort().join(", ");
            statements.push(
                `ALTER DEFAULT PRIVILEGES FOR ROLE ${escapeIdentifier(owner)} IN SCHEMA ${escapeIdentifier(schema)} ` +
                    `${action} ${privileges} ON ${objectType.toUpperCase()} ${to} ${escapeIdentifier(grantee)}`,
            );
            continue;
        }
        const privilegesByObject = new Map<string, Set<string>>();
        for (const grant of group) {
            const object = objectSql(grant);
            privilegesByObject.set(object, (privilegesByObject.get(object) ?? new Set()).add(grant.privilege));
        }
        const objectsByPrivileges = groupBy([...privilegesByObject], ([, privileges]) => [...privileges].sort().join(", "));
        for (const [privileges, objects] of objectsByPrivileges) {
            const list = objects
                .map(([object]) => object)
                .sort()
                .join(", ");
            statements.push(`${action} ${privileges} ON ${OBJECT_KEYWORD[kind]} ${list} ${to} ${escapeIdentifier(grantee)}`);
        }
    }
    return statements;
}

/** Grants that can share one statement: same kind and role; a column's also share its table, a default's its owner, schema and object type. */
function statementGroup(grant: Grant): string {
    const scope = grant.kind === "column" ? [grant.schema, grant.name] : grant.kind === "default" ? [grant.schema, grant.name, grant.detail] : [];
    return JSON.stringify([grant.kind, grant.grantee, ...scope]);
}

/** One statement per table and role: `GRANT SELECT (a, b), UPDATE (b) ON TABLE t TO r`. */
function columnStatement(action: "GRANT" | "REVOKE", grants: Grant[]): string {
    const { schema, name, grantee } = grants[0];
    const columnsByPrivilege = groupBy(grants, (g) => g.privilege);
    const parts = [...columnsByPrivilege]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([privilege, byColumn]) => `${privilege} (${identifiers(byColumn.map((g) => g.detail).sort())})`);
    return `${action} ${parts.join(", ")} ON TABLE ${qualified(schema, name)} ${action === "GRANT" ? "TO" : "FROM"} ${escapeIdentifier(grantee)}`;
}

/** Groups in first-seen order, so that output follows the (sorted) input. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
    }
    return groups;
}
