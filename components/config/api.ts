/**
 * The `api` block: which schemas PostgREST exposes, which roles it switches
 * to, and what each role may do (read by roles.ts), into the model's ApiConfig.
 */
import { exposedSchemaProblem, roleNameProblem } from "../model/identifiers";
import { ApiConfig, RotationConfig, authenticatorPair } from "../model/api";
import { Problems, readBoolean, readNumber, readObject, readString, readStringList, rejectUnknownKeys } from "./problems";
import { ROLES_EXAMPLE, parseRoles } from "./roles";

export const API_DEFAULTS = {
    schemas: ["api"],
    anonRole: "web_anon",
    authenticatorRole: "authenticator",
} as const;

const API_KEYS = [
    "schemas",
    "anonRole",
    "authenticatorRole",
    "jwtRoleClaimKey",
    "roles",
    "revokePublicExecute",
    "objectOwner",
    "adoptRoles",
    "rotation",
];
const ROTATION_KEYS = ["generation", "everyDays"];
const ROTATION_EXAMPLE = "rotation: { generation: 0, everyDays: 30 }";

/**
 * Parses the `api` block. `jwtRoleClaimKey` is returned as given (or
 * undefined): its default and syntax depend on the PostgREST version, which
 * the caller knows.
 */
export function parseApi(
    value: unknown,
    key: string,
    problems: Problems,
): (Omit<ApiConfig, "jwtRoleClaimKey"> & { jwtRoleClaimKey?: string }) | undefined {
    const obj = readObject(value, key, problems, ROLES_EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, API_KEYS, problems);
    const before = problems.count;

    const schemas = readStringList(obj, "schemas", key, problems, {
        default: [...API_DEFAULTS.schemas],
        example: "schemas: [api]",
        nonEmpty: true,
        check: exposedSchemaProblem,
    });
    const anonRole = readString(obj, "anonRole", key, problems, { default: API_DEFAULTS.anonRole, example: "anonRole: web_anon" });
    const authenticatorRole = readString(obj, "authenticatorRole", key, problems, {
        default: API_DEFAULTS.authenticatorRole,
        example: "authenticatorRole: authenticator",
    });
    const jwtRoleClaimKey = readString(obj, "jwtRoleClaimKey", key, problems, { optional: true, example: "jwtRoleClaimKey: $.role" });
    const revokePublicExecute = readBoolean(obj, "revokePublicExecute", key, problems, { default: false, example: "revokePublicExecute: true" });
    const objectOwner = readString(obj, "objectOwner", key, problems, { optional: true, example: "objectOwner: migrator" });
    const adoptRoles = readStringList(obj, "adoptRoles", key, problems, { default: [], example: "adoptRoles: [web_anon]", check: roleNameProblem });
    checkRoleName(anonRole, `${key}.anonRole`, problems);
    checkRoleName(authenticatorRole, `${key}.authenticatorRole`, problems);
    checkRoleName(objectOwner, `${key}.objectOwner`, problems);
    const rotation = obj.rotation === undefined ? undefined : parseRotation(obj.rotation, `${key}.rotation`, problems);

    const roles = parseRoles(obj.roles, `${key}.roles`, problems);
    if (roles && anonRole && !roles.some((role) => role.name === anonRole)) {
        problems.add(
            `${key}.anonRole`,
            `"${anonRole}" is not among ${key}.roles (${roles.map((r) => r.name).join(", ") || "none declared"}); declare what anonymous requests may do`,
            `${key}.roles: { ${anonRole}: { tables: { api.trees: [select] } } }`,
        );
    }
    if (roles && authenticatorRole && roles.some((role) => role.name === authenticatorRole)) {
        problems.add(
            `${key}.roles.${authenticatorRole}`,
            "the authenticator role only logs in and switches roles; it must not be an API role itself",
            "give privileges to web_anon or a JWT role instead",
        );
    }
    if (roles && authenticatorRole) {
        const logins = rotation ? authenticatorPair({ authenticatorRole }) : [authenticatorRole];
        for (const role of roles) {
            for (const login of logins.filter((name) => role.memberOf.includes(name))) {
                problems.add(`${key}.roles.${role.name}.memberOf`, `must not include the authenticator role "${login}"`, "memberOf: [web_anon]");
            }
        }
    }

    if (rotation && authenticatorRole) {
        const standby = authenticatorPair({ authenticatorRole })[1];
        const problem = roleNameProblem(standby);
        if (problem) {
            problems.add(`${key}.rotation`, `the second login role "${standby}" cannot be made: ${problem}`, "authenticatorRole: authenticator");
        }
        if (roles?.some((role) => role.name === standby) || standby === objectOwner) {
            problems.add(
                `${key}.rotation`,
                `needs the role name "${standby}" for the second login role, and ${key} already uses it: rename that role`,
                "authenticatorRole: authenticator",
            );
        }
    }

    if (problems.count > before) return undefined;
    return {
        schemas: schemas!,
        anonRole: anonRole!,
        authenticatorRole: authenticatorRole!,
        jwtRoleClaimKey,
        roles: roles!,
        revokePublicExecute: revokePublicExecute!,
        objectOwner,
        adoptRoles: adoptRoles!,
        ...(rotation && { rotation }),
    };
}

function parseRotation(value: unknown, key: string, problems: Problems): RotationConfig | undefined {
    const obj = readObject(value, key, problems, ROTATION_EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, ROTATION_KEYS, problems);
    const generation = readNumber(obj, "generation", key, problems, { default: 0, integer: true, min: 0, example: "generation: 1" });
    const everyDays = readNumber(obj, "everyDays", key, problems, { optional: true, integer: true, min: 1, example: "everyDays: 30" });
    if (generation === undefined || (obj.everyDays !== undefined && everyDays === undefined)) return undefined;
    return everyDays === undefined ? { generation } : { generation, everyDays };
}

function checkRoleName(name: string | undefined, key: string, problems: Problems): void {
    const problem = name === undefined ? undefined : roleNameProblem(name);
    if (problem) problems.add(key, problem, `${key.split(".").pop()}: web_anon`);
}
