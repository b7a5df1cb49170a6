/**
 * Role identity: each role the provider creates carries, as its comment (COMMENT ON ROLE, cluster-wide like the role),
 * a marker naming the Pulumi project, stack and resource that created it. Roles are cluster-wide and a stack's state
 * can lose what it created (an `up` whose response was lost after the commit, `pulumi refresh
 * --clear-pending-creates`): the marker lets a create recognise its own roles and continue, and lets the error for a
 * role another stack made name that stack.
 */
import { RoleRow } from "./catalog";
import { commentOnRole } from "./sql";

/** Who creates the roles: pulumi.getProject(), pulumi.getStack() and the resource's name. */
export interface RoleMarker {
    project: string;
    stack: string;
    resource: string;
}

/** Tells the provider's comments from any other: a comment without it is not a marker. */
const MARKER_TOOL = "postgrest-access";

/** The comment's text: one line of JSON a DBA reads in `\du+`, keys in a fixed order so that equal markers are equal text. */
export function roleMarkerText(marker: RoleMarker): string {
    return JSON.stringify({ createdBy: MARKER_TOOL, project: marker.project, stack: marker.stack, resource: marker.resource });
}

/** The marker a role's comment holds, or undefined for no comment or any comment the provider did not write. */
export function parseRoleMarker(comment: string | null | undefined): RoleMarker | undefined {
    if (!comment) return undefined;
    try {
        const parsed = JSON.parse(comment) as Partial<RoleMarker> & { createdBy?: unknown };
        const { project, stack, resource } = parsed;
        if (parsed.createdBy !== MARKER_TOOL || typeof project !== "string" || typeof stack !== "string" || typeof resource !== "string")
            return undefined;
        return { project, stack, resource };
    } catch {
        return undefined;
    }
}

export function sameMarker(a: RoleMarker | undefined, b: RoleMarker | undefined): boolean {
    return a !== undefined && b !== undefined && a.project === b.project && a.stack === b.stack && a.resource === b.resource;
}

export function describeMarker(marker: RoleMarker): string {
    return `resource "${marker.resource}" of Pulumi stack "${marker.project}/${marker.stack}"`;
}

/** Declared roles that exist and carry this resource's marker: it created them, whatever its recorded state says. */
export function rolesMarkedBy(marker: RoleMarker | undefined, names: string[], existing: Map<string, RoleRow>): string[] {
    return names.filter((name) => sameMarker(parseRoleMarker(existing.get(name)?.comment), marker));
}

/**
 * COMMENT ON ROLE for each role this resource creates or created whose comment is not its marker yet: new roles,
 * and roles created before roles carried one (or under a renamed stack). None without a marker to write.
 */
export function markerStatements(marker: RoleMarker | undefined, created: string[], existing: Map<string, RoleRow>): string[] {
    if (!marker) return [];
    const text = roleMarkerText(marker);
    return created.filter((name) => existing.get(name)?.comment !== text).map((name) => commentOnRole(name, text));
}

/** Who made a role this resource did not create, for the adoption error: the marker's stack when it has one. */
export function creatorClause(role: RoleRow | undefined): string {
    const creator = parseRoleMarker(role?.comment);
    return creator ? `was created by ${describeMarker(creator)}, which drops it when destroyed` : "this stack did not create it";
}
