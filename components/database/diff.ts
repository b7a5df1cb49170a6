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
import { describeTarget } from "./scrub";

export function diffAccess(olds: AccessOutputs, news: AccessInputs): pulumi.dynamic.DiffResult {
    const before = olds.state ?? {};
    const after = declaredItems(news.api);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const stateChanged = [...keys].some((key) => before[key] !== after[key]);
    // Another server or database is another resource; a new password in the URL is an update, so that refresh
    // and delete, which get the stored URL, log in with the current one. An unknown URL (its server not created
    // yet) has no target: neither.
    const newTarget = describeTarget(news.adminUrl);
    const replaces = newTarget !== undefined && newTarget !== describeTarget(olds.adminUrl) ? ["adminUrl"] : [];
    const newAdminUrl = newTarget !== undefined && news.adminUrl !== olds.adminUrl;
    return {
        changes: stateChanged || olds.authenticatorPassword !== news.authenticatorPassword || newAdminUrl,
        replaces,
        // The old resource's roles must be gone before the new one creates them.
        deleteBeforeReplace: true,
    };
}
