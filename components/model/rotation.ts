/**
 * The arithmetic of a pair that alternates (docs/rotation.md): the authenticator pair and the JWT signing keys
 * both follow it, counted by the rotation schedule (components/database/rotation.ts).
 */

/** Which of the pair is active after `rotations` rotations: the first (the one that existed before rotation) after none. */
export function activeIndex(rotations: number): 0 | 1 {
    return rotations % 2 === 0 ? 0 : 1;
}

/**
 * How many times the member at `index` of the pair has become active after `rotations` rotations: the generation of
 * its secret. The first was active before rotation, so its count starts at 0 and turns 1 at the second rotation; the
 * second's turns 1 at the first. A member's secret changes only when it becomes active, never while the other is.
 */
export function secretGeneration(index: 0 | 1, rotations: number): number {
    return index === 0 ? Math.floor(rotations / 2) : Math.floor((rotations + 1) / 2);
}

/** A RandomPassword's keepers for that generation: none at 0, so turning rotation on replaces no existing secret. */
export function generationKeepers(generation: number): { generation: string } | undefined {
    return generation === 0 ? undefined : { generation: String(generation) };
}
