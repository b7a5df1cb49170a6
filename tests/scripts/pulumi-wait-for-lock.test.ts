/**
 * A deploy that meets the stack's lock waits and retries; any other failure fails at once, and a lock that never
 * frees fails after the wait. A fake `pulumi` on PATH answers as the DIY backend does.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const script = path.resolve(__dirname, "../../scripts/pulumi-wait-for-lock.sh");
const LOCKED =
    "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

/** Runs the script with a fake pulumi that prints `answers[n]` (and fails unless it is "ok") on its n-th call. */
function run(answers: string[], env: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    fs.writeFileSync(path.join(dir, "answers"), answers.join("\n") + "\n");
    fs.writeFileSync(
        path.join(dir, "pulumi"),
        `#!/usr/bin/env bash\necho "$*" >> "${dir}/calls"\nn=$(wc -l < "${dir}/calls")\nanswer=$(sed -n "\${n}p" "${dir}/answers")\necho "$answer"\n[ "$answer" = ok ]\n`,
        { mode: 0o755 },
    );
    const result = spawnSync("bash", [script, "up", "--stack", "prod", "--yes"], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, PULUMI_LOCK_RETRY_SECONDS: "0", ...env },
    });
    const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    fs.rmSync(dir, { recursive: true });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

describe("pulumi-wait-for-lock.sh", () => {
    it("retries while another update holds the lock, then succeeds", () => {
        const result = run([LOCKED, LOCKED, "ok"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.calls, ["up --stack prod --yes", "up --stack prod --yes", "up --stack prod --yes"]);
        assert.strictEqual((result.stdout.match(/::notice::the stack is locked/g) ?? []).length, 2);
    });

    it("fails at once on any other error, without retrying", () => {
        const result = run(["error: update failed", "ok"]);
        assert.notStrictEqual(result.status, 0);
        assert.strictEqual(result.calls.length, 1);
    });

    it("gives up when the lock outlasts the wait", () => {
        const result = run([LOCKED, LOCKED, LOCKED, "ok"], { PULUMI_LOCK_WAIT_SECONDS: "0" });
        assert.notStrictEqual(result.status, 0);
        assert.strictEqual(result.calls.length, 1);
        assert.match(result.stderr, /stayed locked/);
    });
});
