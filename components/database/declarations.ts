/**
 * Stage 2, the declarations: what an `api` block declares, in two forms:
 * - items: one readable line per declared fact ("web_anon: select on table api.trees"),
 *   derived from the config alone, so `diff` and preview need no database;
 * - grants: the exact privileges each item stands for, resolved against the
 *   catalog (tables of a schema, the one function of a name...).
 */
import { ApiConfig, RoleSpec, authenticatorRoles, schemasUsedBy } from "../model/api";
import { FunctionName, formatQualifiedName } from "../model/identifiers";
import { CatalogScope, CatalogSnapshot, FunctionRow, Grant, RelationRow } from "./catalog";

/** Value of a declared item in the `state` output; refresh marks surplus privileges it finds as UNDECLARED. */
export const DECLARED = "declared";
export const UNDECLARED = "not declared";

/** Attributes PostgREST's roles must have (PostgREST docs, "Authentication": the authenticator logs in and switches role). */
export const AUTHENTICATOR_ATTRIBUTES = { login: true, inherit: false, superuser: false, createdb: false, createrole: false };
export const API_ROLE_ATTRIBUTES = { login: false };
/** The authenticator with login members (api.loginMembers): a role they switch through, that no one logs in as. */
export const GROUP_AUTHENTICATOR_ATTRIBUTES = { ...AUTHENTICATOR_ATTRIBUTES, login: false };

export type RoleAttributes = Partial<typeof AUTHENTICATOR_ATTRIBUTES>;

export const item = {
    schema: (schema: string) => `schema ${schema}`,
    role: (name: string, attributes: RoleAttributes) =>
        `role ${name}: ${Object.entries(attributes)
            .map(([attribute, on]) => `${on ? "" : "no"}${attribute}`)
            .join(" ")}`,
    membership: (member: string, role: string) => `${member} member of ${role}`,
    privilege: (grantee: string, privilege: string, object: string) => `${grantee}: ${privilege.toLowerCase()} on ${object}`,
    noPublicExecute: (schema: string) => `public: no execute on functions in schema ${schema}`,
};

export function functionText(name: FunctionName): string {
    return `${formatQualifiedName(name)}${name.args ? `(${name.args.join(", ")})` : ""}`;
}

/** Describes any grant the catalog returns, for privileges found but not declared. */
export function grantItem(grant: Grant): string {
    const name = { schema: grant.schema, name: grant.name };
    switch (grant.kind) {
        case "schema":
            return item.privilege(grant.grantee, grant.privilege, `schema ${grant.schema}`);
        case "column":
            return item.privilege(grant.grantee, grant.privilege, `column ${formatQualifiedName(name)}.${grant.detail}`);
        case "function":
            return item.privilege(grant.grantee, grant.privilege, `function ${formatQualifiedName(name)}(${grant.detail})`);
        case "default":
            return item.privilege(grant.grantee, grant.privilege, `future ${grant.name} in schema ${grant.schema} (created by ${grant.detail})`);
        default:
            return item.privilege(grant.grantee, grant.privilege, `${grant.kind} ${formatQualifiedName(name)}`);
    }
}

function ownerText(api: ApiConfig): string {
    return api.objectOwner ?? "the admin user";
}

/** Roles this config creates or adopts: the authenticator (or the pair, with rotation) and the API roles. */
export function declaredRoles(api: ApiConfig): string[] {
    return [...authenticatorRoles(api), ...api.roles.map((r) => r.name)];
}

/** The attributes `name` must have: an authenticator's (NOLOGIN when login members log in for it), or an API role's. */
export function declaredAttributes(api: ApiConfig, name: string): RoleAttributes {
    if (!authenticatorRoles(api).includes(name)) return API_ROLE_ATTRIBUTES;
    return api.loginMembers === undefined ? AUTHENTICATOR_ATTRIBUTES : GROUP_AUTHENTICATOR_ATTRIBUTES;
}

/** Memberships as [member, role]: each authenticator in every API role (both of a pair alike), each role's memberOf, each login member in the authenticator. */
export function declaredMemberships(api: ApiConfig): [string, string][] {
    return [
        ...authenticatorRoles(api).flatMap((login) => api.roles.map((r): [string, string] => [login, r.name])),
        ...api.roles.flatMap((r) => r.memberOf.map((parent): [string, string] => [r.name, parent])),
        ...loginMemberships(api),
    ];
}

/** [login member, authenticator] for each login member (api.loginMembers) and each authenticator. */
export function loginMemberships(api: ApiConfig): [string, string][] {
    return (api.loginMembers ?? []).flatMap((member) => authenticatorRoles(api).map((login): [string, string] => [member, login]));
}

