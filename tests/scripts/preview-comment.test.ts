/**
 * A preview comment stays readable and within GitHub's limit for an API of 1,000 tables: the measured preview text
 * is far over the limit, the comment keeps every changed line and the summary, and says what it left out.
 */
import * as assert from "assert";
import { GITHUB_COMMENT_LIMIT, previewComment } from "../../scripts/preview-comment";
import { largeApiInputs, previewLog } from "../../testing/preview-log";

const URL = "https://github.com/ORG/REPO/actions/runs/1";
const changedLines = (log: string) => log.split("\n").filter((line) => /^\s*(\+-|[-+~])\s/.test(line));

describe("preview comment", () => {
    const olds = largeApiInputs(1000);

    it("keeps every change and the summary of a small preview", () => {
        const log = previewLog("dev", largeApiInputs(2), largeApiInputs(2, ["api.extra"]));
        const comment = previewComment("dev", log, URL);
        assert.ok(comment.body.length < 10_000, String(comment.body.length));
        for (const line of changedLines(log)) assert.ok(comment.body.includes(line), line);
        assert.ok(comment.body.includes("Resources:\n    ~ 1 to update"));
        assert.strictEqual(comment.cutOmitted, 0);
    });

    it("one table added to an API of 1,000 tables: the CLI prints over 65,536 characters, the comment keeps every change in far less", () => {
        const log = previewLog("prod", olds, largeApiInputs(1000, ["api.new_table"]));
        // Measured: every declared item is printed, padded to the longest key (docs/team-workflow.md states the figures).
        assert.ok(log.length > 5 * GITHUB_COMMENT_LIMIT, `the preview text is ${log.length} characters`);
        const comment = previewComment("prod", log, URL);
        assert.ok(comment.body.length < 5_000, `the comment is ${comment.body.length} characters`);
        assert.deepStrictEqual(
            changedLines(log).map((line) => comment.body.includes(line)),
            changedLines(log).map(() => true),
        );
        assert.strictEqual(changedLines(log).filter((line) => line.includes("api.new_table")).length, 5);
        assert.ok(comment.unchangedOmitted > 5000, String(comment.unchangedOmitted));
        assert.match(comment.body, /\d+ unchanged lines left out\)\. Full output: https:\/\/github\.com\/ORG\/REPO\/actions\/runs\/1/);
        assert.ok(comment.body.includes("Resources:\n    ~ 1 to update\n    14 unchanged"));
    });

    it("1,000 tables added at once: cut to the limit, the summary and policy violations kept whole, the cut counted", () => {
        const violation = [
            "Policy Violations:",
            "    [mandatory]  postgrest-security v0.1.0  no-secrets-in-plain-env (aws:ecs/taskDefinition:TaskDefinition: postgrest-task)",
            "    PGRST_DB_URI holds a credential in a plain environment value",
        ];
        const log = previewLog("prod", largeApiInputs(0), olds, violation);
        const comment = previewComment("prod", log, URL);
        assert.ok(comment.body.length <= GITHUB_COMMENT_LIMIT, `the comment is ${comment.body.length} characters`);
        assert.ok(comment.body.length > GITHUB_COMMENT_LIMIT - 500, "the room is used");
        assert.ok(comment.cutOmitted > 0);
        assert.ok(comment.body.includes(`**${comment.cutOmitted} more lines did not fit in a comment**`));
        for (const line of [...violation, "Resources:", "    ~ 1 to update"]) assert.ok(comment.body.includes(line), line);
        assert.ok(comment.body.includes("    ~ pulumi-nodejs:dynamic:Resource: (update)"));
        assert.ok(comment.body.trimEnd().endsWith("````"), "the fence is closed");
    });

    it("drops the unchanged resources' steps and colours, never a changed resource's header", () => {
        const log =
            '\x1b[1mPreviewing update (dev):\x1b[0m\n    aws:iam/role:Role: (same)\n        [urn=x]\n    + aws:iam/role:Role: (create)\n        [urn=y]\n        name: "r"\nResources:\n    + 1 to create\n';
        const { body } = previewComment("dev", log, URL);
        assert.ok(!body.includes("\x1b"));
        assert.ok(!body.includes("[urn=x]") && body.includes("[urn=y]") && body.includes("+ aws:iam/role:Role: (create)"));
    });
});
