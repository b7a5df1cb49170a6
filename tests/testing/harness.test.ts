/** The mocks harness fails a run as the language host fails a program: on a promise nobody handles. */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks } from "../../testing/harness";

describe("testing/harness: a run fails where the program would", () => {
    it("rejects with the error of an apply that throws, instead of passing without the resource that needed it", async () => {
        await assert.rejects(
            runUnderMocks(() => {
                const name = pulumi.output("logs").apply((): string => {
                    throw new Error("the check inside this apply failed");
                });
                new aws.s3.Bucket("logs", { bucket: name });
                return {};
            }),
            /the check inside this apply failed/,
        );
    });

    it("still resolves a run whose applies all succeed", async () => {
        const run = await runUnderMocks(() => ({
            bucket: new aws.s3.Bucket("logs", { bucket: pulumi.output("logs").apply((n) => `${n}-1`) }).bucket,
        }));
        assert.strictEqual(run.outputs.bucket, "logs-1");
    });
});
