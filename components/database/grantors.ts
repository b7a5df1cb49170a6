/**
 * Who granted what a REVOKE left in place. A role revokes only the grants it made, or, acting for an object's owner,
 * the owner's (https://www.postgresql.org/docs/current/sql-revoke.html); from PostgreSQL 16 on, the same holds for
 * role memberships, each recorded with its grantor. The server warns only when the admin had nothing of its own to
 * revoke, and not at all when the owner's grants went and another grantor's stayed. Read again after the statements
 * ran, the catalog holds exactly what was not revoked, each with its grantor (pg_auth_members.grantor,
 * aclexplode(...).grantor): the error names who must revoke it.
 */
import { escapeIdentifier } from "pg";
import { CatalogSnapshot, Grant, MembershipRow, grantKey } from "./catalog";
import { grantItem } from "./declarations";
import { grantStatements, revokeMembership } from "./sql";

/** One line per planned revoke still in place and per grantor: what it is, who granted it, and the statement that grantor runs. */
export function unrevokedGrants(revoking: { memberships: MembershipRow[]; grants: Grant[] }, after: CatalogSnapshot): string[] {
    const lines: string[] = [];
    const planned = new Set(revoking.memberships.map((m) => JSON.stringify([m.member, m.role])));
    for (const m of after.memberships) {
        if (!planned.has(JSON.stringify([m.member, m.role]))) continue;
        const revoke = revokeMembership(m.member, m.role);
        for (const grantor of m.grantors ?? []) {
            lines.push(
                `${m.member} member of ${m.role} is still granted by ${escapeIdentifier(grantor)}: have ${escapeIdentifier(grantor)} run ${revoke}, ` +
                    `or a superuser run ${revoke} GRANTED BY ${escapeIdentifier(grantor)}`,
            );
        }
    }
    const plannedGrants = new Set(revoking.grants.map(grantKey));
    for (const grant of after.grants) {
        if (!plannedGrants.has(grantKey(grant)) || grant.grantor === undefined) continue;
        const [revoke] = grantStatements("REVOKE", [grant]);
        lines.push(
            `${grantItem(grant)} is still granted by ${escapeIdentifier(grant.grantor)}: have ${escapeIdentifier(grant.grantor)} run ${revoke}`,
        );
    }
    return lines;
}
