/**
 * The pull request comment for one stack's `pulumi preview --diff`, within GitHub's 65,536-character comment limit.
 * pulumi/actions cuts a long output at a fixed length, which
 * drops changes and the summary alike; here the comment keeps every changed line (`+`, `-`, `~`, `+-`) and each changed
 * resource's header, drops the unchanged properties the CLI prints around them (for the roles and grants resource,
 * every declared item: 5,000 lines for an API of 1,000 tables), keeps the summary sections (Policies, Diagnostics,
 * Resources) whole, and only then cuts, saying how many lines were left out. The full log is the job's artifact.
 *
 *     npx ts-node --transpile-only scripts/preview-comment.ts <stack> <preview.log> <full log URL> > comment.md
 */
import * as fs from "fs";

/** GitHub refuses a longer body with 422 "Body is too long (maximum is 65536 characters)" (https://github.com/orgs/community/discussions/27190). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface PreviewComment {
    body: string;
    /** Unchanged property lines left out. */
    unchangedOmitted: number;
    /** Lines left out to stay within the limit, changed ones included. */
    cutOmitted: number;
}

/** A step line: `~ pulumi-nodejs:dynamic:Resource: (update)`, `+- aws:ecs/service:Service: (replace)`, `  pulumi:pulumi:Stack: (same)`. */
const STEP = /^\s*(?:[-+~<>]{1,2}\s+)?[\w./-]+:[\w./-]*:[\w./-]+: \([a-z-]+(?:\s[\w-]+)*\)\s*$/;
const CHANGED_STEP = /^\s*[-+~<>]{1,2}\s/;
/** A property line the CLI marks as added, removed or changed. */
const MARKED = /^\s*(?:\+-|-\+|[-+~])\s/;
const METADATA = /^\s*\[(?:id|urn|provider)=/;
/** The sections the CLI prints after the steps. */
const SUMMARY_SECTION = /^(?:Policies|Policy Violations|Diagnostics|Outputs|Resources|Duration):/;
const ANSI = /\x1b\[[0-9;]*m/g;

/** The comment for `log` (the CLI's output, colours stripped), at most `limit` characters. */
export function previewComment(stack: string, log: string, fullLogUrl: string, limit = GITHUB_COMMENT_LIMIT): PreviewComment {
    const lines = log.replace(ANSI, "").replace(/\r\n/g, "\n").split("\n");
    const summaryAt = lines.findIndex((line) => SUMMARY_SECTION.test(line));
    const steps = summaryAt < 0 ? lines : lines.slice(0, summaryAt);
    const summary = summaryAt < 0 ? [] : lines.slice(summaryAt);

    const kept: string[] = [];
    let unchangedOmitted = 0;
    let inChangedStep = false;
    for (const line of steps) {
        if (STEP.test(line)) {
            inChangedStep = CHANGED_STEP.test(line);
            if (inChangedStep) kept.push(line);
            continue;
        }
        if (line.trim() === "" || MARKED.test(line) || (inChangedStep && METADATA.test(line))) kept.push(line);
        else if (inChangedStep || /^\s/.test(line)) unchangedOmitted++;
        else kept.push(line);
    }

    const header = (cut: number) =>
        [
            `#### \`pulumi preview\` of stack \`${stack}\``,
            "",
            `Changed lines only${unchangedOmitted ? ` (${unchangedOmitted} unchanged lines left out)` : ""}` +
                `${cut ? `; **${cut} more lines did not fit in a comment**` : ""}. Full output: ${fullLogUrl}`,
            "",
            "````text",
        ].join("\n");
    const footer = "\n````\n";
    const render = (body: string[], cut: number) => `${header(cut)}\n${body.join("\n")}${footer}`;

    const compact = collapseBlankRuns([...kept, ...summary]);
    let body = render(compact, 0);
    if (body.length <= limit) return { body, unchangedOmitted, cutOmitted: 0 };

    // Too long even without context: the summary stays whole, the steps keep as many lines as fit, first ones first.
    const summaryText = collapseBlankRuns(summary);
    const stepsKept = collapseBlankRuns(kept);
    const room = limit - render(["…", ...summaryText], stepsKept.length).length;
    let used = 0;
    let count = 0;
    while (count < stepsKept.length && used + stepsKept[count].length + 1 <= room) used += stepsKept[count++].length + 1;
    const cut = stepsKept.length - count;
    body = render([...stepsKept.slice(0, count), "…", ...summaryText], cut);
    return { body, unchangedOmitted, cutOmitted: cut };
}

function collapseBlankRuns(lines: string[]): string[] {
    return lines.filter((line, i) => line.trim() !== "" || (i > 0 && lines[i - 1].trim() !== ""));
}

if (require.main === module) {
    const [stack, logFile, fullLogUrl] = process.argv.slice(2);
    if (!stack || !logFile || !fullLogUrl) {
        process.stderr.write("usage: preview-comment.ts <stack> <preview.log> <full log URL>\n");
        process.exit(2);
    }
    process.stdout.write(previewComment(stack, fs.readFileSync(logFile, "utf8"), fullLogUrl).body);
}
