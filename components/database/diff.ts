/**
 * The dynamic resource's diff, pure: compares the declared items of the new
 * inputs with the `state` of the old ones (what was applied, or what refresh
 * found), so a preview needs no database connection.
 *
 * The dynamic provider protocol carries no detailed diff; the engine shows
 * the difference of the inputs instead. `state` is an input for that reason:
 * after a refresh found drift, the preview lists each missing or surplus item.
 */
import type * as pulumi from "@pulumi/pulumi";
import { declaredItems } from "./resolve";
import { AccessInputs, AccessOutputs } from "./properties";

export function diffAccess(olds: AccessOutputs, news: AccessInputs): pulumi.dynamic.DiffResult {
    const before = olds.state ?? {};
    const after = declaredItems(news.api);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const stateChanged = [...keys].some((key) => before[key] !== after[key]);
    // Another database is another resource. A new host, port, user or password (a tunnel, a DNS change, a rotated
    // password), new TLS settings or another in-network function reach the same database another way: an update, which drops nothing, and after
    // which refresh and delete use the new way in. An unknown URL (its server not created yet) has no target: neither.
    const newDatabase = databaseOf(news.adminUrl);
    const replaces = newDatabase !== undefined && newDatabase !== databaseOf(olds.adminUrl) ? ["adminUrl"] : [];
    const newWayIn =
        newDatabase !== undefined &&
        (news.adminUrl !== olds.adminUrl ||
            JSON.stringify(news.adminTls) !== JSON.stringify(olds.adminTls) ||
            news.adminFunction !== olds.adminFunction);
    return {
        changes: stateChanged || olds.authenticatorPassword !== news.authenticatorPassword || newWayIn,
        replaces,
        // The old resource's roles must be gone before the new one creates them.
        deleteBeforeReplace: true,
    };
}

/** The database a URL names (libpq's default: the user's name), or undefined when it does not parse. */
function databaseOf(adminUrl: string): string | undefined {
    try {
        const url = new URL(adminUrl);
        return decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username);
    } catch {
        return undefined;
    }
}

/**
 * What a reviewer reads in `pulumi preview --diff` for this resource: the dynamic provider protocol carries no
 * detailed diff, so the CLI prints the difference of the inputs. `state` is a map keyed by one readable line per
 * declared item, and the CLI prints a map's keys sorted, padded to the longest, `+` for an added key, `-` for a
 * removed one (pkg/backend/display/diff.go: printObjectPropertyDiff, printPropertyTitle). Unchanged items are left out
 * here, as `pulumi preview --diff` leaves them unmarked; other inputs that changed are named on one `~` line each.
 */
export function reviewerDiff(olds: Partial<AccessInputs>, news: AccessInputs): string[] {
    const before = olds.state ?? {};
    const after = news.state ?? declaredItems(news.api);
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
    const width = Math.max(0, ...keys.map((k) => k.length));
    const lines = keys.flatMap((key) => {
        const title = (sign: string) => `    ${sign} ${key.padEnd(width)}: `;
        if (!(key in before)) return [`${title("+")}${JSON.stringify(after[key])}`];
        if (!(key in after)) return [`${title("-")}${JSON.stringify(before[key])}`];
        return [`${title("~")}${JSON.stringify(before[key])} => ${JSON.stringify(after[key])}`];
    });
    const others = (Object.keys(news) as (keyof AccessInputs)[])
        .filter((name) => name !== "state" && JSON.stringify(olds[name]) !== JSON.stringify(news[name]))
        .sort()
        .map((name) => `~ ${name}: (changed)`);
    return [...(lines.length > 0 ? ["~ state: {", ...lines, "  }"] : []), ...others];
}
