/**
 * Why the deploy-time admin connection's TLS failed, in the words of the
 * stack config. How the URL's sslmode is read (libpq's way) lives in
 * model/admin-connection.ts, which the config checks at preview too.
 */
import { LibpqSslMode } from "../model/admin-connection";

// The provider's modules take the connection's reading from here, beside what its failures mean.
export { AdminConnectionConfig, TlsDefaults, adminConnectionConfig } from "../model/admin-connection";

// node's TLS error codes (https://nodejs.org/api/errors.html, OpenSSL's X509_V_ERR_* names) and what they mean here.
const TLS_FAILURES: Record<string, string> = {
    SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in a CA that is not in database.sslRootCert (or the URL's sslrootcert)",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not in database.sslRootCert",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate was not signed by a CA in database.sslRootCert (or the URL's sslrootcert)",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the CA that signed the server's certificate is not in database.sslRootCert (or the URL's sslrootcert)",
    CERT_HAS_EXPIRED: "the server's certificate has expired",
    ERR_TLS_CERT_ALTNAME_INVALID:
        "the server's certificate does not name the host of the admin URL (sslmode=verify-full checks it; verify-ca does not)",
};

/** A sentence on why a TLS connection failed, or undefined when the error is not about TLS. */
export function explainTlsFailure(error: { code?: string; message?: string }, sslMode: LibpqSslMode): string | undefined {
    const reason = TLS_FAILURES[error.code ?? ""];
    if (reason) return `TLS (sslmode=${sslMode}): ${reason}`;
    // node-postgres' message when the server answers the SSLRequest with 'N'.
    if (error.message?.includes("does not support SSL")) {
        return `TLS (sslmode=${sslMode}): the server does not offer TLS; the admin URL must say sslmode=disable to connect in plain text`;
    }
    // The server's pg_hba.conf refuses plain text (hostnossl ... reject, or only hostssl lines, as with rds.force_ssl=1).
    if (sslMode === "disable" && error.message?.includes("no encryption")) {
        return "the server accepts only TLS connections: remove sslmode=disable from the admin URL";
    }
    return undefined;
}
