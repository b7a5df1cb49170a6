/**
 * X.509 certificates made by the tests with the openssl CLI (node's crypto
 * reads certificates but cannot issue them): a CA, server certificates it
 * signs for localhost / 127.0.0.1, and client certificates whose CN is the
 * role they log in as (pg_hba `cert`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface KeyPair {
    /** PEM certificate. */
    cert: string;
    /** PEM private key (PKCS#8). */
    key: string;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Runs `fn` in a scratch directory that is removed afterwards. */
function inScratch<T>(fn: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-certs-"));
    try {
        return fn(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const KEY_OPTIONS = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed CA valid for `days`. */
export function makeCa(commonName: string, days = 2): KeyPair {
    return inScratch((dir) => {
        openssl(["req", "-x509", ...KEY_OPTIONS, "-keyout", "ca.key", "-out", "ca.crt", "-days", String(days), "-subj", `/CN=${commonName}`], dir);
        return { cert: fs.readFileSync(path.join(dir, "ca.crt"), "utf8"), key: fs.readFileSync(path.join(dir, "ca.key"), "utf8") };
    });
}

/** A certificate for `commonName` signed by `ca`, with `altNames` (e.g. DNS:localhost, IP:127.0.0.1) when given. */
export function issue(ca: KeyPair, commonName: string, options: { altNames?: string[]; days?: number } = {}): KeyPair {
    return inScratch((dir) => {
        fs.writeFileSync(path.join(dir, "ca.crt"), ca.cert);
        fs.writeFileSync(path.join(dir, "ca.key"), ca.key);
        const extensions = options.altNames ? `subjectAltName=${options.altNames.join(",")}\n` : "basicConstraints=CA:FALSE\n";
        fs.writeFileSync(path.join(dir, "ext.cnf"), extensions);
        openssl(["req", ...KEY_OPTIONS, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", `/CN=${commonName}`], dir);
        openssl(
            [
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "leaf.crt",
                "-days",
                String(options.days ?? 2),
                "-extfile",
                "ext.cnf",
            ],
            dir,
        );
        return { cert: fs.readFileSync(path.join(dir, "leaf.crt"), "utf8"), key: fs.readFileSync(path.join(dir, "leaf.key"), "utf8") };
    });
}
