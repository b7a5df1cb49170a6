/** A production preview's stack file: the pull request's config, the redacted copy's secrets and key, changed secrets named. */
import * as assert from "assert";
import { parse as parseYaml } from "yaml";
import { previewStackFile } from "../../scripts/preview-stack-file";

const PROD_PROVIDER = "secretsprovider: awskms://alias/pulumi-prod?region=us-east-1\nencryptedkey: PRODKEY\n";
const base = `${PROD_PROVIDER}config:\n  postgrest:cloud: aws\n  postgrest:databaseAdminUrl:\n    secure: PROD-ADMIN\n  postgrest:jwtSecret:\n    secure: PROD-JWT\n`;
const copy =
    "secretsprovider: awskms://alias/pulumi-preview?region=us-east-1\nencryptedkey: PREVIEWKEY\n" +
    "config:\n  postgrest:databaseAdminUrl:\n    secure: PSEUDO-ADMIN\n  postgrest:jwtSecret:\n    secure: PSEUDO-JWT\n";

describe("preview stack file", () => {
    it("takes the pull request's plain config, and the copy's secrets and secrets provider", () => {
        const pr = base.replace("postgrest:cloud: aws", "postgrest:cloud: aws\n  postgrest:service:\n    maxInstances: 4");
        const merged = previewStackFile(pr, base, copy);
        assert.deepStrictEqual(parseYaml(merged.text), {
            secretsprovider: "awskms://alias/pulumi-preview?region=us-east-1",
            encryptedkey: "PREVIEWKEY",
            config: {
                "postgrest:cloud": "aws",
                "postgrest:service": { maxInstances: 4 },
                "postgrest:databaseAdminUrl": { secure: "PSEUDO-ADMIN" },
                "postgrest:jwtSecret": { secure: "PSEUDO-JWT" },
            },
        });
        assert.deepStrictEqual(merged.notPreviewed, []);
        assert.ok(!merged.text.includes("PROD"));
    });

    it("names a secret the pull request changes or adds: its effect cannot be previewed", () => {
        const pr = base.replace("PROD-JWT", "NEW-JWT") + "  postgrest:databaseClientKey:\n    secure: NEW-KEY\n";
        const merged = previewStackFile(pr, base, copy);
        assert.deepStrictEqual(merged.notPreviewed, ["postgrest:databaseClientKey", "postgrest:jwtSecret"]);
        assert.ok(!merged.text.includes("NEW-") && !merged.text.includes("PROD"), merged.text);
    });

    it("refuses to run without a published copy", () => {
        assert.throws(() => previewStackFile(base, base, ""), /has the deploy job published the copy/);
    });
});
