/**
 * PEM checks for the database's TLS keys, with node's crypto (which reads
 * what OpenSSL, and so libpq, reads): each returns a problem sentence or
 * undefined. A private key is never quoted back.
 */
import * as crypto from "crypto";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text (a CA bundle holds several), or a problem. */
export function parseCertificates(pem: string): crypto.X509Certificate[] | string {
    const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
    if (blocks.length === 0) return "holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
    const certificates: crypto.X509Certificate[] = [];
    for (const [index, block] of blocks.entries()) {
        try {
            certificates.push(new crypto.X509Certificate(block));
        } catch (error) {
            return `certificate ${index + 1} of ${blocks.length} does not parse (${(error as Error).message})`;
        }
    }
    return certificates;
}

/** A CA bundle is usable while one of its certificates is valid (RDS's global bundle mixes old and new CAs). */
export function rootCertProblem(pem: string, now: Date): string | undefined {
    const certificates = parseCertificates(pem);
    if (typeof certificates === "string") return certificates;
    if (certificates.every((c) => new Date(c.validTo) < now)) {
        return `every certificate in it has expired (the last on ${latest(certificates.map((c) => c.validTo))}); download the current CA bundle`;
    }
    return undefined;
}

/** The client certificate (the first of the PEM, the rest being its chain) with its key: parses, matches, is valid now. */
export function clientCertificateProblems(certPem: string, keyPem: string, now: Date): { cert?: string; key?: string } {
    const certificates = parseCertificates(certPem);
    let key: crypto.KeyObject;
    try {
        key = crypto.createPrivateKey(keyPem);
    } catch {
        // Not the error text: it could quote part of the key.
        return { key: "is not an unencrypted PEM private key (libpq cannot prompt for a passphrase; value not shown: it is secret)" };
    }
    if (typeof certificates === "string") return { cert: certificates };
    const [leaf] = certificates;
    if (new Date(leaf.validTo) < now) return { cert: `expired on ${leaf.validTo} (subject ${leaf.subject.replace(/\n/g, ", ")}); issue a new one` };
    if (new Date(leaf.validFrom) > now) return { cert: `is not valid before ${leaf.validFrom}` };
    if (!leaf.checkPrivateKey(key)) return { key: `is not the private key of database.sslCert (subject ${leaf.subject.replace(/\n/g, ", ")})` };
    return {};
}

function latest(dates: string[]): string {
    return dates.reduce((a, b) => (new Date(a) > new Date(b) ? a : b));
}
