/**
 * Keeping the authenticator's password out of SQL text.
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
