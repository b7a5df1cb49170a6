/**
 * `production`: whether a stack serves production. The program deploys a production stack like any other; the team
 * workflow (docs/team-workflow.md, scripts/stack-matrix.ts) deploys production stacks only after every other stack of
 * the same change has deployed, behind their environment's reviewers, and previews them on a pull request only against
 * a redacted copy of their state.
 */
import { Problems, describeValue } from "./problems";

/** `postgrest:production`: true, false, or unset (false). The engine hands a YAML boolean over as the text "true". */
export function parseProduction(value: unknown, key: string, problems: Problems): boolean {
    if (value === undefined || value === false || value === "false") return false;
    if (value === true || value === "true") return true;
    problems.add(key, `${describeValue(value)} is not a boolean: a stack is production (true) or not (false, the default)`, `${key}: true`);
    return false;
}
