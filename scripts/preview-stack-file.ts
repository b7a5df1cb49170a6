/**
 * The stack file a pull request preview of a production stack runs with: the pull request's config, whose secrets are
 * encrypted by the production key the preview identity cannot use, with each secret taken from the redacted copy's
 * stack file instead (its pseudonym, encrypted by the preview key, written by the deploy job; scripts/redact-state.ts)
 * and the copy's secrets provider. A secret the pull request adds or changes cannot be previewed: it is listed, so the
 * comment says so.
 *
 *     npx ts-node --transpile-only scripts/preview-stack-file.ts <PR stack file> <base stack file> <copy stack file> > merged.yaml
 */
import * as fs from "fs";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

interface StackFile {
    secretsprovider?: string;
    encryptedkey?: string;
    config?: Record<string, unknown>;
    [key: string]: unknown;
}

export interface PreviewStackFile {
    text: string;
    /** Secret keys whose value the preview cannot show: changed or added by the pull request. */
    notPreviewed: string[];
}

const isSecure = (value: unknown): value is { secure: string } =>
    typeof value === "object" && value !== null && typeof (value as { secure?: unknown }).secure === "string";

export function previewStackFile(pullRequest: string, base: string, copy: string): PreviewStackFile {
    const pr = (parseYaml(pullRequest) ?? {}) as StackFile;
    const main = (parseYaml(base) ?? {}) as StackFile;
    const redacted = (parseYaml(copy) ?? {}) as StackFile;
    if (!redacted.secretsprovider || !redacted.encryptedkey)
        throw new Error("the redacted copy's stack file has no secretsprovider/encryptedkey: has the deploy job published the copy?");
    const config: Record<string, unknown> = {};
    const notPreviewed: string[] = [];
    for (const [key, value] of Object.entries(pr.config ?? {})) {
        if (!isSecure(value)) {
            config[key] = value;
            continue;
        }
        const before = main.config?.[key];
        const pseudonym = redacted.config?.[key];
        if (isSecure(pseudonym)) config[key] = pseudonym;
        if (!isSecure(before) || before.secure !== value.secure || !isSecure(pseudonym)) notPreviewed.push(key);
    }
    const merged: StackFile = { ...pr, secretsprovider: redacted.secretsprovider, encryptedkey: redacted.encryptedkey, config };
    return { text: stringifyYaml(merged), notPreviewed: notPreviewed.sort() };
}

if (require.main === module) {
    const [prFile, baseFile, copyFile] = process.argv.slice(2);
    if (!prFile || !baseFile || !copyFile) {
        process.stderr.write("usage: preview-stack-file.ts <PR stack file> <base stack file> <copy stack file>\n");
        process.exit(2);
    }
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    const merged = previewStackFile(read(prFile), read(baseFile), read(copyFile));
    process.stdout.write(merged.text);
    for (const key of merged.notPreviewed)
        process.stderr.write(`::warning::${key} is changed by this pull request; a preview cannot show its effect\n`);
}