/** The catalog scope that covers every config given (the new one and the previous one). */
export function catalogScope(configs: ApiConfig[], owner: string | undefined): CatalogScope {
    const schemas = configs.flatMap((api) => [...api.schemas, ...api.roles.flatMap((role) => schemasUsedBy(api, role))]);
    const roles = configs.flatMap((api) => [
        ...declaredRoles(api),
        ...api.roles.flatMap((r) => r.memberOf),
        ...(api.objectOwner ? [api.objectOwner] : []),
        ...(api.loginMembers ?? []),
    ]);
    const argumentTypes = configs.flatMap((api) => api.roles.flatMap((r) => r.functions.flatMap((f) => f.target.args ?? [])));
    return { schemas: unique(schemas), roles: unique(roles), argumentTypes: unique(argumentTypes), owner };
}

/** Every declared item, each mapped to DECLARED: the `state` a fully applied config has. */
export function declaredItems(api: ApiConfig): Record<string, string> {
    const items = [
        ...api.schemas.map(item.schema),
        ...declaredRoles(api).map((name) => item.role(name, declaredAttributes(api, name))),
        ...declaredMemberships(api).map(([member, role]) => item.membership(member, role)),
        ...api.roles.flatMap((role) => privilegeDeclarations(api, role).map((d) => d.item)),
        ...(api.revokePublicExecute ? api.schemas.map(item.noPublicExecute) : []),
    ];
    return sortedRecord(items.map((text) => [text, DECLARED]));
}

