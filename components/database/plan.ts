/**
 * Stage 3, the plan: declared state + actual state (catalog snapshot) -> the
 * minimal statements that converge the database (planAccess, SQL text from
 * sql.ts), and what holds of the declaration (observeAccess, for refresh); which privileges differ is
 * privilege-difference.ts's, shared by both. Only missing GRANTs and
 * surplus REVOKEs, never REVOKE ALL then GRANT, so an unchanged config
 * plans zero statements.
 *
 * Scope, so that nothing outside what the stack declares is touched:
 * - object privileges of each API role, in the schemas that role uses (in the
 *   new or the previous config): declared ones are granted, others revoked;
 * - memberships whose member is the authenticator or an API role and whose
 *   role is an API role or a memberOf target: the same;
 * - roles are dropped only when this resource created them and they are no
 *   longer declared; schemas likewise, and only when they hold no objects.
 */
import { escapeIdentifier } from "pg";
import { ApiConfig, authenticatorRoles } from "../model/api";
import { CatalogSnapshot, Grant, MembershipRow, RoleRow, grantKey } from "./catalog";
import {
    API_ROLE_ATTRIBUTES,
    AUTHENTICATOR_ATTRIBUTES,
    DECLARED,
    RoleAttributes,
    UNDECLARED,
    declaredAttributes,
    declaredMemberships,
    declaredRoles,
    grantItem,
    item,
    loginMemberships,
    resolveDeclaredGrants,
    sortedRecord,
    unique,
} from "./declarations";
import { managedGrants, privilegeDifference, resolvedGrants } from "./privilege-difference";
import * as sql from "./sql";
import { RoleMarker, creatorClause, markerStatements, rolesMarkedBy } from "./role-marker";

export interface PlanInput {
    /** The config to converge to; undefined when the resource is deleted. */
    desired?: ApiConfig;
    /** The config applied before; undefined on create. */
    previous?: ApiConfig;
    catalog: CatalogSnapshot;
    /** Roles and schemas this resource created, the only ones it may drop. */
    createdRoles: string[];
    createdSchemas: string[];
    /** SCRAM verifiers to set as login roles' passwords, by role, for those whose password must be (re)set. */
    passwordVerifiers?: Record<string, string>;
    /** Who this resource is: the marker its roles carry, so that it knows them again. @default undefined (no marker read or written) */
    roleMarker?: RoleMarker;
}

export interface Plan {
    statements: string[];
    /** Roles and schemas created by this resource once the plan is applied. */
    createdRoles: string[];
    createdSchemas: string[];
    /** The memberships and privileges it revokes: those still in place after it ran are named with their grantor (grantors.ts). */
    revoking: { memberships: MembershipRow[]; grants: Grant[] };
}

/** Thrown when the declared state cannot be reached; lists every reason, names the objects. */
export interface PlanError extends Error {
    problems: string[];
}

/**
 * A plain Error, not a subclass: the engine runs this code from Pulumi's closure
 * serialization, which turns `class extends Error` into a function whose
 * `message` is never set, and the user would read "undefined".
 */
