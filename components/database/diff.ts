/**
 * The dynamic resource's diff, pure: compares the declared items of the new
 * inputs with the `state` of the old ones (what was applied, or what refresh
 * found), so a preview needs no database connection.
 *
 * A dynamic provider cannot report a detailed diff: DiffResult has only changes, replaces, stables and
 * deleteBeforeReplace, and the host sends no more (@pulumi/pulumi sdk/nodejs/dynamic/index.ts and
 * sdk/nodejs/cmd/dynamic-provider/index.ts, in 3.270 and on master in August 2026). The CLI then prints the difference of the
 * inputs. `state` is an input for that reason: the preview lists each added, removed or drifted item.
 */
import type * as pulumi from "@pulumi/pulumi";
import { DIRECT } from "../model/admin-transport";
import { declaredItems } from "./declarations";
import { AccessInputs, AccessOutputs, loginPasswords, targetUrl } from "./properties";
import { migrationProblems } from "./migrations";
import { parseAdminUrl } from "../model/admin-connection";
import { sameMarker } from "./role-marker";

export function diffAccess(olds: AccessOutputs, news: AccessInputs): pulumi.dynamic.DiffResult {
    // An edited or misordered migration fails the preview, naming the file, before `up` could try it.
    const applied = olds.migrations ?? {};
    const declared = news.migrations ?? {};
    const problems = migrationProblems(applied, declared);
    if (problems.length > 0) throw new Error(`database.migrations cannot be applied; nothing was changed: ${problems.join("; ")}`);
    const migrationsChanged = JSON.stringify(applied) !== JSON.stringify(declared);
    const before = olds.state ?? {};
    // Unknown in a preview while the login member it names is still to be made (api.loginMembers): a change, shown as such.
    const after = Array.isArray(news.__api?.roles) ? declaredItems(news.__api) : undefined;
    const keys = new Set([...Object.keys(before), ...Object.keys(after ?? {})]);
    const stateChanged = after === undefined || [...keys].some((key) => before[key] !== after[key]);
    // Another database is another resource. A new host, port, user or password (a tunnel, a DNS change, a rotated
    // password), new TLS settings or another in-network function reach the same database another way: an update, which drops nothing, and after
    // which refresh and delete use the new way in. An unknown URL (its server not created yet) has no target: neither.
    const newDatabase = databaseOf(targetUrl(news));
    const replaces = newDatabase !== undefined && newDatabase !== databaseOf(targetUrl(olds)) ? [news.adminSecret ? "adminSecret" : "adminUrl"] : [];
    // Switching between databaseAdminUrl and database.adminSecret, or to another secret, is a new way in too.
    const newWayIn =
        newDatabase !== undefined &&
        (news.adminUrl !== olds.adminUrl ||
            JSON.stringify(news.adminSecret) !== JSON.stringify(olds.adminSecret) ||
            JSON.stringify(news.adminTls) !== JSON.stringify(olds.adminTls) ||
            JSON.stringify(news.adminTransport ?? DIRECT) !== JSON.stringify(olds.adminTransport ?? DIRECT));
    // A stack applied before roles carried a marker (or renamed since) updates once to write it: no other statement.
    const markerChanged = news.roleMarker !== undefined && !sameMarker(news.roleMarker, olds.roleMarker);
    return {
        // A login role's password, or which role is active (a rotation), changed.
        changes:
            stateChanged ||
            migrationsChanged ||
            JSON.stringify(loginPasswords(olds)) !== JSON.stringify(loginPasswords(news)) ||
            newWayIn ||
            markerChanged,
        replaces,
        // The old resource's roles must be gone before the new one creates them.
        deleteBeforeReplace: true,
    };
}

/** The database a URL names (libpq's default: the user's name), or undefined when it is written wrongly (parseAdminUrl). */
function databaseOf(adminUrl: string): string | undefined {
    const url = parseAdminUrl(adminUrl);
    if (typeof url === "string") return undefined;
    return decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username);
}