/** Entries in code-point order, so that states compare and display the same wherever they were built. */
export function sortedRecord(entries: [string, string][]): Record<string, string> {
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One declared privilege and how to find the grants it stands for once the catalog is known. */
interface PrivilegeDeclaration {
    item: string;
    resolve(catalog: IndexedCatalog, problems: string[]): Grant[];
}

/** The catalog with its relations and functions indexed by name: resolving 5000 declarations must not scan 1000 tables each. */
interface IndexedCatalog extends CatalogSnapshot {
    relationsByName: Map<string, RelationRow>;
    functionsByName: Map<string, FunctionRow[]>;
}

function indexCatalog(catalog: CatalogSnapshot): IndexedCatalog {
    const functionsByName = new Map<string, FunctionRow[]>();
    for (const f of catalog.functions) {
        const key = JSON.stringify([f.schema, f.name]);
        functionsByName.set(key, [...(functionsByName.get(key) ?? []), f]);
    }
    return { ...catalog, relationsByName: new Map(catalog.relations.map((r) => [JSON.stringify([r.schema, r.name]), r])), functionsByName };
}

function privilegeDeclarations(api: ApiConfig, role: RoleSpec): PrivilegeDeclaration[] {
    const grantee = role.name;
    const grant = (kind: Grant["kind"], schema: string, name: string, detail: string, privilege: string): Grant => ({
        kind,
        schema,
        name,
        detail,
        privilege: privilege.toUpperCase(),
        grantee,
    });
    const declarations: PrivilegeDeclaration[] = [];
    for (const schema of schemasUsedBy(api, role)) {
        declarations.push({ item: item.privilege(grantee, "usage", `schema ${schema}`), resolve: () => [grant("schema", schema, "", "", "USAGE")] });
    }
    for (const [kind, list] of [
        ["table", role.tables],
        ["sequence", role.sequences],
    ] as const) {
        for (const { target, privileges } of list) {
            for (const privilege of privileges) {
                declarations.push({
                    item: item.privilege(grantee, privilege, `${kind} ${formatQualifiedName(target)}`),
                    resolve: (catalog, problems) => {
                        const relation = findRelation(catalog, target.schema, target.name, kind, problems);
                        return relation ? [grant(kind, target.schema, target.name, "", privilege)] : [];
                    },
                });
            }
        }
    }
    for (const { target, privilege, columns } of role.columns) {
        for (const column of columns) {
            declarations.push({
                item: item.privilege(grantee, privilege, `column ${formatQualifiedName(target)}.${column}`),
                resolve: (catalog, problems) => {
                    const relation = findRelation(catalog, target.schema, target.name, "table", problems);
                    if (!relation) return [];
                    if (!relation.columns.includes(column)) {
                        problems.push(`column "${column}" does not exist in table ${formatQualifiedName(target)}`);
                        return [];
                    }
                    return [grant("column", target.schema, target.name, column, privilege)];
                },
            });
        }
    }
    for (const { target, privileges } of role.functions) {
        for (const privilege of privileges) {
            declarations.push({
                item: item.privilege(grantee, privilege, `function ${functionText(target)}`),
                resolve: (catalog, problems) => {
                    const args = resolveFunction(catalog, target, problems);
                    return args === undefined ? [] : [grant("function", target.schema, target.name, args, privilege)];
                },
            });
        }
    }
    const schemaWide = [
        ["tables", role.allTables, (c: CatalogSnapshot, s: string) => c.relations.filter((r) => r.schema === s && r.kind === "table")],
        ["sequences", role.allSequences, (c: CatalogSnapshot, s: string) => c.relations.filter((r) => r.schema === s && r.kind === "sequence")],
        ["functions", role.allFunctions, (c: CatalogSnapshot, s: string) => c.functions.filter((f) => f.schema === s)],
    ] as const;
    for (const [objectType, list, objectsIn] of schemaWide) {
        const kind = objectType === "tables" ? "table" : objectType === "sequences" ? "sequence" : "function";
        for (const { schema, privileges } of list) {
            for (const privilege of privileges) {
                declarations.push({
                    item: item.privilege(grantee, privilege, `all ${objectType} in schema ${schema}`),
                    resolve: (catalog, problems) => {
                        if (!api.schemas.includes(schema) && !catalog.schemas.some((s) => s.name === schema)) {
                            problems.push(`schema "${schema}" does not exist`);
                        }
                        return objectsIn(catalog, schema).map((o) => grant(kind, schema, o.name, "args" in o ? o.args : "", privilege));
                    },
                });
            }
        }
    }
    for (const { kind: objectType, schema, privileges } of role.defaultPrivileges) {
        for (const privilege of privileges) {
            declarations.push({
                item: item.privilege(grantee, privilege, `future ${objectType} in schema ${schema} (created by ${ownerText(api)})`),
                resolve: (catalog) => [
                    grant("default", schema, objectType, catalog.owner?.name ?? api.objectOwner ?? catalog.currentUser, privilege),
                ],
            });
        }
    }
    return declarations;
}

function findRelation(catalog: IndexedCatalog, schema: string, name: string, kind: "table" | "sequence", problems: string[]) {
    const text = formatQualifiedName({ schema, name });
    const relation = catalog.relationsByName.get(JSON.stringify([schema, name]));
    if (!relation) {
        problems.push(`${kind === "table" ? "table or view" : "sequence"} ${text} does not exist`);
        return undefined;
    }
    if (relation.kind !== kind) {
        problems.push(`${text} is a ${relation.kind}, not a ${kind}: declare it under ${relation.kind === "table" ? "tables" : "sequences"}`);
        return undefined;
    }
    return relation;
}

/** The server's argument list of the declared function, or undefined (with a problem) when it is missing or ambiguous. */
function resolveFunction(catalog: IndexedCatalog, target: FunctionName, problems: string[]): string | undefined {
    const text = functionText(target);
    const candidates = catalog.functionsByName.get(JSON.stringify([target.schema, target.name])) ?? [];
    if (target.args === undefined) {
        if (candidates.length === 1) return candidates[0].args;
        if (candidates.length === 0) problems.push(`function ${text} does not exist`);
        else
            problems.push(
                `function ${text} is overloaded (${candidates.map((c) => `(${c.args})`).join(", ")}): write its argument types, as ${text}(${candidates[0].args})`,
            );
        return undefined;
    }
    const unknown = target.args.filter((t) => !catalog.typeNames[t]);
    if (unknown.length > 0) {
        problems.push(`function ${text}: unknown type ${unknown.map((t) => `"${t}"`).join(", ")}`);
        return undefined;
    }
    const args = target.args.map((t) => catalog.typeNames[t]).join(", ");
    if (candidates.some((c) => c.args === args)) return args;
    problems.push(`function ${text} does not exist${candidates.length ? `; found ${candidates.map((c) => `(${c.args})`).join(", ")}` : ""}`);
    return undefined;
}

/** Each declared privilege item with the grants it stands for in this catalog; undefined (and problems added) when it cannot be resolved. */
export function resolveDeclaredGrants(api: ApiConfig, catalog: CatalogSnapshot, problems: string[]): Map<string, Grant[] | undefined> {
    const declarations = api.roles.flatMap((role) => privilegeDeclarations(api, role));
    const indexed = indexCatalog(catalog);
    return new Map(
        declarations.map((declaration) => {
            const own: string[] = [];
            const grants = declaration.resolve(indexed, own);
            problems.push(...own);
            return [declaration.item, own.length === 0 ? grants : undefined];
        }),
    );
}

/** Which schemas each API role's privileges are managed in: those it uses, in every config given. */
export function managedSchemas(configs: ApiConfig[]): Map<string, Set<string>> {
    const scope = new Map<string, Set<string>>();
    for (const api of configs) {
        for (const role of api.roles) {
            const schemas = scope.get(role.name) ?? new Set<string>();
            schemasUsedBy(api, role).forEach((s) => schemas.add(s));
            scope.set(role.name, schemas);
        }
    }
    return scope;
}

export function unique<T>(items: T[]): T[] {
    return [...new Set(items)];
}
