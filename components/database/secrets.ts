/**
 * Keeping secrets out of SQL text and error messages.
 */
import * as crypto from "crypto";

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802,
 * src/common/scram-common.c). Sending the verifier instead of the password
 * keeps the password out of statement logs and out of any SQL text.
 */
export function scramVerifier(password: string, salt: Buffer = crypto.randomBytes(16)): string {
    // SASLprep leaves printable ASCII unchanged; other passwords would need it to match what clients send.
    if (!/^[\x20-\x7e]*$/.test(password)) throw new Error("the authenticator password must be printable ASCII");
    const salted = crypto.pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, "sha256");
    const clientKey = crypto.createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = crypto.createHash("sha256").update(clientKey).digest();
    const serverKey = crypto.createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** Every form in which the admin URL and the password could appear in a message. */
export function secretForms(adminUrl: string, password: string | undefined): string[] {
    const forms = [adminUrl, password ?? ""];
    try {
        const url = new URL(adminUrl);
        forms.push(url.password, decodeURIComponent(url.password));
    } catch {
        // An unparsable URL appears only whole, which is already covered.
    }
    return forms.filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces each secret in `text` by [secret]. */
export function scrub(text: string, secrets: string[]): string {
    return secrets.reduce((result, secret) => result.split(secret).join("[secret]"), text);
}

/** Host, port and database of a connection URL: the target's identity, with nothing secret. */
export function describeTarget(adminUrl: string): string | undefined {
    try {
        const url = new URL(adminUrl);
        return `${url.hostname}:${url.port || "5432"}${url.pathname || "/"}`;
    } catch {
        return undefined;
    }
}