export function planError(problems: string[]): PlanError {
    const error = new Error(`cannot apply the api config to the database; nothing was changed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return Object.assign(error, { problems });
}

export function isPlanError(error: unknown): error is PlanError {
    return error instanceof Error && Array.isArray((error as Partial<PlanError>).problems);
}

export function planAccess(input: PlanInput): Plan {
    const { desired, previous, catalog } = input;
    const problems: string[] = [];
    const configs = [desired, previous].filter((c): c is ApiConfig => c !== undefined);
    const existingRoles = new Map(catalog.roles.map((r) => [r.name, r]));
    const existingSchemas = new Map(catalog.schemas.map((s) => [s.name, s]));

    const desiredRoles = desired ? declaredRoles(desired) : [];
    if (desired) checkRoleReferences(desired, catalog, existingRoles, problems);
    const wanted = desired ? resolvedGrants(resolveDeclaredGrants(desired, catalog, problems)) : [];

    // Schemas.
    const schemaStatements: string[] = [];
    const createdSchemas = input.createdSchemas.filter((s) => existingSchemas.has(s));
    for (const schema of desired?.schemas ?? []) {
        if (existingSchemas.has(schema)) continue;
        schemaStatements.push(sql.createSchema(schema, desired?.objectOwner));
        createdSchemas.push(schema);
    }

    // Roles.
    const roleStatements: string[] = [];
    const createdRoles = unique([...input.createdRoles, ...rolesMarkedBy(input.roleMarker, desiredRoles, existingRoles)]).filter((r) =>
        existingRoles.has(r),
    );
    for (const name of desiredRoles) {
        const login = authenticatorRoles(desired!).includes(name);
        const attributes = declaredAttributes(desired!, name);
        const verifier = login ? input.passwordVerifiers?.[name] : undefined;
        const existing = existingRoles.get(name);
        if (!existing) {
            roleStatements.push(sql.createRole(name, attributes, verifier));
            createdRoles.push(name);
            continue;
        }
        if (existing.superuser) problems.push(`role "${name}" is a superuser; PostgREST must not log in as or switch to a superuser`);
        else if (!createdRoles.includes(name) && !desired!.adoptRoles.includes(name)) problems.push(adoptionProblem(name, desired!, existing));
        const changed = differingAttributes(attributes, existing);
        const expires = login && existing.expires;
        // An authenticator that login members now log in for keeps no password: NOLOGIN alone would leave its hash behind.
        const dropPassword = login && desired!.loginMembers !== undefined && changed.login === false;
        if (Object.keys(changed).length > 0 || verifier || expires)
            roleStatements.push(sql.alterRole(name, changed, dropPassword ? null : verifier, expires));
    }
    const dropRoles = createdRoles.filter((r) => !desiredRoles.includes(r));
    roleStatements.push(
        ...markerStatements(
            input.roleMarker,
            createdRoles.filter((r) => desiredRoles.includes(r)),
            existingRoles,
        ),
    );
    for (const name of dropRoles) {
        if (existingRoles.get(name)!.ownsObjects) {
            problems.push(
                `cannot drop role "${name}": it owns objects; run REASSIGN OWNED BY ${escapeIdentifier(name)} TO <role> in each database first`,
            );
        }
    }

    // Memberships.
    const knownMembers = new Set(configs.flatMap(declaredRoles));
    const knownRoles = new Set(configs.flatMap((api) => [...api.roles.map((r) => r.name), ...api.roles.flatMap((r) => r.memberOf)]));
    const desiredMemberships = new Set((desired ? declaredMemberships(desired) : []).map((m) => JSON.stringify(m)));
    const actualMemberships = new Set(catalog.memberships.map((m) => JSON.stringify([m.member, m.role])));
    const dropping = new Set(dropRoles);
    // A login member's membership in an authenticator is managed too, for the members of either config: one taken out is revoked.
    const knownLogins = new Set(configs.flatMap(loginMemberships).map((m) => JSON.stringify(m)));
    const surplusMemberships = catalog.memberships.filter(
        (m) =>
            ((knownMembers.has(m.member) && knownRoles.has(m.role)) || knownLogins.has(JSON.stringify([m.member, m.role]))) &&
            !desiredMemberships.has(JSON.stringify([m.member, m.role])),
    );
    const missingMemberships = [...desiredMemberships].filter((m) => !actualMemberships.has(m)).map((m) => JSON.parse(m) as [string, string]);
    // DROP ROLE removes the memberships of a dropped role itself.
    const revokedMemberships = surplusMemberships.filter((m) => !dropping.has(m.member) && !dropping.has(m.role));
    const membershipRevokes = revokedMemberships.map((m) => sql.revokeMembership(m.member, m.role));
    const membershipGrants = [...groupMembers(missingMemberships)].map(([member, roles]) => sql.grantMemberships(member, roles));
    const membershipOptionGrants = desired
        ? catalog.memberships.flatMap((m) => missingOptions(desired, m).map((option) => sql.grantMembershipOption(m.member, m.role, option)))
        : [];

    // Privileges.
    const { surplus, missing } = privilegeDifference(wanted, managedGrants(configs, catalog), catalog);

    // PUBLIC's EXECUTE on the exposed schemas' functions (see revokePublicExecute in the docs).
    const publicRevokes = desired?.revokePublicExecute
        ? catalog.functions.filter((f) => f.publicExecute && desired.schemas.includes(f.schema)).map(sql.revokePublicExecute)
        : [];

    const schemaDrops = createdSchemas
        .filter((s) => !desired?.schemas.includes(s))
        .filter((s) => !existingSchemas.get(s)!.holdsObjects)
        .map(sql.dropSchema);

    if (problems.length > 0) throw planError(unique(problems));
    return {
        statements: [
            ...schemaStatements,
            ...roleStatements,
            ...membershipRevokes,
            ...sql.grantStatements("REVOKE", surplus),
            ...publicRevokes,
            ...sql.grantStatements("GRANT", missing),
            ...membershipGrants,
            ...membershipOptionGrants,
            ...schemaDrops,
            ...dropRoles.map(sql.dropRole),
        ],
        createdRoles: createdRoles.filter((r) => !dropping.has(r)),
        createdSchemas: createdSchemas.filter((s) => desired?.schemas.includes(s)),
        revoking: { memberships: revokedMemberships, grants: surplus },
    };
}

/**
 * What holds of `api` in the database: each declared item that is fully in
 * place maps to DECLARED, and each privilege or membership found in the
 * managed scope but not declared maps to UNDECLARED. Equal to
 * declaredItems(api) exactly when there is no drift.
 */
export function observeAccess(api: ApiConfig, catalog: CatalogSnapshot): Record<string, string> {
    const problems: string[] = [];
    const state: Record<string, string> = {};
    const roles = new Map(catalog.roles.map((r) => [r.name, r]));
    for (const schema of api.schemas) if (catalog.schemas.some((s) => s.name === schema)) state[item.schema(schema)] = DECLARED;
    for (const name of declaredRoles(api)) {
        const attributes = declaredAttributes(api, name);
        const role = roles.get(name);
        const expires = authenticatorRoles(api).includes(name) && role?.expires;
        if (role && !expires && Object.keys(differingAttributes(attributes, role)).length === 0) state[item.role(name, attributes)] = DECLARED;
    }
    const members = new Set(catalog.memberships.filter((m) => missingOptions(api, m).length === 0).map((m) => JSON.stringify([m.member, m.role])));
    const declared = declaredMemberships(api);
    for (const [member, role] of declared) if (members.has(JSON.stringify([member, role]))) state[item.membership(member, role)] = DECLARED;
    const knownRoles = new Set([...api.roles.map((r) => r.name), ...api.roles.flatMap((r) => r.memberOf)]);
    const declaredSet = new Set(declared.map((m) => JSON.stringify(m)));
    for (const m of catalog.memberships) {
        if (declaredRoles(api).includes(m.member) && knownRoles.has(m.role) && !declaredSet.has(JSON.stringify([m.member, m.role]))) {
            state[item.membership(m.member, m.role)] = UNDECLARED;
        }
    }
    const resolved = resolveDeclaredGrants(api, catalog, problems);
    // Every declared grant is inside the managed scope, so the managed actual grants are the ones to look in.
    const { surplus, actualKeys } = privilegeDifference(resolvedGrants(resolved), managedGrants([api], catalog), catalog);
    for (const [text, grants] of resolved) {
        if (grants?.every((g) => actualKeys.has(grantKey(g)))) state[text] = DECLARED;
    }
    for (const grant of surplus) state[grantItem(grant)] = UNDECLARED;
    if (api.revokePublicExecute) {
        for (const schema of api.schemas) {
            if (!catalog.functions.some((f) => f.schema === schema && f.publicExecute)) state[item.noPublicExecute(schema)] = DECLARED;
        }
    }
    return sortedRecord(Object.entries(state));
}

/** Roles are cluster-wide: a role another stack, database or platform made is taken over only when the config says so. */
function adoptionProblem(name: string, api: ApiConfig, existing: RoleRow): string {
    const login = authenticatorRoles(api).includes(name);
    const takeover = login
        ? `reset its password (whoever logs in with the current one would be locked out) and make it ${item.role(name, AUTHENTICATOR_ATTRIBUTES).split(": ")[1]}`
        : `make it ${item.role(name, API_ROLE_ATTRIBUTES).split(": ")[1]} and revoke its undeclared privileges in the schemas it uses`;
    const rename = login ? "postgrest:api.authenticatorRole" : `the role's name in postgrest:api.roles`;
    return `role "${name}" already exists and ${creatorClause(existing)}; taking it over would ${takeover}: add it to postgrest:api.adoptRoles to take it over, or choose another name with ${rename}`;
}

/**
 * The PostgreSQL 16+ options a declared membership lacks: SET ROLE needs the SET option on each step of its chain, a
 * login member's to the authenticator and the authenticator's to each API role; and a role must INHERIT the
 * privileges of its memberOf roles. None for undeclared ones.
 */
function missingOptions(api: ApiConfig, membership: MembershipRow): ("SET" | "INHERIT")[] {
    const { member, role } = membership;
    const missing: ("SET" | "INHERIT")[] = [];
    const toApiRole = authenticatorRoles(api).includes(member) && api.roles.some((r) => r.name === role);
    const toAuthenticator = loginMemberships(api).some(([login, authenticator]) => login === member && authenticator === role);
    if ((toApiRole || toAuthenticator) && membership.set === false) missing.push("SET");
    if (api.roles.some((r) => r.name === member && r.memberOf.includes(role)) && membership.inherit === false) missing.push("INHERIT");
    return missing;
}

/** The attributes of `wanted` that `existing` does not have. */
function differingAttributes(wanted: RoleAttributes, existing: RoleRow): RoleAttributes {
    return Object.fromEntries((Object.entries(wanted) as [keyof RoleAttributes, boolean][]).filter(([attribute, on]) => existing[attribute] !== on));
}

function groupMembers(memberships: [string, string][]): Map<string, string[]> {
    const byMember = new Map<string, string[]>();
    for (const [member, role] of memberships) byMember.set(member, [...(byMember.get(member) ?? []), role]);
    return byMember;
}

/** Roles the config names but does not create must exist, and the admin must be able to act for the owner of future objects. */
function checkRoleReferences(api: ApiConfig, catalog: CatalogSnapshot, existing: Map<string, RoleRow>, problems: string[]): void {
    // The config checks databaseAdminUrl's user; database.adminSecret's is known only here, once the secret is read.
    if (authenticatorRoles(api).includes(catalog.currentUser)) {
        problems.push(
            `the admin user "${catalog.currentUser}" is a login role PostgREST would use: its password would be replaced and PostgREST would log in as the admin; choose another api.authenticatorRole`,
        );
    }
    const declared = new Set(declaredRoles(api));
    for (const member of api.loginMembers ?? []) {
        if (declared.has(member)) problems.push(`login member "${member}" is a role this config declares: it must be a login role of its own`);
        else if (!existing.has(member))
            problems.push(`login member "${member}" does not exist: the platform creates it (a Cloud SQL IAM user: gcp.cloudSqlIamAuthentication)`);
        else if (existing.get(member)!.superuser) problems.push(`login member "${member}" is a superuser; PostgREST must not log in as a superuser`);
    }
    for (const role of api.roles) {
        for (const parent of role.memberOf) {
            if (!declared.has(parent) && !existing.has(parent)) problems.push(`role "${parent}" (in memberOf of "${role.name}") does not exist`);
        }
    }
    if (api.objectOwner && !catalog.owner) {
        problems.push(`objectOwner "${api.objectOwner}" does not exist`);
    } else if (api.objectOwner && !catalog.owner!.usableByAdmin) {
        problems.push(
            `the admin user "${catalog.currentUser}" cannot act for objectOwner "${api.objectOwner}": grant it with GRANT ${escapeIdentifier(api.objectOwner)} TO ${escapeIdentifier(catalog.currentUser)}`,
        );
    }
}
