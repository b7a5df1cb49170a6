/**
 * `api.jwtRoleClaimKey`: where PostgREST finds the role in the JWT. Up to v14
 * it is PostgREST's own JSPath (`.my."jwt-claims".role`,
 * src/PostgREST/Config/JSPath.hs); from v16 an RFC 9535 JSON Path
 * (`$.my['jwt-claims'].role`, https://www.rfc-editor.org/rfc/rfc9535.html).
 * A key holding a character outside the plain-name set (such as "-") must be
 * quoted in either syntax, so a rewrite converts path segments, not prefixes.
 */

/** One step of a claim path: a member name or an array index. */
export type ClaimSegment = { name: string } | { index: number };

/**
 * jwt-role-claim-key syntax changed in v16 from JSPath (`.role`) to JSON Path
 * (`$.role`); the default is the same claim (PostgREST CHANGELOG, Migration to v16).
 */
export function defaultJwtRoleClaimKey(postgrestMajor: number): string {
    return postgrestMajor >= 16 ? "$.role" : ".role";
}

// JSPath.hs pJSPKey: "." then alphaNum or "_$@" characters, or a double-quoted value without '"'; pJSPIdx: [digits];
// pJSPFilter: [?(@ OP "value")] as the last step.
const LEGACY_PLAIN = /^[\p{L}\p{N}_$@]+$/u;
const LEGACY_STEP = /^(?:\.([\p{L}\p{N}_$@]+)|\."([^"]*)"|\[(\d+)\])/u;
const LEGACY_FILTER = /^\[\?\(@\s*(?:==\^|==|!=|\^==|\*==)\s*"[^"]*"\)\]$/;

/** The segments of a v12–v14 JSPath, "filter" when it ends in a filter, or undefined when PostgREST would refuse it. */
export function parseLegacyClaimKey(text: string): ClaimSegment[] | "filter" | undefined {
    const segments: ClaimSegment[] = [];
    let rest = text;
    while (rest.length > 0) {
        if (segments.length > 0 && LEGACY_FILTER.test(rest)) return "filter";
        const step = LEGACY_STEP.exec(rest);
        if (!step) return undefined;
        segments.push(step[3] !== undefined ? { index: Number(step[3]) } : { name: step[1] ?? step[2] });
        rest = rest.slice(step[0].length);
    }
    return segments.length > 0 ? segments : undefined;
}

// RFC 9535 section 2.5.1.1: member-name-shorthand = name-first *name-char (ALPHA / "_" / non-ASCII, then also DIGIT);
// bracketed string literals in ' or " with backslash escapes; index-selector = int (no leading zeros).
const SHORTHAND = /^\.([A-Za-z_\u0080-\u{10FFFF}][A-Za-z0-9_\u0080-\u{10FFFF}]*)/u;
const BRACKET = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?(?:0|[1-9]\d*)))\s*\]/;

/**
 * The segments of a v16 JSON Path, "complex" for a query this check does not
 * follow (filters, wildcards, slices, descendants: PostgREST checks those at
 * start), or undefined when it is no JSON Path.
 */
export function parseJsonPathClaimKey(text: string): ClaimSegment[] | "complex" | undefined {
    if (!text.startsWith("$")) return undefined;
    const segments: ClaimSegment[] = [];
    let rest = text.slice(1);
    while (rest.length > 0) {
        if (/^(?:\.\.|\.\*|\[\s*[?*]|\[[^\]]*[:,])/.test(rest)) return "complex";
        const shorthand = SHORTHAND.exec(rest);
        const bracket = shorthand ? undefined : BRACKET.exec(rest);
        if (shorthand) segments.push({ name: shorthand[1] });
        else if (bracket) segments.push(bracket[3] !== undefined ? { index: Number(bracket[3]) } : { name: unescape(bracket[1] ?? bracket[2]) });
        else return undefined;
        rest = rest.slice((shorthand ?? bracket)![0].length);
    }
    return segments;
}

function unescape(literal: string): string {
    return literal.replace(/\\(.)/g, "$1");
}

/** Best-effort segments of a key written in either syntax, or carelessly (`.my.jwt-claims.role`), for a rewrite. */
function looseSegments(text: string): ClaimSegment[] | undefined {
    const strict = parseJsonPathClaimKey(text) ?? parseLegacyClaimKey(text);
    if (Array.isArray(strict)) return strict;
    if (strict !== undefined || text.includes("[?")) return undefined;
    const segments: ClaimSegment[] = [];
    const step = /\.?(?:"([^"]*)"|'([^']*)'|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]|([^.[\]]+))/y;
    let rest = text.startsWith("$") ? text.slice(1) : text;
    while (rest.length > 0) {
        step.lastIndex = 0;
        const match = step.exec(rest);
        if (!match || match[0].length === 0) return undefined;
        const name = match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[6];
        segments.push(match[5] !== undefined ? { index: Number(match[5]) } : { name });
        rest = rest.slice(match[0].length);
    }
    return segments.length > 0 ? segments : undefined;
}

/** The segments written for `postgrestMajor`, or undefined when one cannot be written (a JSPath name holding '"'). */
export function renderClaimKey(segments: ClaimSegment[], postgrestMajor: number): string | undefined {
    if (postgrestMajor >= 16) {
        return (
            "$" +
            segments
                .map((s) =>
                    "index" in s
                        ? `[${s.index}]`
                        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.name)
                          ? `.${s.name}`
                          : `['${s.name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`,
                )
                .join("")
        );
    }
    if (segments.some((s) => "name" in s && s.name.includes('"'))) return undefined;
    return segments.map((s) => ("index" in s ? `[${s.index}]` : LEGACY_PLAIN.test(s.name) ? `.${s.name}` : `."${s.name}"`)).join("");
}

/** Why `claimKey` would not start PostgREST `postgrestMajor` (with the key rewritten when it can be), or undefined. */
export function jwtRoleClaimKeyProblem(claimKey: string, postgrestMajor: number): { problem: string; example: string } | undefined {
    const modern = postgrestMajor >= 16;
    const parsed = modern ? parseJsonPathClaimKey(claimKey) : parseLegacyClaimKey(claimKey);
    if (parsed !== undefined) return undefined;
    const segments = looseSegments(claimKey);
    const rewrite = segments && renderClaimKey(segments, postgrestMajor);
    const [syntax, details] = modern
        ? [
              'an RFC 9535 JSON Path starting with "$"',
              `.name for plain names, ['name'] for names with other characters such as "-"; v16 changed the syntax and v16.0 and v16.1 refuse the old one`,
          ]
        : ['a JSPath starting with "."', 'names with characters other than letters, digits and _$@, such as "-", in double quotes: ."name"'];
    return {
        problem: `${JSON.stringify(claimKey)} does not parse: PostgREST v${postgrestMajor} reads ${syntax}${rewrite ? `; write ${JSON.stringify(rewrite)}` : ""} (${details})`,
        example: `jwtRoleClaimKey: ${rewrite ?? defaultJwtRoleClaimKey(postgrestMajor)}`,
    };
}
